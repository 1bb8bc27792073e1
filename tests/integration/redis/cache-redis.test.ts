import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../../../src/emulator/emulator.js';
import { INSTANT } from '../../helpers/test-gateway.js';
import { startRedisServer, type TestRedisServer } from '../../helpers/redis-server.js';
import { startTestGateway, uniqueApp, type TestGateway } from '../events/harness.js';
import { queryGateway as query, machinesOf } from '../../helpers/gateway-queries.js';

describe('the read cache shared through Redis by two instances', () => {
  let redis: TestRedisServer;
  let emu: Emulator;
  let a: TestGateway;
  let b: TestGateway;

  beforeAll(async () => {
    redis = await startRedisServer();
    emu = createEmulator({ seed: 'none', delays: INSTANT });
    await emu.start({ port: 0, host: '127.0.0.1' });
    a = await startTestGateway({ emulator: emu, env: { REDIS_URL: redis.url } });
    b = await startTestGateway({ emulator: emu, env: { REDIS_URL: redis.url } });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await emu?.stop();
    await redis?.stop();
  });

  it('should answer B from what A fetched, and show a change made through A on the next read through B', async () => {
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

  it('should keep answering while Redis is killed, from memory or from Fly, and use Redis again once it is back', async () => {
    const app = uniqueApp();
    emu.control.createApp(app);
    emu.control.createMachine(app, { state: 'started', config: { image: 'x:1' } });
    await query(a, machinesOf(app));

    await redis.kill('SIGKILL');
    const started = Date.now();
    for (let i = 0; i < 20; i++) {
      const answer = await query(a, `{ machines(app: "${app}") { nodes { machineId } } } `);
      expect(answer.errors).toBeUndefined();
      const other = await query(b, machinesOf(uniqueApp('gone')));
      expect(other.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    }
    // Forty reads with Redis gone: each failed Redis command gives up within its ~150 ms timeout, none waits longer.
    expect(Date.now() - started).toBeLessThan(20 * 2 * 1_000);

    await redis.restart();
    await expect
      .poll(
        async () => {
          await query(a, machinesOf(app));
          return (await query(b, machinesOf(app))).extensions.cache.hits;
        },
        { timeout: 5_000, interval: 200 },
      )
      .toBeGreaterThan(0);
  }, 60_000);

  it('should answer every query within a second while Redis is frozen, and use Redis again once it thaws', async () => {
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
    await expect
      .poll(
        async () => {
          await query(a, machinesOf(app));
          return (await query(b, machinesOf(app))).extensions.cache.hits;
        },
        { timeout: 5_000, interval: 200 },
      )
      .toBeGreaterThan(0);
  }, 60_000);
});
