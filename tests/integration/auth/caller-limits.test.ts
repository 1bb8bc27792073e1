import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '#src/api/auth/keys.js';
import { buildTestGateway, type BuiltTestGateway } from '../../helpers/test-gateway.js';

const busy = createKey('busy', new Set(['read']));
const calm = createKey('calm', new Set(['read']));

describe('per-caller request limits', () => {
  let built: BuiltTestGateway;
  const ask = (key: string) =>
    built.gateway.fetch('http://gateway/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: '{ apps { nodes { name } } }' }),
    });

  beforeAll(async () => {
    built = await buildTestGateway({
      env: { AUTH_MODE: 'api-keys', API_KEYS: `${busy.entry},${calm.entry}`, CALLER_RATE_LIMIT: '0.5', CALLER_RATE_BURST: '2' },
    });
  });
  afterAll(async () => built?.close());

  it('should answer 429 RATE_LIMITED with Retry-After past the burst, without calling Fly, and leave other callers alone', async () => {
    expect((await ask(busy.key)).status).toBe(200);
    expect((await ask(busy.key)).status).toBe(200);
    const callsBefore = built.emu.requestCounts()['apps.list'] ?? 0;
    const limited = await ask(busy.key);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const body = (await limited.json()) as { errors: { extensions: { code: string; limit: string } }[] };
    expect(body.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'caller' });
    expect(built.emu.requestCounts()['apps.list'] ?? 0).toBe(callsBefore);
    expect((await ask(calm.key)).status).toBe(200);
  });
});

describe('no caller limit without access control', () => {
  it('should never answer 429 when AUTH_MODE is none, whatever CALLER_RATE_LIMIT says', async () => {
    const built = await buildTestGateway({ env: { CALLER_RATE_LIMIT: '0.5', CALLER_RATE_BURST: '1' } });
    try {
      for (let i = 0; i < 5; i++) {
        const response = await built.gateway.fetch('http://gateway/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ apps { nodes { name } } }' }),
        });
        expect(response.status).toBe(200);
      }
    } finally {
      await built.close();
    }
  });
});
