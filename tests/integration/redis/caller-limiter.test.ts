import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryCallerLimiter } from '#src/infra/memory/caller-limiter.js';
import { createRedisCallerLimiter } from '#src/infra/redis/caller-limiter.js';

describe('caller limiter shared through Redis', () => {
  const redis = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true, maxRetriesPerRequest: 1 });
  afterAll(() => redis.disconnect());
  const rule = { ratePerSecond: 0.5, burst: 2 };
  const instance = () => createRedisCallerLimiter({ redis, ...rule, fallback: createMemoryCallerLimiter({ ...rule, now: Date.now }) });

  it('should spend one allowance per caller across instances when both use the same Redis', async () => {
    const caller = `test-${randomUUID()}`;
    const [one, two] = [instance(), instance()];
    expect(await one.take(caller)).toEqual({ ok: true });
    expect(await two.take(caller)).toEqual({ ok: true });
    const refused = await one.take(caller);
    expect(refused.ok).toBe(false);
    expect(refused.ok ? 0 : refused.retryAfterMs).toBeGreaterThan(0);
    expect((await two.take(`test-${randomUUID()}`)).ok).toBe(true);
  });

  it('should decide from the in-process fallback when Redis cannot be reached', async () => {
    const down = new Redis({ host: '127.0.0.1', port: 1, lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    try {
      const limiter = createRedisCallerLimiter({
        redis: down,
        ratePerSecond: 1,
        burst: 1,
        fallback: createMemoryCallerLimiter({ ratePerSecond: 1, burst: 1, now: Date.now }),
      });
      expect((await limiter.take('x')).ok).toBe(true);
      expect((await limiter.take('x')).ok).toBe(false);
    } finally {
      down.disconnect();
    }
  });
});
