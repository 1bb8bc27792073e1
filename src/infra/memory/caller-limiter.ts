import { LRUCache } from 'lru-cache';
import { gcra } from '../../lib/gcra.js';
import type { CallerLimiter, CallerLimitRule } from '../../services/ports.js';

/** Options for {@link createMemoryCallerLimiter}. */
export interface MemoryCallerLimiterOptions extends CallerLimitRule {
  /** Time source in ms (tests pass a manual clock's `now`). */
  now: () => number;
  /** Callers remembered at most; an evicted caller starts again with a full burst. @default 100000 */
  maxCallers?: number;
}

/**
 * A process-local {@link CallerLimiter}: the generic cell rate algorithm of src/lib/gcra.ts, one "theoretical
 * arrival time" per caller, never queueing (a request over the allowance is refused with the wait).
 */
export function createMemoryCallerLimiter(options: MemoryCallerLimiterOptions): CallerLimiter {
  const arrivals = new LRUCache<string, number>({ max: options.maxCallers ?? 100_000 });
  return {
    async take(caller) {
      const verdict = gcra(arrivals.get(caller), options.now(), options);
      if (!verdict.allowed) return { ok: false, retryAfterMs: Math.ceil(verdict.waitMs) };
      arrivals.set(caller, verdict.newTat);
      return { ok: true };
    },
  };
}
