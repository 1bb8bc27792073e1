import type { Probe } from '../../services/health.js';
import type { RedisConnection } from './client.js';

/** Options for {@link createRedisProbe}. */
export interface RedisProbeOptions {
  /** A connection of role `bus`: the one webhooks, dedupe and locks write through. */
  redis: RedisConnection;
  /** The key written by each probe; it expires on its own. @default 'flygate:readyz' */
  key?: string;
  /** How long the probe key lives. @default 10000 */
  ttlMs?: number;
}

/**
 * Redis error replies that mean "reachable, but refusing writes", by the prefix Redis gives them, with what an
 * operator should read instead of the driver's text.
 */
const REFUSALS: ReadonlyArray<readonly [prefix: string, message: string]> = [
  ['OOM', 'Redis refuses writes (out of memory: maxmemory reached and the eviction policy frees nothing)'],
  ['READONLY', 'Redis refuses writes (connected to a read-only replica)'],
  ['MISCONF', 'Redis refuses writes (its snapshots are failing: MISCONF)'],
  ['NOAUTH', 'Redis refuses the connection (authentication required: check REDIS_URL)'],
  ['WRONGPASS', 'Redis refuses the connection (wrong user or password: check REDIS_URL)'],
];

/** An operator's reading of a failed probe write: the known refusals by name, anything else as the driver said it. */
export function describeRedisFailure(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  for (const [prefix, message] of REFUSALS) if (text.startsWith(prefix)) return message;
  return `Redis unavailable: ${text}`;
}

/**
 * The readiness probe for Redis: a short-lived write, not a PING. A Redis out of memory under `noeviction` (or a
 * replica, or one whose snapshots fail) still answers PING while every write fails, and then webhooks answer 503
 * while readiness would say `pass`.
 */
export function createRedisProbe(options: RedisProbeOptions): Probe {
  const { redis } = options;
  const key = options.key ?? 'flygate:readyz';
  const ttlMs = options.ttlMs ?? 10_000;
  return async () => {
    try {
      await redis.set(key, String(Date.now()), 'PX', ttlMs);
    } catch (error) {
      throw new Error(describeRedisFailure(error), { cause: error });
    }
  };
}
