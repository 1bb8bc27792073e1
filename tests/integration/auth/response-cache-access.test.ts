import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '#src/api/auth/keys.js';
import { startTestGateway, type TestGateway } from '../events/harness.js';

const reader = createKey('dashboard', new Set(['read']));
const writer = createKey('deployer', new Set(['write']));
const APPS = '{ apps { nodes { name } } }';

/** Whole answers are kept per tenant, but every request is still admitted by the same rules as the pipeline. */
describe('the whole-response cache under access control', () => {
  let gw: TestGateway;
  const post = async (authorization?: string) => {
    const response = await fetch(gw.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify({ query: APPS }),
    });
    return { status: response.status, retryAfter: response.headers.get('retry-after'), json: (await response.json()) as any };
  };

  beforeAll(async () => {
    gw = await startTestGateway({
      env: { AUTH_MODE: 'api-keys', API_KEYS: [reader.entry, writer.entry].join(','), CALLER_RATE_LIMIT: '1', CALLER_RATE_BURST: '3' },
    });
    gw.emu.control.createApp('cached-app');
  });
  afterAll(async () => gw?.close());

  it('should answer a kept query only to a key that may read it, and count hits against the caller limit', async () => {
    expect((await post(`Bearer ${reader.key}`)).json.data.apps.nodes).toEqual([{ name: 'cached-app' }]);
    const hit = await post(`Bearer ${reader.key}`);
    expect(hit.json.extensions.cache.response).toBe('hit');

    // No key, an unknown key, or a key without read scope: the pipeline's answers, never the kept one.
    for (const authorization of [undefined, 'Bearer fgk_not_a_key']) {
      const refused = await post(authorization);
      expect(refused.status).toBe(401);
      expect(refused.json.data).toBeUndefined();
    }
    const writeOnly = await post(`Bearer ${writer.key}`);
    expect(writeOnly.status).toBe(403);
    expect(writeOnly.json.errors[0].extensions.code).toBe('FORBIDDEN');

    // A burst of 3: the first two requests spent two, the third is the last one allowed, then RATE_LIMITED.
    expect((await post(`Bearer ${reader.key}`)).status).toBe(200);
    const limited = await post(`Bearer ${reader.key}`);
    expect(limited.status).toBe(429);
    expect(limited.json.errors[0].extensions.code).toBe('RATE_LIMITED');
    expect(Number(limited.retryAfter)).toBeGreaterThanOrEqual(1);
  });
});
