import { LRUCache } from 'lru-cache';
import type { CallerLimiter, CallerLimitRule } from '../../services/ports.js';

/** Options for {@link createMemoryCallerLimiter}. */
export interface MemoryCallerLimiterOptions extends CallerLimitRule {
  /** Time source in ms (tests pass a manual clock's `now`). */
  now: () => number;
  /** Callers remembered at most; an evicted caller starts again with a full burst. @default 100000 */
  maxCallers?: number;
}

/**
 * A process-local {@link CallerLimiter}: generic cell rate algorithm, one "theoretical arrival time" per caller. A
 * request is allowed while that time is at most `burst - 1` intervals ahead of now; each allowed one moves it on by
 * one interval.
 */
export function createMemoryCallerLimiter(options: MemoryCallerLimiterOptions): CallerLimiter {
  const interval = 1000 / options.ratePerSecond;
  const tolerance = interval * (options.burst - 1);
  const arrivals = new LRUCache<string, number>({ max: options.maxCallers ?? 100_000 });
  return {
    async take(caller) {
      const now = options.now();
      const tat = Math.max(arrivals.get(caller) ?? now, now);
      const wait = tat - tolerance - now;
      if (wait > 0) return { ok: false, retryAfterMs: Math.ceil(wait) };
      arrivals.set(caller, tat + interval);
      return { ok: true };
    },
  };
}
