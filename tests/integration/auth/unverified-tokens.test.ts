import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '#src/emulator/emulator.js';
import { buildTestGateway, INSTANT, type BuiltTestGateway } from '../../helpers/test-gateway.js';
import { subscribeWs } from '../events/harness.js';

// In fly-token mode a made-up token must not be a fresh caller with a fresh allowance: until Fly has accepted a
// token it spends its address's allowance (shared with every other unverified token from there), and a token Fly
// refused is refused here for a while without asking Fly again.

const GOOD = 'emu_tenant_good_0123456789abcdef';
const APPS = '{ apps { nodes { name } } }';

describe('unverified Fly tokens', () => {
  let emu: Emulator;
  let built: BuiltTestGateway;
  const flyCalls = () => Object.values(emu.requestCounts()).reduce((sum, n) => sum + n, 0);
  const ask = (token: string, query = APPS, accept = 'application/json') =>
    fetch(built.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept, authorization: `Bearer ${token}` },
      body: JSON.stringify({ query }),
    });

  beforeAll(async () => {
    emu = createEmulator({ seed: 'none', delays: INSTANT, scopedTokens: { [GOOD]: ['good-app'] } });
    await emu.start({ port: 0, host: '127.0.0.1' });
    emu.control.createApp('good-app');
    built = await buildTestGateway({
      emulator: emu,
      listen: true,
      env: { AUTH_MODE: 'fly-token', CALLER_RATE_LIMIT: '0.2', CALLER_RATE_BURST: '5', CACHE_RESPONSE_MAX_BYTES: '0' },
    });
  });
  afterAll(async () => {
    await built?.close();
    await emu?.stop();
  });

  it("should verify a good token once, then give it an allowance of its own that unverified tokens' floods cannot spend", async () => {
    expect((await ask(GOOD)).status).toBe(200);
    // 60 made-up tokens from the same address: at most the address's burst of them reaches Fly.
    const before = flyCalls();
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) statuses.push((await ask(`made-up-token-${i}-0123456789`)).status);
    expect(flyCalls() - before).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(55);
    // The verified token still has its own allowance.
    const good = await ask(GOOD);
    expect(good.status).toBe(200);
    expect(((await good.json()) as { data: { apps: { nodes: unknown[] } } }).data.apps.nodes).toHaveLength(1);
  });

  it('should refuse a token Fly rejected with 401 at once the next time, without asking Fly again', async () => {
    const other = await buildTestGateway({ emulator: emu, listen: true, env: { AUTH_MODE: 'fly-token', CACHE_RESPONSE_MAX_BYTES: '0' } });
    try {
      const send = () =>
        fetch(other.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer not-a-real-fly-token-0123456789' },
          body: JSON.stringify({ query: APPS }),
        });
      const first = (await (await send()).json()) as { errors: { extensions: { code: string } }[] };
      expect(first.errors[0].extensions.code).toBe('UNAUTHORIZED');
      const calls = flyCalls();
      const second = await send();
      expect(second.status).toBe(401);
      const body = (await second.json()) as { errors: { message: string; extensions: { code: string } }[] };
      expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(body.errors[0].message).toMatch(/Fly refused this token/);
      expect(flyCalls()).toBe(calls);
    } finally {
      await other.close();
    }
  });

  it('should not hold a stream open for a made-up token: Fly is asked about it first (SSE)', async () => {
    const other = await buildTestGateway({ emulator: emu, listen: true, env: { AUTH_MODE: 'fly-token' } });
    try {
      const controller = new AbortController();
      const response = await fetch(other.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: 'Bearer invented-0123456789abcdef' },
        body: JSON.stringify({ query: 'subscription { health(intervalSeconds: 1) { ok mode } }' }),
        signal: controller.signal,
      });
      const timer = setTimeout(() => controller.abort(), 3_000);
      const text = await response.text().catch(() => 'still open');
      clearTimeout(timer);
      expect(text).toContain('UNAUTHENTICATED');
      expect(text).not.toContain('"mode"');
      // A good token's stream opens as before.
      const good = new AbortController();
      const open = await fetch(other.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${GOOD}` },
        body: JSON.stringify({ query: 'subscription { health(intervalSeconds: 1) { ok mode } }' }),
        signal: good.signal,
      });
      const reader = open.body!.getReader();
      let seen = '';
      while (!seen.includes('"mode"')) {
        const { value, done } = await reader.read();
        if (done) break;
        seen += new TextDecoder().decode(value);
      }
      expect(seen).toContain('"mode"');
      good.abort();
    } finally {
      await other.close();
    }
  });

  it('should refuse a graphql-ws subscription opened with a made-up token, and serve a good one', async () => {
    // A gateway of its own: the first test spent this address's allowance for unverified tokens on the shared one.
    const other = await buildTestGateway({ emulator: emu, listen: true, env: { AUTH_MODE: 'fly-token' } });
    const wsUrl = other.url.replace(/^http/, 'ws');
    const query = 'subscription { health(intervalSeconds: 1) { ok mode } }';
    try {
      const made = subscribeWs(wsUrl, query, {}, { connectionParams: { authorization: 'Bearer invented-over-ws-0123456789' } });
      try {
        const failure = (await made.failed) as { extensions?: { code?: string } }[];
        expect(failure[0].extensions?.code).toBe('UNAUTHENTICATED');
      } finally {
        await made.close();
      }
      const good = subscribeWs(wsUrl, query, {}, { connectionParams: { authorization: `Bearer ${GOOD}` } });
      try {
        expect(await good.next()).toMatchObject({ mode: expect.any(String) });
      } finally {
        await good.close();
      }
    } finally {
      await other.close();
    }
  });
});
