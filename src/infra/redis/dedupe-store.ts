import type { RedisConnection } from './client.js';
import { DEFAULT_CLAIM_TTL_MS, DEFAULT_DEDUPE_TTL_MS, type ClaimResult, type DedupeStore } from '../../services/ports.js';
import type { DedupeTimings } from '../memory/dedupe-store.js';

/** Options for {@link createRedisDedupeStore}. */
export interface RedisDedupeStoreOptions extends DedupeTimings {
  /** A connection that fails fast (role `bus`): a claim that cannot be made must surface as an error. */
  redis: RedisConnection;
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
