import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createMemoryDeploymentStore } from '#src/infra/memory/deployment-store.js';
import { createRedisDeploymentStore } from '#src/infra/redis/deployment-store.js';
import type { DeploymentRecord } from '#src/services/deploy/types.js';
import type { DeploymentStore } from '#src/services/ports.js';
import { useSharedRedisPair } from '../../helpers/redis-server.js';

// An app's deployment history in both stores: newest first, per app, trimmed to historyPerApp on each new one,
// written by one instance and read by another (Redis).

const redis = useSharedRedisPair('test:deployment-history:*');

function record(id: string, app: string, createdAt: number): DeploymentRecord {
  return {
    id,
    app,
    image: `registry.fly.io/${app}:${id}`,
    strategy: 'rolling',
    maxUnavailable: 1,
    waitTimeoutSeconds: 300,
    status: 'succeeded',
    createdAt,
    updatedAt: createdAt,
    heartbeatAt: createdAt,
    leaseTtlMs: 30_000,
    owner: 'a',
    machines: [],
    steps: [],
  };
}

async function exercise(writer: DeploymentStore, reader: DeploymentStore): Promise<void> {
  for (const [i, id] of ['dep_1', 'dep_2', 'dep_3', 'dep_4'].entries()) await writer.save(record(id, 'shop', 1000 + i));
  await writer.save(record('dep_other', 'other', 500));
  // A later write of a kept deployment neither duplicates nor reorders it.
  await writer.save({ ...record('dep_3', 'shop', 1002), status: 'failed' });
  const shop = await reader.list('shop', 10);
  expect(shop.map((r) => r.id)).toEqual(['dep_4', 'dep_3', 'dep_2']);
  expect(shop[1]!.status).toBe('failed');
  expect((await reader.list('shop', 2)).map((r) => r.id)).toEqual(['dep_4', 'dep_3']);
  expect((await reader.list('other', 10)).map((r) => r.id)).toEqual(['dep_other']);
  expect(await reader.get('dep_1')).toBeUndefined();
  expect(await reader.list('nobody', 10)).toEqual([]);
}

describe('deployment history', () => {
  it('should keep the newest historyPerApp deployments of each app in Redis, newest first, for every instance', async () => {
    const prefix = `test:deployment-history:${randomUUID()}:`;
    const a = createRedisDeploymentStore({ redis: redis.a(), prefix, historyPerApp: 3 });
    const b = createRedisDeploymentStore({ redis: redis.b(), prefix, historyPerApp: 3 });
    await exercise(a, b);
    expect(await redis.a().zcard(`${prefix}app:shop`)).toBe(3);
    expect(await redis.a().exists(`${prefix}dep_1`)).toBe(0);
  });

  it('should keep the same history in memory', async () => {
    const store = createMemoryDeploymentStore(undefined, { historyPerApp: 3 });
    await exercise(store, store);
  });
});
