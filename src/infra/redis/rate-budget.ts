import type { RedisConnection } from './client.js';
import { flyRateRules, type AcquireResult, type BucketRule, type RateBudget } from '../../flyio/rate-limit.js';
import type { Clock } from '../../lib/clock.js';

/** Options for {@link createRedisRateBudget}. */
export interface RedisRateBudgetOptions {
  /** A fail-fast connection (role `cache`). Not closed by the budget. */
  redis: RedisConnection;
  clock: Clock;
  /** Separates budgets of different Fly tokens (their fingerprint). */
  tenant: string;
  /** Used while Redis cannot be reached: this instance alone then keeps within the budget. */
  fallback: RateBudget;
  rules?: Record<string, BucketRule>;
  /** @default { ratePerSecond: 1, burst: 3 } */
  defaultRule?: BucketRule;
  /** Extra wait added to queued calls, as in the local budget. @default 50 */
  queueMarginMs?: number;
}

// Generic cell rate algorithm over one key holding the "theoretical arrival time" of the next call, on Redis's own
// clock so instances with skewed clocks still share one schedule. A call that would wait longer than ARGV[3] is
// refused without reserving anything; otherwise its slot is reserved and the wait returned.
//   ARGV: emission interval (ms), burst tolerance (ms), longest acceptable wait (ms)
const ACQUIRE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local wait = tat - tolerance - now
if wait < 0 then wait = 0 end
if wait > tonumber(ARGV[3]) then return {0, wait} end
local nextTat = tat + interval
redis.call('SET', KEYS[1], nextTat, 'PX', math.ceil(nextTat - now + tolerance) + 1000)
return {1, wait}
`;

/**
 * A {@link RateBudget} shared by every instance through Redis, so N gateways together stay within Fly's per-action
 * budgets instead of each spending the whole of it. Same contract as the local budget: queue up to `maxWaitMs`,
 * else shed. When Redis fails the local `fallback` decides instead, so Redis trouble never blocks a Fly call.
 */
export function createRedisRateBudget(options: RedisRateBudgetOptions): RateBudget {
  const rules = options.rules ?? flyRateRules;
  const defaultRule = options.defaultRule ?? { ratePerSecond: 1, burst: 3 };
  const margin = options.queueMarginMs ?? 50;
  return {
    async acquire(action, scope, maxWaitMs, signal): Promise<AcquireResult> {
      const rule = rules[action] ?? defaultRule;
      const interval = 1000 / rule.ratePerSecond;
      const tolerance = interval * (rule.burst - 1);
      // One hash slot per tenant and scope (machine, app or org), so a Redis Cluster spreads budgets across masters.
      const key = `flygate:budget:{${options.tenant}:${scope}}:${action}`;
      let reply: [number, number];
      try {
        reply = (await options.redis.eval(
          ACQUIRE_SCRIPT,
          1,
          key,
          String(interval),
          String(tolerance),
          String(Math.max(0, maxWaitMs - margin)),
        )) as [number, number];
      } catch {
        return options.fallback.acquire(action, scope, maxWaitMs, signal);
      }
      const [granted, wait] = reply;
      if (granted !== 1) return { ok: false, retryAfterMs: Math.ceil(wait) + margin };
      if (wait <= 0) return { ok: true, waitedMs: 0 };
      const waitMs = Math.ceil(wait) + margin;
      await options.clock.sleep(waitMs, signal);
      return { ok: true, waitedMs: waitMs };
    },
    size: () => options.fallback.size(),
  };
}
