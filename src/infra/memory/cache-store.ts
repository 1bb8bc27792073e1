import { LRUCache } from 'lru-cache';
import { createTagIndex } from '../../services/cache/tag-index.js';
import type { CacheStore } from '../../services/ports.js';

/** Options for {@link createMemoryCacheStore}. */
export interface MemoryCacheStoreOptions {
  /** Entries kept at most; the least recently used go first. @default 10000 */
  maxEntries?: number;
  /** Time source for expiry, in ms (a manual clock's `now` in tests). @default Date.now */
  now?: () => number;
}

/**
 * An in-process LRU over a tag index: for a single instance, and as the first layer in front of Redis. Expiry and
 * eviction both take the key out of the index, so the index never outgrows the cache.
 */
export function createMemoryLru(options: MemoryCacheStoreOptions = {}) {
  const index = createTagIndex();
  const entries = new LRUCache<string, string>({
    max: options.maxEntries ?? 10_000,
    ttlAutopurge: false,
    // Without this lru-cache caches "now" for a moment, which an injected clock would not see move.
    ttlResolution: 0,
    perf: { now: options.now ?? Date.now },
    dispose: (_value, key) => index.remove(key),
  });
  return {
    get: (key: string) => entries.get(key),
    set(key: string, value: string, ttlMs: number, tags: readonly string[]) {
      entries.set(key, value, { ttl: ttlMs });
      index.add(key, tags);
    },
    drop(tags: readonly string[]) {
      for (const key of index.take(tags)) entries.delete(key);
    },
    clear: () => entries.clear(),
    get size() {
      return entries.size;
    },
  };
}

/** A process-local {@link CacheStore}. */
export function createMemoryCacheStore(options: MemoryCacheStoreOptions = {}): CacheStore {
  const lru = createMemoryLru(options);
  const listeners = new Set<(tags: readonly string[]) => void>();
  return {
    async get(key) {
      return lru.get(key);
    },
    async set(key, value, ttlMs, tags) {
      lru.set(key, value, ttlMs, tags);
    },
    async invalidate(tags) {
      lru.drop(tags);
      for (const listener of listeners) listener(tags);
    },
    onInvalidate(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      lru.clear();
    },
  };
}
