import { LRUCache } from 'lru-cache';
import { DEFAULT_CLAIM_TTL_MS, DEFAULT_DEDUPE_TTL_MS, type ClaimResult, type DedupeStore } from '../../services/ports.js';

/** Options shared by both dedupe stores. */
export interface DedupeTimings {
  /** How long a committed id is remembered. @default 72 h */
  ttlMs?: number;
  /** How long an uncommitted claim lives. @default 10 s */
  claimTtlMs?: number;
}

/** Options for {@link createMemoryDedupeStore}. */
export interface MemoryDedupeStoreOptions extends DedupeTimings {
  /** Ids kept at most; the least recently used go first beyond it. @default 100000 */
  maxEntries?: number;
  /** Time source for expiry, in ms (tests pass a manual clock's `now`). @default Date.now */
  now?: () => number;
}

/** A process-local {@link DedupeStore}; enough for a single instance, lost on restart. */
export function createMemoryDedupeStore(options: MemoryDedupeStoreOptions = {}): DedupeStore {
  const ttlMs = options.ttlMs ?? DEFAULT_DEDUPE_TTL_MS;
  const claimTtlMs = options.claimTtlMs ?? DEFAULT_CLAIM_TTL_MS;
  const seen = new LRUCache<string, 'pending' | 'done'>({
    max: options.maxEntries ?? 100_000,
    ttl: ttlMs,
    // Without this lru-cache caches "now" for a moment, which an injected clock would not see move.
    ttlResolution: 0,
    perf: { now: options.now ?? Date.now },
  });
  return {
    async claim(id): Promise<ClaimResult> {
      const state = seen.get(id);
      if (state === 'done') return 'duplicate';
      if (state === 'pending') return 'in-flight';
      seen.set(id, 'pending', { ttl: claimTtlMs });
      return 'claimed';
    },
    async commit(id) {
      seen.set(id, 'done', { ttl: ttlMs });
    },
    async release(id) {
      if (seen.get(id) === 'pending') seen.delete(id);
    },
  };
}
