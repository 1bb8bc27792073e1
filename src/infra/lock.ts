import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import { systemClock, type Clock } from './clock.js';

/**
 * A lease-style mutual exclusion lock: held for `ttlMs` after each successful `acquire`, so a holder that dies
 * loses it within one TTL and another instance takes over. Holders call `acquire` again (it renews) well within
 * the TTL.
 */
export interface Lock {
  /** Takes the lock, or renews it when this owner already holds it. False when someone else holds it. */
  acquire(): Promise<boolean>;
  /** Gives the lock up if this owner holds it. */
  release(): Promise<void>;
  /** Whether this owner holds the lock, by its own conservative reckoning (from before the last acquire). */
  readonly held: boolean;
}

/** Options for {@link createRedisLock}. */
export interface RedisLockOptions {
  /** A fail-fast connection (role `bus`). */
  redis: Redis;
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

function defaultOwner(): string {
  return `${hostname()}:${process.pid}:${randomUUID()}`;
}

function validateTtl(ttlMs: number): void {
  if (!Number.isInteger(ttlMs) || ttlMs <= 0) throw new RangeError(`lock ttlMs must be a positive integer, got ${ttlMs}`);
}

/** A {@link Lock} shared by every instance through one Redis key. Errors from Redis reject `acquire`. */
export function createRedisLock(options: RedisLockOptions): Lock {
  validateTtl(options.ttlMs);
  const clock = options.clock ?? systemClock;
  const owner = options.owner ?? defaultOwner();
  let heldUntil = 0;
  return {
    async acquire() {
      // Measured before the round trip: the lock may expire in Redis earlier than we learn it was taken.
      const startedAt = clock.now();
      try {
        const won = await options.redis.eval(ACQUIRE_SCRIPT, 1, options.key, owner, String(options.ttlMs));
        heldUntil = won === 1 ? startedAt + options.ttlMs : 0;
        return won === 1;
      } catch (error) {
        heldUntil = 0;
        throw error;
      }
    },
    async release() {
      heldUntil = 0;
      await options.redis.eval(RELEASE_SCRIPT, 1, options.key, owner);
    },
    get held() {
      return heldUntil > clock.now();
    },
  };
}

/** Lock state shared by memory locks that contend with each other (one per simulated instance). */
export type MemoryLockRegistry = Map<string, { owner: string; expiresAt: number }>;

/** Options for {@link createMemoryLock}. */
export interface MemoryLockOptions {
  /** @default 'lock' */
  key?: string;
  /** @default 30000 */
  ttlMs?: number;
  owner?: string;
  clock?: Clock;
  /** Share one registry between locks to make them contend; by default each lock has its own (always free). */
  registry?: MemoryLockRegistry;
}

/** A process-local {@link Lock}: for a single instance, and for tests that simulate several. */
export function createMemoryLock(options: MemoryLockOptions = {}): Lock {
  const key = options.key ?? 'lock';
  const ttlMs = options.ttlMs ?? 30_000;
  validateTtl(ttlMs);
  const clock = options.clock ?? systemClock;
  const owner = options.owner ?? defaultOwner();
  const registry: MemoryLockRegistry = options.registry ?? new Map();
  const holds = () => {
    const entry = registry.get(key);
    return entry !== undefined && entry.owner === owner && entry.expiresAt > clock.now();
  };
  return {
    async acquire() {
      const entry = registry.get(key);
      if (entry && entry.owner !== owner && entry.expiresAt > clock.now()) return false;
      registry.set(key, { owner, expiresAt: clock.now() + ttlMs });
      return true;
    },
    async release() {
      if (holds()) registry.delete(key);
    },
    get held() {
      return holds();
    },
  };
}
