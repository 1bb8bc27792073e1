import { once } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { createRedis } from '#src/infra/redis/client.js';
import { createRedisCacheStore } from '#src/infra/redis/cache-store.js';
import { uniqueApp, useTwoInstancesOnPrivateRedis, type TestGateway } from '../events/harness.js';
import { queryGateway as query, machinesOf } from '../../helpers/gateway-queries.js';

/** A machine of a fresh app that instances A and B have both read (B twice, so B also keeps the whole answer). */
async function readEverywhere(world: ReturnType<typeof useTwoInstancesOnPrivateRedis>) {
  const app = uniqueApp();
  world.emu.control.createApp(app);
  const machine = world.emu.control.createMachine(app, { state: 'started', config: { image: 'x:1' } });
  await query(world.a, machinesOf(app));
  await query(world.b, machinesOf(app));
  expect((await query(world.b, machinesOf(app))).extensions.cache.response).toBe('hit');
  return { app, machineId: machine.id };
}

async function stopThrough(gw: TestGateway, app: string, machineId: string): Promise<void> {
  const stop = await query(gw, `mutation { stopMachine(input: { app: "${app}", machineId: "${machineId}" }) { __typename } }`);
  expect(stop.data.stopMachine.__typename).toBe('StopMachineSuccess');
}

/** Milliseconds until `gw` answers `app`'s machine as stopped (polling every 20 ms, giving up after `limitMs`). */
async function msUntilStopped(gw: TestGateway, app: string, limitMs: number): Promise<number> {
  const started = Date.now();
  await expect
    .poll(async () => (await query(gw, machinesOf(app))).data.machines.nodes[0].state, { timeout: limitMs, interval: 20 })
    .toBe('STOPPED');
  return Date.now() - started;
}

describe('instances agree after Redis comes back', () => {
  const world = useTwoInstancesOnPrivateRedis();

  it('should answer fresh on B right after Redis restarts empty, when A changed a machine while Redis was down', async () => {
    const { a, b, redis } = world;
    const { app, machineId } = await readEverywhere(world);

    await redis.kill('SIGKILL');
    try {
      // A's announcement of the change has nowhere to go: B keeps its copies, and a restarted Redis forgets.
      await stopThrough(a, app, machineId);
    } finally {
      await redis.restart();
    }
    // B's copies (entry and whole answer) are dropped as soon as its channel is back, not when they expire (~25 s).
    expect(await msUntilStopped(b, app, 3_000)).toBeLessThan(2_000);
    expect((await query(a, machinesOf(app))).data.machines.nodes[0].state).toBe('STOPPED');
  }, 20_000);

  it('should answer fresh on A and B soon after a frozen Redis thaws, when A changed a machine meanwhile', async () => {
    const { a, b, redis } = world;
    const { app, machineId } = await readEverywhere(world);

    redis.pause();
    try {
      // A gives up on its invalidation after 150 ms; the entry must be gone from Redis and B told once it thaws.
      await stopThrough(a, app, machineId);
    } finally {
      redis.resume();
    }
    expect(await msUntilStopped(b, app, 4_000)).toBeLessThan(3_000);
    expect((await query(a, machinesOf(app))).data.machines.nodes[0].state).toBe('STOPPED');
  }, 20_000);

  it('should stop trusting old copies after a few seconds while Redis is away, and still answer every read', async () => {
    const { a, b, emu, redis } = world;
    const { app, machineId } = await readEverywhere(world);

    await redis.kill('SIGKILL');
    try {
      // Changed in Fly with no event at all: only B's distrust of its unheard copies can show it.
      emu.control.setMachineState(app, machineId, 'stopped');
      const waited = await msUntilStopped(b, app, 9_000);
      expect(waited).toBeGreaterThan(1_000);
      expect(waited).toBeLessThan(8_000);
      const answer = await query(a, machinesOf(app));
      expect(answer.errors).toBeUndefined();
    } finally {
      await redis.restart();
    }
  }, 20_000);

  it('should replay an invalidation that never reached Redis once the instance reaches it again', async () => {
    const redisA = createRedis(world.redis.url, { role: 'cache' });
    const redisB = createRedis(world.redis.url, { role: 'cache' });
    const storeA = createRedisCacheStore({ redis: redisA, retryPendingMs: 100 });
    const storeB = createRedisCacheStore({ redis: redisB });
    try {
      // The cache's connections queue nothing while offline (as the gateway's): wait until both are ready, as the
      // gateway's start() does, before the first command.
      await Promise.all([redisA, redisB].map((r) => (r.status === 'ready' ? undefined : once(r, 'ready'))));
      await Promise.all([storeA.start?.(), storeB.start?.()]);
      const heard: string[][] = [];
      storeB.onRemoteInvalidate?.((tags) => heard.push([...tags]));
      const scope = uniqueApp('replay');
      const key = `flygate:cache:{${scope}}:t:machines:list`;
      await storeA.set(key, 'old', 60_000, [`{${scope}}:machines`]);

      // Only A loses its connection (a partition): its invalidation fails at once, and Redis keeps the entry.
      redisA.disconnect();
      await expect(storeA.invalidate([`{${scope}}:machines`])).rejects.toThrow();
      expect(await redisB.get(key)).toBe('old');

      if (redisA.status !== 'end') await once(redisA, 'end');
      await redisA.connect();
      await vi.waitFor(async () => expect(await redisB.get(key)).toBeNull(), { timeout: 3_000, interval: 50 });
      await vi.waitFor(() => expect(heard).toContainEqual([`{${scope}}:machines`]), { timeout: 1_000, interval: 20 });
    } finally {
      await storeA.close();
      await storeB.close();
      redisA.disconnect();
      redisB.disconnect();
    }
  });
});
