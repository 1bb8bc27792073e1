import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createRedisDeploymentStore } from '#src/infra/redis/deployment-store.js';
import type { DeploymentRecord } from '#src/services/deploy/types.js';
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
    expect(await a.endOf('dep_1')).toBeUndefined();
    expect(await b.decideEnd('dep_1', 'cancel')).toBe('cancel');
    expect(await a.endOf('dep_1')).toBe('cancel');
    // The runner's next write does not erase the request, and the runner can no longer settle on finishing.
    await a.save(record('dep_1'));
    expect(await a.endOf('dep_1')).toBe('cancel');
    expect(await a.decideEnd('dep_1', 'finish')).toBe('cancel');
  });

  it('lets the first of a cancel and a finish win, for every instance', async () => {
    const prefix = `test:deployment:${randomUUID()}:`;
    const a = createRedisDeploymentStore({ redis: redis.a(), prefix });
    const b = createRedisDeploymentStore({ redis: redis.b(), prefix });
    const answers = await Promise.all([a.decideEnd('dep_2', 'finish'), b.decideEnd('dep_2', 'cancel'), b.decideEnd('dep_2', 'cancel')]);
    // Whichever came first, everyone was told the same end.
    expect(new Set(answers).size).toBe(1);
    expect(await a.endOf('dep_2')).toBe(answers[0]);
    expect(await redis.a().ttl(`${prefix}dep_2:end`)).toBeGreaterThan(6 * 24 * 3600);
  });

  it('treats unreadable content as no deployment', async () => {
    const prefix = `test:deployment:${randomUUID()}:`;
    await redis.a().set(`${prefix}dep_x`, '{not json');
    expect(await createRedisDeploymentStore({ redis: redis.a(), prefix }).get('dep_x')).toBeUndefined();
  });
});
