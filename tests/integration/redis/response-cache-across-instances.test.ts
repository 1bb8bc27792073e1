import { describe, expect, it } from 'vitest';
import { postWebhook, stateChanged, uniqueApp, useTwoInstancesOnPrivateRedis } from '../events/harness.js';
import { queryGateway as query, machinesOf } from '../../helpers/gateway-queries.js';

describe('whole answers on two instances sharing one Redis', () => {
  const world = useTwoInstancesOnPrivateRedis();

  it('should drop the answer kept by instance B when instance A ingests a change to what it read', async () => {
    const app = uniqueApp();
    world.emu.control.createApp(app);
    const machine = world.emu.control.createMachine(app, { state: 'started', config: { image: 'x:1' } });
    for (const gw of [world.a, world.b]) {
      await query(gw, machinesOf(app));
      expect((await query(gw, machinesOf(app))).extensions.cache.response).toBe('hit');
    }

    world.emu.control.setMachineState(app, machine.id, 'stopped');
    expect((await postWebhook(world.a.base, stateChanged(app, machine.id, 'started', 'stopped'))).status).toBe(204);
    // The invalidation reaches B over Redis pub/sub; B's next answer is computed again, and shows the change.
    await expect
      .poll(async () => (await query(world.b, machinesOf(app))).data.machines.nodes[0].state, { timeout: 2_000, interval: 20 })
      .toBe('STOPPED');
  });
});
