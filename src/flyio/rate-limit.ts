/**
 * Client-side rate budgets mirroring Fly's documented limits (1 req/s, burst 3, per action and per machine or
 * app; Get Machine 5 req/s, burst 10). Spending our own budget first means a busy gateway queues briefly instead
 * of collecting 429s, and a flood is shed locally without touching Fly.
 */
import type { Clock } from '../lib/clock.js';

/** Refill rate and bucket size for one action. */
export interface BucketRule {
  ratePerSecond: number;
  burst: number;
}

/** Options for {@link createRateBudget}. */
export interface RateBudgetOptions {
  clock: Clock;
  /** Rule per action name; actions not listed use `defaultRule`. */
  rules?: Record<string, BucketRule>;
  /** @default { ratePerSecond: 1, burst: 3 } */
  defaultRule?: BucketRule;
  /**
   * Extra wait added to queued calls. Fly's bucket starts when our first request *arrives*, so a queued call sent
   * exactly on our refill schedule can land a hair early on a faster (kept-alive) connection and draw a 429.
   * @default 50
   */
  queueMarginMs?: number;
  /** Upper bound on buckets kept; idle (full) buckets are dropped first, then the least recently used. @default 10000 */
  maxBuckets?: number;
}

/** Outcome of asking for a token. */
export type AcquireResult = { ok: true; waitedMs: number } | { ok: false; retryAfterMs: number };

/** A set of token buckets keyed by (action, scope). */
export interface RateBudget {
  /**
   * Takes one token for `action` on `scope`, queueing up to `maxWaitMs` on the clock. When the wait would be
   * longer the call is shed (`ok: false`) and no token is consumed. Rejects with the signal's reason on abort.
   */
  acquire(action: string, scope: string, maxWaitMs: number, signal?: AbortSignal): Promise<AcquireResult>;
  /** Number of live buckets (for tests and metrics). */
  size(): number;
}

/** Fly's documented limits as bucket rules. */
export const flyRateRules: Record<string, BucketRule> = {
  'machines.get': { ratePerSecond: 5, burst: 10 },
};

interface Bucket {
  tokens: number;
  updatedAt: number;
  rule: BucketRule;
}

/** Creates an in-memory {@link RateBudget}. */
export function createRateBudget(options: RateBudgetOptions): RateBudget {
  const { clock } = options;
  const rules = options.rules ?? flyRateRules;
  const defaultRule = options.defaultRule ?? { ratePerSecond: 1, burst: 3 };
  const maxBuckets = options.maxBuckets ?? 10_000;
  const queueMarginMs = options.queueMarginMs ?? 50;
  // Map iteration order doubles as recency order: a bucket is re-inserted each time it is used.
  const buckets = new Map<string, Bucket>();

  function refill(bucket: Bucket, now: number): void {
    const elapsed = Math.max(0, now - bucket.updatedAt);
    bucket.tokens = Math.min(bucket.rule.burst, bucket.tokens + (elapsed / 1000) * bucket.rule.ratePerSecond);
    bucket.updatedAt = now;
  }

  function evict(now: number): void {
    // A bucket that has refilled completely is indistinguishable from a new one, so dropping it loses nothing.
    for (const [key, bucket] of buckets) {
      if (buckets.size < maxBuckets) return;
      refill(bucket, now);
      if (bucket.tokens >= bucket.rule.burst) buckets.delete(key);
    }
    while (buckets.size >= maxBuckets) {
      const oldest = buckets.keys().next().value as string;
      buckets.delete(oldest);
    }
  }

  let acquiresSinceSweep = 0;
  function sweepIdle(now: number): void {
    for (const [key, bucket] of buckets) {
      refill(bucket, now);
      if (bucket.tokens >= bucket.rule.burst) buckets.delete(key);
    }
  }

  function bucketFor(key: string, action: string, now: number): Bucket {
    // Periodic sweep so long-idle buckets go away even while the map is below its cap.
    if (++acquiresSinceSweep >= 1000) {
      acquiresSinceSweep = 0;
      sweepIdle(now);
    }
    let bucket = buckets.get(key);
    if (bucket) {
      buckets.delete(key);
    } else {
      if (buckets.size >= maxBuckets) evict(now);
      const rule = rules[action] ?? defaultRule;
      bucket = { tokens: rule.burst, updatedAt: now, rule };
    }
    buckets.set(key, bucket);
    return bucket;
  }

  return {
    async acquire(action, scope, maxWaitMs, signal) {
      const now = clock.now();
      const bucket = bucketFor(`${action}\u0000${scope}`, action, now);
      refill(bucket, now);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { ok: true, waitedMs: 0 };
      }
      // Tokens may go negative: each queued caller reserves its slot, so waiters are served in arrival order.
      const waitMs = Math.ceil(((1 - bucket.tokens) / bucket.rule.ratePerSecond) * 1000) + queueMarginMs;
      if (waitMs > maxWaitMs) return { ok: false, retryAfterMs: waitMs };
      bucket.tokens -= 1;
      try {
        await clock.sleep(waitMs, signal);
      } catch (error) {
        bucket.tokens += 1;
        throw error;
      }
      return { ok: true, waitedMs: waitMs };
    },
    size: () => buckets.size,
  };
}

/** What one acquire did: a token at once, a token after queueing, or refused (shed). */
export type AcquireOutcome = 'immediate' | 'queued' | 'shed';

/**
 * The same budget, reporting every answered acquire to `onAcquire` (how long it queued; 0 when shed). An acquire
 * that rejects (its deadline or signal ended the wait) is not reported: the caller reports that failure itself.
 */
export function observeRateBudget(
  budget: RateBudget,
  onAcquire: (action: string, outcome: AcquireOutcome, waitedMs: number) => void,
): RateBudget {
  return {
    async acquire(action, scope, maxWaitMs, signal) {
      const result = await budget.acquire(action, scope, maxWaitMs, signal);
      if (!result.ok) onAcquire(action, 'shed', 0);
      else onAcquire(action, result.waitedMs > 0 ? 'queued' : 'immediate', result.waitedMs);
      return result;
    },
    size: () => budget.size(),
  };
}
