import type { RedisConnection } from './client.js';
import type { Lock } from '../../services/ports.js';
import { systemClock, type Clock } from '../../lib/clock.js';
import { defaultLockOwner, validateLockTtl } from '../../lib/lock-owner.js';
import { redisScript, runScript } from './script.js';

/** Options for {@link createRedisLock}. */
export interface RedisLockOptions {
  /** A fail-fast connection (role `bus`). */
  redis: RedisConnection;
  key: string;
  ttlMs: number;
  /** Unique per holder. @default `<hostname>:<pid>:<random>` */
  owner?: string;
  /** @default systemClock */
  clock?: Clock;
}

// Take-or-renew and release must compare the owner and act in one step, or an expired holder could extend or
// delete a lock another instance has taken since.
const ACQUIRE_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if current == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if not current then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
`;
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

const ACQUIRE = redisScript(ACQUIRE_SCRIPT);
const RELEASE = redisScript(RELEASE_SCRIPT);

/** A {@link Lock} shared by every instance through one Redis key. Errors from Redis reject `acquire`. */
export function createRedisLock(options: RedisLockOptions): Lock {
  validateLockTtl(options.ttlMs);
  const clock = options.clock ?? systemClock;
  const owner = options.owner ?? defaultLockOwner();
  let heldUntil = 0;
  return {
    async acquire() {
      // Measured before the round trip: the lock may expire in Redis earlier than we learn it was taken.
      const startedAt = clock.now();
      try {
        const won = await runScript(options.redis, ACQUIRE, [options.key], [owner, String(options.ttlMs)]);
        heldUntil = won === 1 ? startedAt + options.ttlMs : 0;
        return won === 1;
      } catch (error) {
        heldUntil = 0;
        throw error;
      }
    },
    async release() {
      heldUntil = 0;
      await runScript(options.redis, RELEASE, [options.key], [owner]);
    },
    get held() {
      return heldUntil > clock.now();
    },
  };
}
