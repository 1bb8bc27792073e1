import type { Cluster } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '#src/emulator/emulator.js';
import { CLUSTER_EVENT_STREAM } from '#src/gateway.js';
import { createRedis, hashPartOf } from '#src/infra/redis/client.js';
import { createRedisCacheStore } from '#src/infra/redis/cache-store.js';
import { createRedisDedupeStore } from '#src/infra/redis/dedupe-store.js';
import { createRedisEventBus } from '#src/infra/redis/event-bus.js';
import { createRedisLock } from '#src/infra/redis/lock.js';
import { cacheTag } from '#src/services/cache/read-cache.js';
import { INSTANT } from '../../helpers/test-gateway.js';
import { startRedisCluster, type TestRedisCluster } from '../../helpers/redis-server.js';
import {
  postWebhook,
  startTestGateway,
  stateChanged,
  STATE_CHANGES,
  subscribeWs,
  uniqueApp,
  type TestGateway,
  type TestSubscriber,
} from '../events/harness.js';
import { expectOneSharedBudget, queryGateway as query, machinesOf } from '../../helpers/gateway-queries.js';

/** The master that holds `key`'s slot, as `host:port`. */
async function nodeOf(redis: Cluster, key: string): Promise<string> {
  const slot = (await redis.cluster('KEYSLOT', key)) as number;
  const ranges = (await redis.cluster('SLOTS')) as unknown as Array<[number, number, [string, number]]>;
  const range = ranges.find(([from, to]) => slot >= from && slot <= to)!;
  return `${range[2][0]}:${range[2][1]}`;
}

