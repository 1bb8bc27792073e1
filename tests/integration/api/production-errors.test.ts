import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayHarness, type GatewayHarness } from '../../helpers/gateway-harness.js';

let dev: GatewayHarness;
let prod: GatewayHarness;
beforeAll(async () => {
  dev = await startGatewayHarness({ seed: 'demo' });
  prod = await startGatewayHarness({ seed: 'demo', env: { APP_ENV: 'production' } });
});
afterAll(async () => {
  await dev.close();
  await prod.close();
});

/** A word that must not come back: the parser would quote it from the body. */
const MARKER = 'hunter2-secret-looking';

const malformed: [string, string][] = [
  ['a truncated object', `{"query": "{ regions { code } }", "variables": {"token": "${MARKER}"`],
  ['plain text', `${MARKER} is not JSON`],
  ['a trailing comma', `{"query": "{ regions { code } }", "extensions": {"x": "${MARKER}",}}`],
];

/** Every key anywhere inside `value`. */
function keysOf(value: unknown): string[] {
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => [key, ...keysOf(child)]);
}

describe('production answers carry no internals', () => {
  for (const [name, body] of malformed) {
    it(`should answer 400 BAD_REQUEST without originalError, stack or an echo of the body when the JSON body is ${name}`, async () => {
      const answer = await prod.post(body);
      expect(answer.status).toBe(400);
      expect(answer.errors?.[0].extensions?.code).toBe('BAD_REQUEST');
      const text = JSON.stringify(answer.errors);
      expect(keysOf(answer.errors)).not.toContain('originalError');
      expect(keysOf(answer.errors)).not.toContain('stack');
      expect(text).not.toContain('SyntaxError');
      expect(text).not.toContain(MARKER);
    });
  }

  it('should keep the parser detail in development when the JSON body is malformed', async () => {
    const answer = await dev.post(malformed[1][1]);
    expect(answer.status).toBe(400);
    expect(answer.errors?.[0].extensions?.originalError).toMatchObject({ name: 'SyntaxError' });
  });
});
