import { describe, expect, it } from 'vitest';
import { uniqueApp, useTwoInstancesOnPrivateRedis } from '../events/harness.js';
import { queryGateway as query, machinesOf } from '../../helpers/gateway-queries.js';

describe('the read cache shared through Redis by two instances', () => {
  // Readiness probes every 100 ms here, so the tests see Redis go and come back quickly.
  const world = useTwoInstancesOnPrivateRedis({ env: { HEALTH_PROBE_INTERVAL_MS: '100' } });

  /** Waits until B answers `app` from the cache again (after Redis came back). */
  async function hitsResume(app: string): Promise<void> {
    await expect
      .poll(
        async () => {
          await query(world.a, machinesOf(app));
          return (await query(world.b, machinesOf(app))).extensions.cache.hits;
        },
        { timeout: 5_000, interval: 200 },
      )
      .toBeGreaterThan(0);
  }

  it('should answer B from what A fetched, and show a change made through A on the next read through B', async () => {
    const { a, b, emu } = world;
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
    // B's own in-process copy was dropped by A's announcement, so B asks Redis (empty) and then Fly.
    await expect.poll(async () => (await query(b, machinesOf(app))).data.machines.nodes[0].state, { timeout: 1_000 }).not.toBe('STARTED');
  });

  it('should refresh an entry once across instances: A and B asking for the same cold read at once cost one Fly call', async () => {
    const { a, b, emu } = world;
    const app = uniqueApp();
    emu.control.createApp(app);
    emu.control.createMachine(app, { state: 'started', config: { image: 'x:1' } });
    emu.faults.add({ route: 'machines.list', latencyMs: 200 });
    try {
      emu.resetRequestCounts();
      const [fromA, fromB] = await Promise.all([query(a, machinesOf(app)), query(b, machinesOf(app))]);
      expect(fromA.data).toEqual(fromB.data);
      expect(emu.requestCounts()).toEqual({ 'machines.list': 1 });
    } finally {
      emu.faults.clear();
    }
  });

  it('should keep answering while Redis is killed, from memory or from Fly, and use Redis again once it is back', async () => {
    const { a, b, emu, redis } = world;
    const app = uniqueApp();
    emu.control.createApp(app);
    emu.control.createMachine(app, { state: 'started', config: { image: 'x:1' } });
    await query(a, machinesOf(app));

    await redis.kill('SIGKILL');
    for (let i = 0; i < 20; i++) {
      // With Redis gone every read fails over to memory or Fly: none fails, none takes a second.
      let started = Date.now();
      const answer = await query(a, `{ machines(app: "${app}") { nodes { machineId } } } `);
      expect(answer.errors).toBeUndefined();
      expect(Date.now() - started).toBeLessThan(1_000);
      started = Date.now();
      const other = await query(b, machinesOf(uniqueApp('gone')));
      expect(other.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      expect(Date.now() - started).toBeLessThan(1_000);
    }
    // Readiness says degraded, not failing: the instance keeps serving and must not be pulled.
    await expect
      .poll(async () => {
        const response = await a.gateway.fetch('http://gateway/readyz');
        return { status: response.status, body: (await response.json()) as { status: string } };
      })
      .toMatchObject({ status: 200, body: { status: 'degraded' } });

    await redis.restart();
    await hitsResume(app);
  }, 60_000);

  it('should answer every query within a second while Redis is frozen, and use Redis again once it thaws', async () => {
    const { a, b, emu, redis } = world;
    const app = uniqueApp();
    emu.control.createApp(app);
    emu.control.createMachine(app, { state: 'started', config: { image: 'x:1' } });
    await query(a, machinesOf(app));

    redis.pause();
    try {
      for (let i = 0; i < 10; i++) {
        const started = Date.now();
        // A new app each time: nothing in memory, so every read tries Redis first.
        const answer = await query(b, machinesOf(uniqueApp('frozen')));
        expect(answer.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
        expect(Date.now() - started).toBeLessThan(1_000);
      }
    } finally {
      redis.resume();
    }
    await hitsResume(app);
  }, 60_000);
});
