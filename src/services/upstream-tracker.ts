import { AsyncLocalStorage } from 'node:async_hooks';
import type { FlyCallRecord } from '../flyio/types.js';

/** Upstream calls made while serving one GraphQL operation. */
export interface UpstreamTally {
  calls: number;
  byOperation: Record<string, number>;
  /** How the operation's cached reads were answered, and the age of the oldest value it was given (ms). */
  cache: { hits: number; misses: number; stale: number; maxAgeMs: number };
  /** What the operation's cached reads depend on: enough to keep its whole answer until one of them changes. */
  reads: { tags: Set<string>; expiresAt: number; oldestFetchedAt: number; count: number };
  /** True once a Fly call was made that the read cache does not cover (its answer must not be kept whole). */
  uncached: boolean;
}

/** One cached read, as the whole-response cache needs it. */
export interface CachedReadDetail {
  tags: readonly string[];
  fetchedAt: number;
  /** When the value goes past its lifetime. */
  expiresAt: number;
}

/** Fly operations whose results go through the read cache (see services/cache/cached-fly.ts). */
const CACHED_OPERATIONS = new Set([
  'apps.list',
  'apps.get',
  'machines.list',
  'machines.get',
  'machines.events',
  'volumes.list',
  'volumes.get',
  'volumes.snapshots',
  'platform.regions',
]);

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
  recordCache(outcome: 'hit' | 'miss' | 'stale' | 'bypass', ageMs: number, detail?: CachedReadDetail): void;
  /**
   * The request in progress read something no read-cache invalidation covers (the readiness report, a deployment
   * record): its answer must not be kept whole, or it would be replayed after that thing changed.
   */
  markUncacheable(): void;
}

/** Creates an {@link UpstreamTracker}. One per gateway. */
export function createUpstreamTracker(): UpstreamTracker {
  const storage = new AsyncLocalStorage<UpstreamTally>();
  return {
    run: (fn) =>
      storage.run(
        {
          calls: 0,
          byOperation: {},
          cache: { hits: 0, misses: 0, stale: 0, maxAgeMs: 0 },
          reads: { tags: new Set(), expiresAt: Infinity, oldestFetchedAt: Infinity, count: 0 },
          uncached: false,
        },
        fn,
      ),
    current: () => storage.getStore(),
    record(call) {
      const tally = storage.getStore();
      if (!tally) return;
      tally.calls += 1;
      tally.byOperation[call.operation] = (tally.byOperation[call.operation] ?? 0) + 1;
      if (!CACHED_OPERATIONS.has(call.operation)) tally.uncached = true;
    },
    recordCache(outcome, ageMs, detail) {
      const tally = storage.getStore();
      if (!tally) return;
      // A stale answer (Fly refused) or a read with the cache off must not be kept beyond this request.
      if (outcome === 'stale' || outcome === 'bypass' || !detail) tally.uncached = true;
      else {
        const reads = tally.reads;
        for (const tag of detail.tags) reads.tags.add(tag);
        reads.expiresAt = Math.min(reads.expiresAt, detail.expiresAt);
        reads.oldestFetchedAt = Math.min(reads.oldestFetchedAt, detail.fetchedAt);
        reads.count += 1;
      }
      if (outcome === 'hit') tally.cache.hits += 1;
      else if (outcome === 'stale') tally.cache.stale += 1;
      else tally.cache.misses += 1;
      tally.cache.maxAgeMs = Math.max(tally.cache.maxAgeMs, ageMs);
    },
    markUncacheable() {
      const tally = storage.getStore();
      if (tally) tally.uncached = true;
    },
  };
}
