import { randomUUID } from 'node:crypto';
import type { RedisConnection } from './client.js';
import { DEFAULT_CLAIM_TTL_MS, DEFAULT_DEDUPE_TTL_MS, type ClaimResult, type DedupeStore } from '../../services/ports.js';
import type { DedupeTimings } from '../memory/dedupe-store.js';
import { redisScript, runScript } from './script.js';

/** Options for {@link createRedisDedupeStore}. */
export interface RedisDedupeStoreOptions extends DedupeTimings {
  /** A connection that fails fast (role `bus`): a claim that cannot be made must surface as an error. */
  redis: RedisConnection;
  /** @default 'flygate:dedupe:' */
  prefix?: string;
}

// Claim and inspect in one step, so "exists" and "what state" cannot disagree. A claim holds its claimant's token, so
// only that claimant can take it back; anything but `done` (including the bare `pending` of older versions) is in
// flight.
const CLAIM_SCRIPT = `
if redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[1], 'NX') then return 'claimed' end
if redis.call('GET', KEYS[1]) == 'done' then return 'done' end
return 'pending'
`;
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

const CLAIM = redisScript(CLAIM_SCRIPT);
const RELEASE = redisScript(RELEASE_SCRIPT);

/**
 * A {@link DedupeStore} shared by every instance: exactly one instance wins a given id.
 *
 * A claim whose reply never came (Redis frozen, or gone and the command kept in ioredis's offline queue) may still be
 * applied later, when Redis answers again: the webhook was already refused with 503, and that orphan claim would
 * answer its redeliveries `EVENT_IN_FLIGHT` until it expired. So a failed claim is taken back at once: the release
 * goes out on the same connection behind the claim, which Redis therefore runs after it, whenever that is.
 */
export function createRedisDedupeStore(options: RedisDedupeStoreOptions): DedupeStore {
  const { redis } = options;
  const prefix = options.prefix ?? 'flygate:dedupe:';
  const ttlMs = options.ttlMs ?? DEFAULT_DEDUPE_TTL_MS;
  const claimTtlMs = options.claimTtlMs ?? DEFAULT_CLAIM_TTL_MS;
  // The token of each claim this instance holds, until it is committed or released.
  const held = new Map<string, string>();
  const release = (id: string, token: string) => runScript(redis, RELEASE, [prefix + id], [token]);
  return {
    async claim(id): Promise<ClaimResult> {
      const token = `pending:${randomUUID()}`;
      let state: unknown;
      try {
        state = await runScript(redis, CLAIM, [prefix + id], [String(claimTtlMs), token]);
      } catch (error) {
        // Not awaited: it may wait as long as the claim does. Its own failure means the claim never landed either
        // (the connection that carried both is gone), or that Redis lost it.
        release(id, token).catch(() => undefined);
        throw error;
      }
      if (state === 'claimed') {
        held.set(id, token);
        return 'claimed';
      }
      return state === 'done' ? 'duplicate' : 'in-flight';
    },
    async commit(id) {
      held.delete(id);
      await redis.set(prefix + id, 'done', 'PX', ttlMs);
    },
    async release(id) {
      const token = held.get(id);
      held.delete(id);
      if (token) await release(id, token);
    },
  };
}
