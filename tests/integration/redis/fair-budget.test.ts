import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createRateBudget, type RateBudget } from '#src/flyio/rate-limit.js';
import { createRedisRateBudget } from '#src/infra/redis/rate-budget.js';
import { systemClock } from '#src/lib/clock.js';

// A fast rule so a few seconds of real time hold many calls: 20 a second, burst 2.
const RULE = { ratePerSecond: 20, burst: 2 };
const MAX_WAIT_MS = 200;

describe("Fly's rate budget shared fairly between callers through Redis", () => {
  const redis = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true, maxRetriesPerRequest: 1 });
  afterAll(() => redis.disconnect());
  const instance = (tenant: string): RateBudget =>
    createRedisRateBudget({
      redis,
      clock: systemClock,
      tenant,
      rules: {},
      defaultRule: RULE,
      queueMarginMs: 0,
      fallback: createRateBudget({ clock: systemClock, rules: {}, defaultRule: RULE, queueMarginMs: 0 }),
    });

  it('should serve the calm caller on one instance while the poller on another is the one shed', async () => {
    const tenant = `test-${randomUUID()}`;
    const [one, two] = [instance(tenant), instance(tenant)];
    const tally = { a: { sent: 0, granted: [] as number[] }, b: { sent: 0, granted: [] as number[] } };
    const pending: Promise<void>[] = [];
    const ask = (budget: RateBudget, who: 'a' | 'b') => {
      tally[who].sent += 1;
      pending.push(
        budget.acquire('machines.list', 'web', MAX_WAIT_MS, undefined, who).then((result) => {
          if (result.ok) tally[who].granted.push(Date.now());
        }),
      );
    };
    const started = Date.now();
    // A asks 100 times a second from one instance; B 8 times a second (under its half) from the other.
    const poller = setInterval(() => ask(one, 'a'), 10);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const calm = setInterval(() => ask(two, 'b'), 125);
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    clearInterval(poller);
    clearInterval(calm);
    await Promise.all(pending);
    const elapsedSeconds = (Date.now() - started) / 1000;

    expect(tally.b.sent).toBeGreaterThanOrEqual(25);
    expect(tally.b.granted.length / tally.b.sent).toBeGreaterThanOrEqual(0.9);
    expect(tally.a.granted.length / tally.a.sent).toBeLessThan(0.5);
    // Together within the one shared bucket (one call of slack for the rounding of Redis's millisecond clock).
    expect(tally.a.granted.length + tally.b.granted.length).toBeLessThanOrEqual(RULE.burst + RULE.ratePerSecond * elapsedSeconds + 1);
  }, 20_000);

  it('should give a lone caller the whole burst, then refuse', async () => {
    const budget = instance(`test-${randomUUID()}`);
    const results = [];
    for (let i = 0; i < 3; i++) results.push((await budget.acquire('machines.list', 'web', 0, undefined, 'alone')).ok);
    expect(results).toEqual([true, true, false]);
  });

  it('should keep its keys in the hash slot of the tenant and scope, and let them expire', async () => {
    const tenant = `test-${randomUUID()}`;
    await instance(tenant).acquire('machines.list', 'web', 0, undefined, 'key-a');
    const base = `flygate:budget:{${tenant}:web}:machines.list`;
    for (const key of [base, `${base}:caller:key-a`, `${base}:callers`]) expect(await redis.pttl(key)).toBeGreaterThan(0);
    expect(await redis.zrange(`${base}:callers`, 0, -1)).toEqual(['key-a']);
  });
});
