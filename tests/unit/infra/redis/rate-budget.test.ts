import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { createRateBudget } from '#src/flyio/rate-limit.js';
import { createRedisRateBudget } from '#src/infra/redis/rate-budget.js';
import { createManualClock } from '#src/lib/clock.js';

describe('Redis rate budget', () => {
  it('should let the local budget decide while Redis cannot be reached, so no Fly call waits on Redis', async () => {
    const clock = createManualClock();
    const unreachable = { evalsha: async () => Promise.reject(new Error('connection refused')) } as unknown as Redis;
    const budget = createRedisRateBudget({ redis: unreachable, clock, tenant: 't', fallback: createRateBudget({ clock }) });
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await budget.acquire('machines.list', 'web', 0));
    // The local budget's burst of three, then a refusal: the same as without Redis.
    expect(results.map((r) => r.ok)).toEqual([true, true, true, false]);
  });

  it('should refuse without waiting when Redis says the wait is longer than the caller accepts', async () => {
    const clock = createManualClock();
    const redis = { evalsha: async () => [0, 1_500] } as unknown as Redis;
    const budget = createRedisRateBudget({ redis, clock, tenant: 't', fallback: createRateBudget({ clock }) });
    expect(await budget.acquire('machines.list', 'web', 1_000)).toEqual({ ok: false, retryAfterMs: 1_550 });
  });
});
