import type { RedisConnection } from './client.js';
import type { SyncState, SyncStateStore } from '../../services/ports.js';

/** Options for {@link createRedisSyncStateStore}. */
export interface RedisSyncStateStoreOptions {
  redis: RedisConnection;
  /** @default 'flygate:sync:state' */
  key?: string;
}

/** A {@link SyncStateStore} in one Redis key (JSON). Unreadable content is treated as no state (a new baseline). */
export function createRedisSyncStateStore(options: RedisSyncStateStoreOptions): SyncStateStore {
  const key = options.key ?? 'flygate:sync:state';
  return {
    async load() {
      const text = await options.redis.get(key);
      if (!text) return undefined;
      try {
        const state = JSON.parse(text) as SyncState;
        return typeof state.cursor === 'string' && Array.isArray(state.machines) ? state : undefined;
      } catch {
        return undefined;
      }
    },
    async save(state) {
      await options.redis.set(key, JSON.stringify(state));
    },
  };
}
