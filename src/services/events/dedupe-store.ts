import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import type { ClaimResult, DedupeStore } from './types.js';

/** Standard Webhooks senders retry for days with the same id; 72 h outlives their retry schedules. */
export const DEFAULT_DEDUPE_TTL_MS = 72 * 60 * 60 * 1000;

/** How long an uncommitted claim blocks other attempts; far above a publish's worst case (bus timeout ~2 s). */
export const DEFAULT_CLAIM_TTL_MS = 30_000;

/** Options shared by both stores. */
interface DedupeTimings {
  /** How long a committed id is remembered. @default 72 h */
  ttlMs?: number;
  /** How long an uncommitted claim lives. @default 30 s */
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

/** Options for {@link createRedisDedupeStore}. */
export interface RedisDedupeStoreOptions extends DedupeTimings {
  /** A connection that fails fast (role `bus`): a claim that cannot be made must surface as an error. */
  redis: Redis;
  /** @default 'flygate:dedupe:' */
  prefix?: string;
}

// Claim and inspect in one step, so "exists" and "what state" cannot disagree.
const CLAIM_SCRIPT = `
if redis.call('SET', KEYS[1], 'pending', 'PX', ARGV[1], 'NX') then return 'claimed' end
return redis.call('GET', KEYS[1]) or 'pending'
`;
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == 'pending' then return redis.call('DEL', KEYS[1]) end
return 0
`;

/** A {@link DedupeStore} shared by every instance: exactly one instance wins a given id. */
export function createRedisDedupeStore(options: RedisDedupeStoreOptions): DedupeStore {
  const { redis } = options;
  const prefix = options.prefix ?? 'flygate:dedupe:';
  const ttlMs = options.ttlMs ?? DEFAULT_DEDUPE_TTL_MS;
  const claimTtlMs = options.claimTtlMs ?? DEFAULT_CLAIM_TTL_MS;
  return {
    async claim(id): Promise<ClaimResult> {
      const state = await redis.eval(CLAIM_SCRIPT, 1, prefix + id, String(claimTtlMs));
      if (state === 'claimed') return 'claimed';
      return state === 'done' ? 'duplicate' : 'in-flight';
    },
    async commit(id) {
      await redis.set(prefix + id, 'done', 'PX', ttlMs);
    },
    async release(id) {
      await redis.eval(RELEASE_SCRIPT, 1, prefix + id);
    },
  };
}