// Same checks as the single-Redis tests (events across instances, dedupe, sync lock, shared cache, shared rate
// budget), on a 3-master Redis Cluster this file starts: two gateways with REDIS_CLUSTER=true seeded by one node.
describe('two gateway instances on a Redis Cluster', () => {
  let cluster: TestRedisCluster;
  let redis: Cluster;
  let emu: Emulator;
  let a: TestGateway;
  let b: TestGateway;
  const subscribers: TestSubscriber[] = [];
  const cleanup: Array<() => Promise<unknown> | void> = [];

  beforeAll(async () => {
    cluster = await startRedisCluster();
    redis = createRedis(cluster.url, { role: 'bus', cluster: true });
    // The emulator enforces Fly's documented limits itself (list machines: 1 req/s, burst 3, per app).
    emu = createEmulator({ seed: 'none', delays: INSTANT, rateLimit: true });
    await emu.start({ port: 0, host: '127.0.0.1' });
    // A long interval: the sync job polls once at start (one instance, under the lock) and then only when a test says.
    const env = { REDIS_URL: cluster.url, REDIS_CLUSTER: 'true', SYNC_ENABLED: 'true', SYNC_INTERVAL_MS: '600000', FLY_RATE_LIMIT: 'true' };
    a = await startTestGateway({ emulator: emu, env });
    // B is seeded by another node: any master leads to the whole cluster.
    b = await startTestGateway({ emulator: emu, env: { ...env, REDIS_URL: `redis://127.0.0.1:${cluster.ports[1]}` } });
  }, 45_000);
  afterEach(async () => {
    for (const subscriber of subscribers.splice(0)) await subscriber.close();
    for (const step of cleanup.splice(0).reverse()) await step();
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await emu?.stop();
    redis?.disconnect();
    await cluster?.stop();
  });

  it('should deliver a webhook posted to A to a graphql-ws subscriber of B, in order, once per webhook id', async () => {
    const app = uniqueApp();
    const ws = subscribeWs(b.wsUrl, STATE_CHANGES, { app, afterSeq: 0 });
    subscribers.push(ws);
    const body = stateChanged(app, 'm1', 'stopped', 'started');
    expect((await postWebhook(a.base, body, { id: 'msg_cluster_1' })).status).toBe(204);
    expect((await postWebhook(b.base, body, { id: 'msg_cluster_1' })).status).toBe(204); // redelivered to the other one
    expect((await postWebhook(a.base, stateChanged(app, 'm2', 'started', 'stopped'))).status).toBe(204);
    expect((await postWebhook(b.base, stateChanged(app, 'sentinel', 'stopped', 'started'))).status).toBe(204);
    const first = await ws.next();
    expect(first).toMatchObject({ kind: 'EVENT', machineId: 'm1', to: 'STARTED' });
    expect(await ws.next()).toMatchObject({ machineId: 'm2', seq: first.seq! + 1, epoch: first.epoch });
    expect(await ws.next()).toMatchObject({ machineId: 'sentinel', seq: first.seq! + 2, epoch: first.epoch });
    // The stream and its epoch live in one slot, under the hash-tagged name.
    expect(await redis.exists(CLUSTER_EVENT_STREAM, `${CLUSTER_EVENT_STREAM}:epoch`)).toBe(2);
  });

  it('should let exactly one instance hold the sync lock and poll', async () => {
    for (let round = 0; round < 3; round++) {
      const results = await Promise.all([a.gateway.sync!.runOnce(), b.gateway.sync!.runOnce()]);
      expect(results.filter((r) => r.polled)).toHaveLength(1);
    }
    // Two single-key stores in two slots: each command goes to its own master.
    expect([await redis.exists('flygate:sync:lock'), await redis.exists('flygate:sync:state')]).toEqual([1, 1]);
  });

  it('should answer B from what A cached, and show a write through A on the next read through B', async () => {
    const app = uniqueApp();
    emu.control.createApp(app);
    const machine = emu.control.createMachine(app, { state: 'started', config: { image: 'x:1' } });

    emu.resetRequestCounts();
    await query(a, machinesOf(app));
    const fromB = await query(b, machinesOf(app));
    expect(fromB.data.machines.nodes).toEqual([{ machineId: machine.id, state: 'STARTED' }]);
    expect(emu.requestCounts()).toEqual({ 'machines.list': 1 });
    expect(fromB.extensions.cache).toMatchObject({ hits: 1 });

    const stop = await query(a, `mutation { stopMachine(input: { app: "${app}", machineId: "${machine.id}" }) { __typename } }`);
    expect(stop.data.stopMachine.__typename).toBe('StopMachineSuccess');
    // B's in-process copy was dropped by A's announcement (Pub/Sub across the cluster), and Redis's by A's script.
    await expect
      .poll(async () => (await query(b, machinesOf(app))).data?.machines?.nodes[0]?.state, { timeout: 5_000, interval: 200 })
      .not.toBe('STARTED');
  });

  it('should keep both instances together within the per-app budget, so Fly never answers 429', async () => {
    const app = uniqueApp();
    await expectOneSharedBudget(a, b, emu, app);
    // The budget was the shared one in the cluster, not each instance's local fallback.
    const budgetKeys: string[] = [];
    for (const node of redis.nodes('master')) budgetKeys.push(...(await node.keys(`flygate:budget:*${app}*`)));
    expect(budgetKeys.length).toBeGreaterThan(0);
  }, 30_000);

  it('should run the adapters themselves on the cluster: dedupe, lock, cache invalidation and a hash-tagged bus', async () => {
    const dedupe = createRedisDedupeStore({ redis, prefix: 'test:dedupe:' });
    const claims = await Promise.all(['x', 'y', 'x'].map((id) => dedupe.claim(id)));
    expect(claims).toEqual(['claimed', 'claimed', 'in-flight']);
    await dedupe.commit('x');
    expect(await dedupe.claim('x')).toBe('duplicate');

    const first = createRedisLock({ redis, key: 'test:lock', ttlMs: 5_000, owner: 'one' });
    const second = createRedisLock({ redis, key: 'test:lock', ttlMs: 5_000, owner: 'two' });
    expect([await first.acquire(), await second.acquire()]).toEqual([true, false]);
    await first.release();
    expect(await second.acquire()).toBe(true);

    // Cache entries of many apps spread over the masters; each app's key and tag set share one slot.
    // The cache role queues nothing while offline, so it connects before the first command, as the gateway does.
    const cacheRedis = createRedis(cluster.url, { role: 'cache', cluster: true, overrides: { lazyConnect: true } });
    await cacheRedis.connect();
    const cacheA = createRedisCacheStore({ redis: cacheRedis });
    const apps = Array.from({ length: 12 }, () => uniqueApp('spread'));
    for (const app of apps) await cacheA.set(`flygate:cache:{${app}}:t:machines:x`, 'v', 10_000, [cacheTag('machines', app)]);
    const nodes = new Set(await Promise.all(apps.map((app) => nodeOf(redis, `flygate:cache:{${app}}:t:machines:x`))));
    expect(nodes.size).toBeGreaterThan(1);
    await cacheA.invalidate(apps.map((app) => cacheTag('machines', app)));
    for (const app of apps)
      expect(await redis.exists(`flygate:cache:{${app}}:t:machines:x`, `flygate:cache:tag:{${app}}:machines`)).toBe(0);
    await cacheA.close();
    cacheRedis.disconnect();

    // A stream key whose epoch would land in another slot is refused up front rather than failing on first publish.
    expect(() => createRedisEventBus({ redis, stream: 'test:events' })).toThrow(RangeError);
    expect(hashPartOf(CLUSTER_EVENT_STREAM)).toBe(hashPartOf(`${CLUSTER_EVENT_STREAM}:epoch`));
    cleanup.push(async () => {
      await redis.del('test:lock');
      await Promise.all(['x', 'y'].map((id) => redis.del(`test:dedupe:${id}`)));
    });
  });

  // Last: it leaves the cluster with a dead master.
  it('should keep answering reads, from Fly, when the master holding them dies', async () => {
    const apps = Array.from({ length: 6 }, () => uniqueApp('dead'));
    const nodes = await Promise.all(apps.map((app) => nodeOf(redis, `flygate:cache:{${app}}:x`)));
    const victim = Number(nodes[0]!.split(':')[1]);
    const onVictim = apps.filter((_, i) => nodes[i] === nodes[0]);
    for (const app of onVictim) {
      emu.control.createApp(app);
      emu.control.createMachine(app, { state: 'started', config: { image: 'x:1' } });
    }
    await cluster.kill(victim);
    const started = Date.now();
    for (const app of onVictim) {
      for (const gw of [a, b]) {
        const answer = await query(gw, `{ machines(app: "${app}") { nodes { state } } }`);
        expect(answer.errors).toBeUndefined();
        expect(answer.data.machines.nodes).toEqual([{ state: 'STARTED' }]);
      }
    }
    // Each read gives up on Redis after a few short retries (about 0.3 s here), none waits for the cluster to
    // notice the dead node; generous for two shared cores.
    expect(Date.now() - started).toBeLessThan(onVictim.length * 2 * 1_000);
  }, 30_000);
});
