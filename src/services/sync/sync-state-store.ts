import type { Redis } from 'ioredis';
import type { MachineSnapshot } from './machine-snapshot.js';

/** What the sync job carries from one poll to the next. */
export interface SyncState {
  /** Largest `updated_at` seen (RFC 3339): the feed is asked for changes after this, minus the overlap. */
  cursor: string;
  /** When the last successful poll started (ms, job clock): Fly events older than this, minus the overlap, are old news. */
  polledAt: number;
  machines: MachineSnapshot[];
}

/**
 * Where the sync job keeps its state. Shared (Redis) state lets the instance that takes the lock over continue
 * from where the previous holder stopped instead of starting a fresh baseline and missing the changes in between.
 */
export interface SyncStateStore {
  load(): Promise<SyncState | undefined>;
  save(state: SyncState): Promise<void>;
}

/** A process-local {@link SyncStateStore}. */
export function createMemorySyncStateStore(): SyncStateStore {
  let saved: SyncState | undefined;
  return {
    async load() {
      return saved && structuredClone(saved);
    },
    async save(state) {
      saved = structuredClone(state);
    },
  };
}

/** Options for {@link createRedisSyncStateStore}. */
export interface RedisSyncStateStoreOptions {
  redis: Redis;
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
