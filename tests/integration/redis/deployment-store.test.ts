import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createRedisDeploymentStore } from '../../../src/infra/redis/deployment-store.js';
import type { DeploymentRecord } from '../../../src/services/deploy/types.js';
import { useSharedRedisPair } from '../../helpers/redis-server.js';

const redis = useSharedRedisPair('test:deployment:*');

function record(id: string): DeploymentRecord {
  return {
    id,
    app: 'shop',
    image: 'registry.fly.io/shop:v2',
    strategy: 'rolling',
    maxUnavailable: 1,
    waitTimeoutSeconds: 300,
    status: 'running',
    createdAt: 1,
    updatedAt: 1,
    heartbeatAt: 1,
    leaseTtlMs: 30_000,
    owner: 'a',
    machines: [{ machineId: 'm1', role: 'existing', skipLaunch: false, targetImage: 'registry.fly.io/shop:v2' }],
    steps: [{ seq: 1, machineId: 'm1', step: 'leased', at: 1 }],
  };
}

describe('createRedisDeploymentStore', () => {
  it('shows a deployment written by one instance to another, kept for a week, with cancel requests apart', async () => {
    const prefix = `test:deployment:${randomUUID()}:`;
    const a = createRedisDeploymentStore({ redis: redis.a(), prefix });
    const b = createRedisDeploymentStore({ redis: redis.b(), prefix });
    await a.save(record('dep_1'));
    expect(await b.get('dep_1')).toEqual(record('dep_1'));
    expect(await b.get('dep_2')).toBeUndefined();
    const ttl = await redis.a().ttl(`${prefix}dep_1`);
    expect(ttl).toBeGreaterThan(6 * 24 * 3600);
    expect(await a.isCancelRequested('dep_1')).toBe(false);
    await b.requestCancel('dep_1');
    expect(await a.isCancelRequested('dep_1')).toBe(true);
    // The runner's next write does not erase the request.
    await a.save(record('dep_1'));
    expect(await a.isCancelRequested('dep_1')).toBe(true);
  });

  it('treats unreadable content as no deployment', async () => {
    const prefix = `test:deployment:${randomUUID()}:`;
    await redis.a().set(`${prefix}dep_x`, '{not json');
    expect(await createRedisDeploymentStore({ redis: redis.a(), prefix }).get('dep_x')).toBeUndefined();
  });
});
