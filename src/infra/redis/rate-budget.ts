import type { RedisConnection } from './client.js';
import { flyRateRules, type AcquireResult, type BucketRule, type RateBudget } from '../../flyio/rate-limit.js';
import type { Clock } from '../../lib/clock.js';
import { GCRA } from './gcra-script.js';
import { runScript } from './script.js';

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
  /** How long a caller counts as active on a bucket after its last call there, as in the local budget. @default 10000 */
  shareWindowMs?: number;
}

/**
 * A {@link RateBudget} shared by every instance through Redis, so N gateways together stay within Fly's per-action
 * budgets instead of each spending the whole of it. Same contract as the local budget: queue up to `maxWaitMs`,
 * else shed. When Redis fails the local `fallback` decides instead, so Redis trouble never blocks a Fly call.
 */
export function createRedisRateBudget(options: RedisRateBudgetOptions): RateBudget {
  const rules = options.rules ?? flyRateRules;
  const defaultRule = options.defaultRule ?? { ratePerSecond: 1, burst: 3 };
  const margin = options.queueMarginMs ?? 50;
  const shareWindowMs = options.shareWindowMs ?? 10_000;
  return {
    async acquire(action, scope, maxWaitMs, signal, caller = ''): Promise<AcquireResult> {
      const rule = rules[action] ?? defaultRule;
      // One hash slot per tenant and scope (machine, app or org), so a Redis Cluster spreads budgets across masters;
      // the bucket, its callers' shares and the set of its active callers share that slot.
      const key = `flygate:budget:{${options.tenant}:${scope}}:${action}`;
      let reply: [number, number];
      try {
        reply = (await runScript(
          options.redis,
          GCRA,
          [key, `${key}:caller:${caller}`, `${key}:callers`, `${key}:shed:${caller}`],
          [String(1000 / rule.ratePerSecond), String(rule.burst), String(Math.max(0, maxWaitMs - margin)), caller, String(shareWindowMs)],
        )) as [number, number];
      } catch {
        return options.fallback.acquire(action, scope, maxWaitMs, signal, caller);
      }
      const [granted, wait] = reply;
      if (granted !== 1) return { ok: false, retryAfterMs: Number(wait) + margin };
      if (wait <= 0) return { ok: true, waitedMs: 0 };
      const waitMs = Number(wait) + margin;
      await options.clock.sleep(waitMs, signal);
      return { ok: true, waitedMs: waitMs };
    },
    size: () => options.fallback.size(),
  };
}
