import { describe, expect, it } from 'vitest';
import { FlyApiError } from '#src/flyio/errors.js';
import type { RateBudget } from '#src/flyio/rate-limit.js';
import { withAuthorization, withCallOptions } from '#src/flyio/with-authorization.js';
import { createMemoryCacheStore } from '#src/infra/memory/cache-store.js';
import { createManualClock } from '#src/lib/clock.js';
import { createReadCache, type CacheEntity } from '#src/services/cache/read-cache.js';
import { withReadCache } from '#src/services/cache/cached-fly.js';
import { buildApp, createHarness, TOKEN } from '../flyio/helpers.js';

const CALLER_A = 'caller-a-token-s3cr3t';
const CALLER_B = 'fm2_caller-b-macaroon';

/** A budget that grants everything and remembers the scopes it was asked about. */
function recordingBudget(): RateBudget & { scopes: string[] } {
  const scopes: string[] = [];
  return { scopes, acquire: async (_action, scope) => (scopes.push(scope), { ok: true, waitedMs: 0 }), size: () => 0 };
}

describe("calls made with a caller's own Fly token", () => {
  it("should send the caller's token instead of the gateway's, with the right scheme, when the call carries one", async () => {
    const h = createHarness();
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) {
      h.pool.intercept({ path: '/v1/apps/my-app', method: 'GET' }).reply((options) => {
        seen.push(String((options.headers as Record<string, string>).authorization));
        return { statusCode: 200, data: buildApp() };
      });
    }
    await h.client.apps.get('my-app');
    await withAuthorization(h.client, CALLER_A).apps.get('my-app');
    await withAuthorization(h.client, CALLER_B).apps.get('my-app');
    expect(seen).toEqual([`Bearer ${TOKEN}`, `Bearer ${CALLER_A}`, `FlyV1 ${CALLER_B}`]);
  });

  it('should spend a rate budget per caller when callers share one client', async () => {
    const budget = recordingBudget();
    const h = createHarness({ rateBudget: budget });
    for (let i = 0; i < 3; i++) h.pool.intercept({ path: '/v1/apps/my-app', method: 'GET' }).reply(200, buildApp());
    await h.client.apps.get('my-app');
    await withAuthorization(h.client, CALLER_A).apps.get('my-app');
    await withAuthorization(h.client, CALLER_B).apps.get('my-app');
    expect(new Set(budget.scopes).size).toBe(3);
    for (const scope of budget.scopes) {
      expect(scope).toContain('my-app');
      for (const secret of [CALLER_A, CALLER_B, TOKEN]) expect(scope).not.toContain(secret);
    }
  });

  it("should redact the caller's token from errors built from upstream text when Fly echoes it", async () => {
    const h = createHarness();
    h.pool.intercept({ path: '/v1/apps/my-app', method: 'GET' }).reply(400, { error: `bad token ${CALLER_A} and ${TOKEN}` });
    const error = await withAuthorization(h.client, CALLER_A)
      .apps.get('my-app')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FlyApiError);
    const text = JSON.stringify({ message: (error as Error).message, ...(error as object) });
    expect(text).not.toContain(CALLER_A);
    expect(text).not.toContain(TOKEN);
  });

  it('should spend the share of the caller named on the call, through the read cache, and nothing on a hit', async () => {
    const callers: (string | undefined)[] = [];
    const budget: RateBudget = {
      acquire: async (_action, _scope, _maxWaitMs, _signal, caller) => (callers.push(caller), { ok: true, waitedMs: 0 }),
      size: () => 0,
    };
    const h = createHarness({ rateBudget: budget });
    for (let i = 0; i < 3; i++) h.pool.intercept({ path: '/v1/apps/my-app', method: 'GET' }).reply(200, buildApp());
    const clock = createManualClock();
    const ttlMs = Object.fromEntries(
      ['apps', 'app', 'machines', 'machine', 'events', 'volumes', 'volume', 'snapshots', 'regions'].map((e) => [e, 30_000]),
    ) as Record<CacheEntity, number>;
    const cache = createReadCache({ store: createMemoryCacheStore({ now: () => clock.now() }), clock, enabled: true, ttlMs, staleMs: 0 });
    const cached = withReadCache(h.client, cache, 'tenant');
    await withCallOptions(cached, { caller: 'dashboard' }).apps.get('my-app');
    await withCallOptions(cached, { caller: 'poller' }).apps.get('my-app');
    await withCallOptions(h.client, { caller: 'poller' }).apps.get('my-app');
    await h.client.apps.get('my-app');
    expect(callers).toEqual(['dashboard', 'poller', undefined]);
  });
});
