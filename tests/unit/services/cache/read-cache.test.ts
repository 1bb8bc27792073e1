import { describe, expect, it, vi } from 'vitest';
import { FlyApiError, FlyErrorCode } from '#src/flyio/errors.js';
import { createMemoryCacheStore } from '#src/infra/memory/cache-store.js';
import { createManualClock } from '#src/lib/clock.js';
import { cacheTag, createReadCache, tokenFingerprint, type CacheEntity, type ReadCacheOptions } from '#src/services/cache/read-cache.js';
import type { CacheStore } from '#src/services/ports.js';

const TTL = 30_000;
const STALE = 300_000;
const ttlMs = Object.fromEntries(
  ['apps', 'app', 'machines', 'machine', 'events', 'volumes', 'volume', 'snapshots', 'regions'].map((e) => [e, TTL]),
) as Record<CacheEntity, number>;

function setup(overrides: Partial<ReadCacheOptions> = {}) {
  const clock = createManualClock();
  const store = overrides.store ?? createMemoryCacheStore({ now: () => clock.now() });
  const outcomes: string[] = [];
  const cache = createReadCache({
    store,
    clock,
    enabled: true,
    ttlMs,
    staleMs: STALE,
    onRead: (_e, info) => outcomes.push(info.outcome),
    ...overrides,
  });
  let calls = 0;
  let answer: unknown = { n: 0 };
  const fetch = vi.fn(async () => {
    calls += 1;
    return structuredClone(answer);
  });
  const read = (tenant = 't1', id = 'm1') =>
    cache.read({ entity: 'machine', tenant, scope: 'web', id, tags: [cacheTag('machine', 'web', id)], fetch });
  return { clock, store, cache, read, fetch, outcomes, calls: () => calls, answer: (value: unknown) => (answer = value) };
}

describe('read cache', () => {
  it('should fetch once, answer the next read from the cache, and refetch after its lifetime', async () => {
    const s = setup();
    expect((await s.read()).info.outcome).toBe('miss');
    expect((await s.read()).info.outcome).toBe('hit');
    expect(s.calls()).toBe(1);
    await s.clock.advance(TTL + 1);
    expect((await s.read()).info.outcome).toBe('miss');
    expect(s.calls()).toBe(2);
  });

  it('should share one fetch among 1,000 identical reads at once, with the cache on and off', async () => {
    for (const enabled of [true, false]) {
      const s = setup({ enabled });
      let release!: () => void;
      s.fetch.mockImplementationOnce(() => new Promise((resolve) => (release = () => resolve({ n: 1 }))));
      const reads = Array.from({ length: 1_000 }, () => s.read());
      await vi.waitFor(() => expect(s.fetch).toHaveBeenCalled());
      release();
      const results = await Promise.all(reads);
      expect(s.fetch).toHaveBeenCalledTimes(1);
      expect(results.every((r) => (r.value as { n: number }).n === 1)).toBe(true);
    }
  });

  it('should drop entries by tag so the next read fetches again, and not store a fetch that an invalidation overtook', async () => {
    const s = setup();
    await s.read();
    await s.cache.invalidate([cacheTag('machine', 'web', 'm1')]);
    s.answer({ n: 2 });
    expect((await s.read()).value).toEqual({ n: 2 });

    let release!: () => void;
    s.fetch.mockImplementationOnce(() => new Promise((resolve) => (release = () => resolve({ n: 'old' }))));
    await s.cache.invalidate([cacheTag('machine', 'web', 'm1')]);
    const overtaken = s.read();
    await vi.waitFor(() => expect(s.fetch).toHaveBeenCalledTimes(3));
    await s.cache.invalidate([cacheTag('machine', 'web', 'm1')]);
    release();
    expect((await overtaken).value).toEqual({ n: 'old' });
    s.answer({ n: 3 });
    expect((await s.read()).value).toEqual({ n: 3 });
  });

  it('should answer from an expired entry, marked stale, while Fly refuses with RATE_LIMITED, and fail once the stale window passed', async () => {
    const s = setup();
    await s.read();
    await s.clock.advance(TTL + 1_000);
    const limited = new FlyApiError({
      code: FlyErrorCode.RateLimited,
      message: 'budget spent',
      operation: 'machines.get',
      retryAfterSeconds: 1,
    });
    s.fetch.mockRejectedValue(limited);
    const stale = await s.read();
    expect(stale.info.outcome).toBe('stale');
    expect(stale.value).toEqual({ n: 0 });
    await s.clock.advance(STALE);
    await expect(s.read()).rejects.toBe(limited);
  });

  it('should not answer from a stale entry when Fly fails for another reason', async () => {
    const s = setup();
    await s.read();
    await s.clock.advance(TTL + 1);
    const down = new FlyApiError({ code: FlyErrorCode.Unavailable, message: 'down', operation: 'machines.get' });
    s.fetch.mockRejectedValue(down);
    await expect(s.read()).rejects.toBe(down);
  });

  it('should keep tenants apart: the same read under another token fetches on its own', async () => {
    const s = setup();
    await s.read(tokenFingerprint('token-a'));
    expect((await s.read(tokenFingerprint('token-b'))).info.outcome).toBe('miss');
    expect(s.calls()).toBe(2);
    expect(tokenFingerprint('token-a')).not.toContain('token');
  });

  it('should not store a fetch that began before the store was reset, nor let a later read join it', async () => {
    const resets = new Set<() => void>();
    const store: CacheStore = {
      ...createMemoryCacheStore(),
      onReset: (listener) => {
        resets.add(listener);
        return () => resets.delete(listener);
      },
    };
    const s = setup({ store });
    let release!: (value: unknown) => void;
    s.fetch.mockImplementationOnce(() => new Promise((resolve) => (release = resolve)));
    const before = s.read();
    await vi.waitFor(() => expect(s.fetch).toHaveBeenCalledTimes(1));
    for (const reset of resets) reset();
    const after = s.read();
    release({ n: 'from before the reset' });
    expect((await before).value).toEqual({ n: 'from before the reset' });
    expect((await after).value).toEqual({ n: 0 });
    expect(s.fetch).toHaveBeenCalledTimes(2);
    expect((await s.read()).value).toEqual({ n: 0 });
  });

  it('should treat a malformed or foreign value under a key as a miss', async () => {
    const values = new Map<string, string>();
    const store: CacheStore = {
      get: async (key) => values.get(key),
      set: async (key, value) => void values.set(key, value),
      invalidate: async () => undefined,
      onInvalidate: () => () => undefined,
      close: async () => undefined,
    };
    const s = setup({ store });
    await s.read();
    for (const bad of ['{not json', 'null', '{"v":2,"t":1,"d":{}}', '{"v":1,"t":"soon","d":{}}', '42']) {
      for (const key of values.keys()) values.set(key, bad);
      expect((await s.read()).info.outcome).toBe('miss');
    }
    expect(s.calls()).toBe(6);
  });

  it('should fail open when the store cannot be reached: the read goes to Fly and the failure is counted', async () => {
    const failures: string[] = [];
    const broken: CacheStore = {
      get: async () => Promise.reject(new Error('redis down')),
      set: async () => Promise.reject(new Error('redis down')),
      invalidate: async () => Promise.reject(new Error('redis down')),
      onInvalidate: () => () => undefined,
      close: async () => undefined,
    };
    const s = setup({ store: broken, onStoreError: (entity) => failures.push(entity) });
    expect((await s.read()).value).toEqual({ n: 0 });
    await expect(s.cache.invalidate([cacheTag('machine', 'web', 'm1')])).resolves.toBeUndefined();
    expect(failures).toEqual(['machine', 'machine']);
  });
});
