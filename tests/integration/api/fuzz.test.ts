import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '#src/config/load-config.js';
import { createEmulator, type Emulator } from '#src/emulator/emulator.js';
import { createGateway, type Gateway } from '#src/gateway.js';

/** Names from the schema, so generated documents reach execution often and not only the parser. */
const names = [
  'apps',
  'app',
  'machines',
  'machine',
  'nodes',
  'edges',
  'node',
  'name',
  'state',
  'events',
  'checks',
  'health',
  'ok',
  'id',
  '__typename',
  'regions',
  'volumes',
  'startMachine',
  'input',
];
const pieces = fc.oneof(
  fc.constantFrom(...names),
  fc.constantFrom(
    '{',
    '}',
    '(',
    ')',
    ':',
    '$',
    '"x"',
    '1',
    'true',
    'null',
    '[',
    ']',
    '...',
    'on',
    'query',
    'mutation',
    'subscription',
    'fragment',
    '@skip(if: true)',
    ',',
  ),
  fc.string({ maxLength: 8 }),
);
const documents = fc.array(pieces, { maxLength: 40 }).map((parts) => parts.join(' '));

describe('fuzzing the HTTP surface', () => {
  let emulator: Emulator;
  let gateway: Gateway;

  beforeAll(async () => {
    emulator = createEmulator({ seed: 'demo' });
    await emulator.start();
    gateway = createGateway(
      loadConfig({
        env: {
          FLY_API_TOKEN: emulator.token,
          FLY_API_BASE_URL: emulator.url,
          LOG_LEVEL: 'silent',
          WEBHOOK_SECRET: 'whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3',
          SYNC_ENABLED: 'false',
          FLY_RATE_LIMIT: 'false',
        },
      }),
    );
  });
  afterAll(async () => {
    await gateway?.stop();
    await emulator?.stop();
  });

  /** Every answer is below 500 and, when it has a body, that body is JSON. */
  async function expectClean(response: Response): Promise<void> {
    expect(response.status).toBeLessThan(500);
    const text = await response.text();
    if (text.length > 0) expect(() => JSON.parse(text)).not.toThrow();
  }

  it('should answer random GraphQL documents with a 4xx or a JSON result and never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(documents, async (query) => {
        await expectClean(
          await gateway.fetch('http://gateway/graphql', {
            method: 'POST',
            headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
            body: JSON.stringify({ query }),
          }),
        );
      }),
      { numRuns: 1000 },
    );
  }, 120_000);

  it('should answer random bodies, JSON values and variables with a 4xx or JSON and never a 5xx', async () => {
    const bodies = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.json({ maxDepth: 4 }),
      fc
        .record({
          query: fc.constantFrom('query Q($a: String!) { app(name: $a) { name } }', '{ health { ok } }'),
          variables: fc.jsonValue({ maxDepth: 3 }),
        })
        .map((v) => JSON.stringify(v)),
      fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
    );
    await fc.assert(
      fc.asyncProperty(bodies, fc.constantFrom('application/json', 'application/graphql', 'text/plain', ''), async (body, type) => {
        await expectClean(
          await gateway.fetch('http://gateway/graphql', { method: 'POST', headers: type ? { 'content-type': type } : {}, body }),
        );
      }),
      { numRuns: 1000 },
    );
  }, 120_000);

  it('should answer random webhook deliveries with a 4xx JSON error and never a 5xx', async () => {
    const headerValue = fc.oneof(fc.string({ maxLength: 60 }), fc.constant(String(Math.floor(Date.now() / 1000))));
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), headerValue, headerValue, headerValue, async (body, id, timestamp, signature) => {
        const headers = new Headers({ 'content-type': 'application/json' });
        // Header values must be valid ByteStrings for fetch; anything else is not deliverable over HTTP anyway.
        for (const [name, value] of [
          ['webhook-id', id],
          ['webhook-timestamp', timestamp],
          ['webhook-signature', signature],
        ] as const) {
          if (/^[\x20-\x7e]*$/.test(value)) headers.set(name, value);
        }
        const response = await gateway.fetch('http://gateway/webhooks/fly', { method: 'POST', headers, body });
        expect(response.status).toBeGreaterThanOrEqual(400);
        await expectClean(response);
      }),
      { numRuns: 1000 },
    );
  }, 120_000);
});
