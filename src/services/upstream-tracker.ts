import { AsyncLocalStorage } from 'node:async_hooks';
import type { FlyCallRecord } from '../flyio/types.js';

/** Upstream calls made while serving one GraphQL operation. */
export interface UpstreamTally {
  calls: number;
  byOperation: Record<string, number>;
  /** How the operation's cached reads were answered, and the age of the oldest value it was given (ms). */
  cache: { hits: number; misses: number; stale: number; maxAgeMs: number };
}

/**
 * Attributes Fly calls to the GraphQL request that caused them. The Fly client reports every attempt through one
 * hook; the HTTP layer runs each request inside {@link UpstreamTracker.run}, so the hook finds the right tally
 * without threading it through every resolver and loader.
 */
export interface UpstreamTracker {
  run<T>(fn: () => T): T;
  /** The tally of the request in progress, if any. */
  current(): UpstreamTally | undefined;
  /** Hook for `createFlyClient({ onCall })`. */
  record(call: FlyCallRecord): void;
  /** Hook for the read cache: one cached read and how old its answer was. */
  recordCache(outcome: 'hit' | 'miss' | 'stale' | 'bypass', ageMs: number): void;
}

/** Creates an {@link UpstreamTracker}. One per gateway. */
export function createUpstreamTracker(): UpstreamTracker {
  const storage = new AsyncLocalStorage<UpstreamTally>();
  return {
    run: (fn) => storage.run({ calls: 0, byOperation: {}, cache: { hits: 0, misses: 0, stale: 0, maxAgeMs: 0 } }, fn),
    current: () => storage.getStore(),
    record(call) {
      const tally = storage.getStore();
      if (!tally) return;
      tally.calls += 1;
      tally.byOperation[call.operation] = (tally.byOperation[call.operation] ?? 0) + 1;
    },
    recordCache(outcome, ageMs) {
      const tally = storage.getStore();
      if (!tally) return;
      if (outcome === 'hit') tally.cache.hits += 1;
      else if (outcome === 'stale') tally.cache.stale += 1;
      else tally.cache.misses += 1;
      tally.cache.maxAgeMs = Math.max(tally.cache.maxAgeMs, ageMs);
    },
  };
}
