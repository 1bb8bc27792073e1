import type { RedisConnection } from './client.js';
import type { DeploymentRecord } from '../../services/deploy/types.js';
import type { DeploymentStore } from '../../services/ports.js';

/** Options for {@link createRedisDeploymentStore}. */
export interface RedisDeploymentStoreOptions {
  redis: RedisConnection;
  /** @default 'flygate:deployment:' */
  prefix?: string;
  /** How long a record is kept after its last write. @default 7 days */
  retentionSeconds?: number;
}

/** A {@link DeploymentStore} with one JSON key per deployment, shared by every instance. */
export function createRedisDeploymentStore(options: RedisDeploymentStoreOptions): DeploymentStore {
  const prefix = options.prefix ?? 'flygate:deployment:';
  const retention = options.retentionSeconds ?? 7 * 24 * 3600;
  return {
    async save(record) {
      await options.redis.set(prefix + record.id, JSON.stringify(record), 'EX', retention);
    },
    async get(id) {
      const text = await options.redis.get(prefix + id);
      if (!text) return undefined;
      try {
        const record = JSON.parse(text) as DeploymentRecord;
        return typeof record.id === 'string' && Array.isArray(record.steps) ? record : undefined;
      } catch {
        return undefined;
      }
    },
    async requestCancel(id) {
      await options.redis.set(`${prefix}${id}:cancel`, '1', 'EX', retention);
    },
    async isCancelRequested(id) {
      return (await options.redis.exists(`${prefix}${id}:cancel`)) === 1;
    },
  };
}
