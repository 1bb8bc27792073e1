import type { Clock } from '../infra/clock.js';

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
}

/** Creates a {@link RateLimiter} on `clock`. */
export function createRateLimiter(clock: Clock): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(routeId, scope) {
      const spec = budgetFor(routeId);
      const key = `${routeId}\u0000${scope}`;
      const now = clock.now();
      const b = buckets.get(key) ?? { tokens: spec.burst, at: now };
      b.tokens = Math.min(spec.burst, b.tokens + ((now - b.at) / 1000) * spec.rate);
      b.at = now;
      buckets.set(key, b);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil((1 - b.tokens) / spec.rate));
    },
    reset: () => buckets.clear(),
  };
}
