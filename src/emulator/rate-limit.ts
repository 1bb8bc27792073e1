import type { Clock } from '../lib/clock.js';

/** Bucket parameters: refill `rate` tokens per second up to `burst`. */
export interface BucketSpec {
  rate: number;
  burst: number;
}

/** Fly's published budgets (MACHINES-API.md §9): 1/s burst 3 per action and id; get machine 5/s burst 10; app deletion 100/min. */
export function budgetFor(routeId: string): BucketSpec {
  if (routeId === 'machines.get') return { rate: 5, burst: 10 };
  if (routeId === 'apps.delete') return { rate: 100 / 60, burst: 100 };
  return { rate: 1, burst: 3 };
}

/** Token-bucket limiter keyed by (action, identifier). */
export interface RateLimiter {
  /** Takes one token; returns 0 when allowed, else the seconds to wait before retrying. */
  take(routeId: string, scope: string): number;
  reset(): void;
  /** Buckets currently kept (for tests). */
  size(): number;
}

/**
 * Bucket count at which idle buckets are swept. Scopes come from request paths, so without a sweep every made-up
 * machine id would keep a bucket forever; a bucket that has refilled to its burst equals a fresh one, so dropping it
 * changes no answer.
 */
export const SWEEP_THRESHOLD = 10_000;

interface Bucket {
  tokens: number;
  at: number;
  spec: BucketSpec;
}

/** Creates a {@link RateLimiter} on `clock`. */
export function createRateLimiter(clock: Clock): RateLimiter {
  const buckets = new Map<string, Bucket>();
  const refill = (b: Bucket, now: number) => {
    b.tokens = Math.min(b.spec.burst, b.tokens + ((now - b.at) / 1000) * b.spec.rate);
    b.at = now;
  };
  function sweepIdle(now: number): void {
    for (const [key, b] of buckets) {
      refill(b, now);
      if (b.tokens >= b.spec.burst) buckets.delete(key);
    }
  }
  return {
    take(routeId, scope) {
      const spec = budgetFor(routeId);
      const key = `${routeId}\u0000${scope}`;
      const now = clock.now();
      let b = buckets.get(key);
      if (!b) {
        if (buckets.size >= SWEEP_THRESHOLD) sweepIdle(now);
        b = { tokens: spec.burst, at: now, spec };
        buckets.set(key, b);
      }
      refill(b, now);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil((1 - b.tokens) / spec.rate));
    },
    reset: () => buckets.clear(),
    size: () => buckets.size,
  };
}
