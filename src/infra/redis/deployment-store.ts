import type { RedisConnection } from './client.js';
import type { DeploymentRecord } from '../../services/deploy/types.js';
import type { DeploymentEnd, DeploymentStore } from '../../services/ports.js';

/** Options for {@link createRedisDeploymentStore}. */
export interface RedisDeploymentStoreOptions {
  redis: RedisConnection;
  /** @default 'flygate:deployment:' */
  prefix?: string;
  /** How long a record is kept after its last write. @default 7 days */
  retentionSeconds?: number;
}

const endOf = (value: string | null): DeploymentEnd | undefined => (value === 'cancel' || value === 'finish' ? value : undefined);

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
    async decideEnd(id, end) {
      // SET NX decides it atomically across instances; whoever lost reads the end that won.
      const key = `${prefix}${id}:end`;
      if ((await options.redis.set(key, end, 'EX', retention, 'NX')) === 'OK') return end;
      return endOf(await options.redis.get(key)) ?? end;
    },
    async endOf(id) {
      return endOf(await options.redis.get(`${prefix}${id}:end`));
    },
  };
}
