import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createRedisLock } from '#src/infra/redis/lock.js';
import { createRedis } from '#src/infra/redis/client.js';
import { createRedisDedupeStore } from '#src/infra/redis/dedupe-store.js';
import { createEventIngest } from '#src/services/events/event-ingest.js';
import { createMemoryEventBus } from '#src/infra/memory/event-bus.js';
import type { GatewayEvent } from '#src/services/events/types.js';
import { createSyncJob } from '#src/services/sync/sync-job.js';
import { createRedisSyncStateStore } from '#src/infra/redis/sync-state-store.js';
import { createFakeFly } from '../../unit/services/sync/fake-fly.js';

let redis: Redis;
beforeAll(() => {
  redis = createRedis('redis://127.0.0.1:6379', { role: 'bus' });
});
afterAll(async () => {
  await redis.quit();
});

describe('sync job over Redis', () => {
  it('should continue from shared state on the instance that takes over the lock', async () => {
    const ns = `test:sync:${randomUUID()}`;
    const world = createFakeFly();
    const published: GatewayEvent[] = [];
    const dedupe = createRedisDedupeStore({ redis, prefix: `${ns}:dedupe:` });
    const job = (owner: string) => {
      const bus = createMemoryEventBus();
      const ingest = createEventIngest({ bus: { ...bus, publish: async (e) => (published.push(e), bus.publish(e)) }, dedupe });
      const lock = createRedisLock({ redis, key: `${ns}:lock`, ttlMs: 60_000, owner });
      const state = createRedisSyncStateStore({ redis, key: `${ns}:state` });
      return createSyncJob({ fly: world.fly, org: 'acme', ingest, lock, intervalMs: 5_000, state });
    };
    const a = job('a');
    const b = job('b');
    world.put({ app: 'web', id: 'm1', state: 'stopped', version: 'v1', updatedAt: '2026-01-01T00:00:00Z' });
    expect(await a.runOnce()).toMatchObject({ polled: true, baseline: true });
    expect(await b.runOnce()).toEqual({ polled: false, emitted: 0 });

    world.put({ app: 'web', id: 'm1', state: 'started', version: 'v1', updatedAt: '2026-01-01T00:01:00Z' });
    await redis.pexpire(`${ns}:lock`, 1); // a stops renewing; its lease runs out
    await vi.waitFor(async () => expect(await b.runOnce()).toMatchObject({ polled: true, emitted: 1 }));
    expect(published.map((e) => [e.type, e.from, e.to])).toEqual([['machine.state_changed', 'stopped', 'started']]);
    const keys = [`${ns}:lock`, `${ns}:state`];
    for await (const batch of redis.scanStream({ match: `${ns}:dedupe:*` })) keys.push(...(batch as string[]));
    await redis.del(...keys);
  });
});
