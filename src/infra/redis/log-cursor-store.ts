import { createHash } from 'node:crypto';
import type { RedisConnection } from './client.js';
import type { LogCursorStore } from '../../services/logs/types.js';

/**
 * A {@link LogCursorStore} in Redis: one key per stream (`flygate:logs:cursor:<hash of the stream>`, so no tenant
 * fingerprint or app name is spelt out), expiring with its lifetime.
 */
export function createRedisLogCursorStore(options: { redis: RedisConnection }): LogCursorStore {
  const keyOf = (key: string) => `flygate:logs:cursor:${createHash('sha256').update(key).digest('base64url').slice(0, 22)}`;
  return {
    async load(key) {
      return (await options.redis.get(keyOf(key))) ?? undefined;
    },
    async save(key, token, ttlMs) {
      await options.redis.set(keyOf(key), token, 'PX', ttlMs);
    },
  };
}
