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
  /** Deployments kept per app in its history; older ones are dropped when a new one is saved. @default 50 */
  historyPerApp?: number;
}

const endOf = (value: string | null): DeploymentEnd | undefined => (value === 'cancel' || value === 'finish' ? value : undefined);

function parse(text: string | null): DeploymentRecord | undefined {
  if (!text) return undefined;
  try {
    const record = JSON.parse(text) as DeploymentRecord;
    return typeof record.id === 'string' && Array.isArray(record.steps) ? record : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A {@link DeploymentStore} with one JSON key per deployment, shared by every instance, and per app a sorted set of
 * its deployment ids by creation time (`<prefix>app:<app>`), trimmed to `historyPerApp`.
 */
export function createRedisDeploymentStore(options: RedisDeploymentStoreOptions): DeploymentStore {
  const prefix = options.prefix ?? 'flygate:deployment:';
  const retention = options.retentionSeconds ?? 7 * 24 * 3600;
  const historyPerApp = options.historyPerApp ?? 50;
  const indexKey = (app: string) => `${prefix}app:${app}`;
  return {
    async save(record) {
      await options.redis.set(prefix + record.id, JSON.stringify(record), 'EX', retention);
      const index = indexKey(record.app);
      if ((await options.redis.zadd(index, 'NX', record.createdAt, record.id)) === 0) return;
      await options.redis.expire(index, retention);
      const excess = (await options.redis.zcard(index)) - historyPerApp;
      if (excess <= 0) return;
      const dropped = await options.redis.zrange(index, 0, excess - 1);
      if (dropped.length === 0) return;
      await options.redis.zrem(index, ...dropped);
      // One key per command: on a Redis Cluster they live in different slots.
      for (const id of dropped) {
        await options.redis.del(prefix + id);
        await options.redis.del(`${prefix}${id}:end`);
      }
    },
    async get(id) {
      return parse(await options.redis.get(prefix + id));
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
    async list(app, limit) {
      const ids = await options.redis.zrevrange(indexKey(app), 0, limit - 1);
      const records: DeploymentRecord[] = [];
      // One GET per id: on a Redis Cluster the records live in different slots, so no MGET.
      for (const id of ids) {
        const record = parse(await options.redis.get(prefix + id));
        if (record) records.push(record);
      }
      return records;
    },
  };
}
