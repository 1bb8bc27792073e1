import { LRUCache } from 'lru-cache';
import type { Clock } from '../../lib/clock.js';
import { createTagIndex } from './tag-index.js';

/** A whole serialized answer, kept as the bytes that were sent, with what it was computed from. */
export interface StoredResponse {
  body: Buffer;
  contentType: string;
  /** Read-cache tags of every Fly read the answer used: an invalidation of any of them drops it. */
  tags: readonly string[];
  /** When the first of the reads it used goes past its lifetime (ms since the epoch). */
  expiresAt: number;
  /** When the oldest value it used was fetched from Fly. */
  oldestFetchedAt: number;
  /** How many cached reads built it. */
  reads: number;
}

/** Settings of {@link createResponseCache}. */
export interface ResponseCacheOptions {
  clock: Clock;
  /** Total bytes of stored bodies; the least recently used go first. */
  maxBytes: number;
  /** Largest single body worth keeping. @default maxBytes / 16 */
  maxEntryBytes?: number;
}

/**
 * Whole-response cache of one instance: answers for a (tenant, request) whose reads have not changed since. It is
 * fed only by answers whose every Fly read went through the read cache, and it drops an answer as soon as the read
 * cache drops any entry the answer used (events, writes, other instances' invalidations), or when the first of
 * those entries would have expired. A fill that started before an invalidation of one of its tags is not stored.
 */
export interface ResponseCache {
  get(key: string): StoredResponse | undefined;
  /** Marks the start of a fill; pass the mark to {@link ResponseCache.set}. A fill may be abandoned silently. */
  begin(): { sequence: number; at: number };
  /** Stores an answer unless one of its tags was invalidated since `startedAt` (then returns false). */
  set(key: string, entry: StoredResponse, started: { sequence: number; at: number }): boolean;
  invalidate(tags: readonly string[]): void;
  /** Drops every answer, and refuses fills that started before: what they were built from can no longer be trusted. */
  reset(): void;
  readonly size: number;
}

/** A fill that took longer than this is not stored (its invalidation marks may be gone). */
const FILL_HORIZON_MS = 60_000;

export function createResponseCache(options: ResponseCacheOptions): ResponseCache {
  const { clock } = options;
  const index = createTagIndex();
  const maxEntryBytes = options.maxEntryBytes ?? Math.max(1, Math.floor(options.maxBytes / 16));
  const entries = new LRUCache<string, StoredResponse>({
    maxSize: Math.max(1, options.maxBytes),
    sizeCalculation: (entry, key) => entry.body.length + key.length,
    dispose: (_value, key) => index.remove(key),
  });
  // A counter, not a time: two invalidations in the same millisecond still order against a fill.
  let sequence = 0;
  // The sequence of the last reset: fills that began at or before it are refused.
  let resetAt = -1;
  // The last invalidation of each tag, kept for as long as a fill may run (older fills are refused).
  const invalidatedAt = new Map<string, { sequence: number; at: number }>();
  const prune = (now: number) => {
    for (const [tag, mark] of invalidatedAt) if (now - mark.at > FILL_HORIZON_MS) invalidatedAt.delete(tag);
  };

  return {
    get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (clock.now() >= entry.expiresAt) {
        entries.delete(key);
        return undefined;
      }
      return entry;
    },
    begin() {
      return { sequence, at: clock.now() };
    },
    set(key, entry, started) {
      const now = clock.now();
      if (now - started.at > FILL_HORIZON_MS || now >= entry.expiresAt || entry.body.length > maxEntryBytes) return false;
      if (resetAt >= started.sequence) return false;
      if (entry.tags.some((tag) => (invalidatedAt.get(tag)?.sequence ?? -1) >= started.sequence)) return false;
      entries.set(key, entry);
      index.add(key, entry.tags);
      return true;
    },
    invalidate(tags) {
      const now = clock.now();
      if (invalidatedAt.size > 10_000) prune(now);
      for (const tag of tags) invalidatedAt.set(tag, { sequence, at: now });
      sequence += 1;
      for (const key of index.take(tags)) entries.delete(key);
    },
    reset() {
      resetAt = sequence;
      sequence += 1;
      entries.clear();
    },
    get size() {
      return entries.size;
    },
  };
}
