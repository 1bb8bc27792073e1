import { describe, expect, it } from 'vitest';
import { postWebhook, stateChanged, uniqueApp, useTwoInstancesOnPrivateRedis } from '../events/harness.js';
import { liveSse, liveWs } from './live-clients.js';

const DASHBOARD = `query Dashboard($app: String!) @live {
  app(name: $app) { name machines { nodes { machineId state } } }
}`;
type Dashboard = { app: { machines: { nodes: Array<{ state: string }> } } };
const statesOf = (data: Record<string, unknown>) => (data as Dashboard).app.machines.nodes.map((m) => m.state);

describe('@live queries across two instances sharing Redis', () => {
  const world = useTwoInstancesOnPrivateRedis();

  it('should push to a live client on instance B when a webhook for what it shows is ingested on instance A', async () => {
    const app = uniqueApp('live');
    world.emu.control.createApp(app);
    const machine = world.emu.control.createMachine(app, { state: 'started', config: { image: 'x:1' } });
    const onB = liveWs(world.b.wsUrl, DASHBOARD, { app });
    const sseOnB = liveSse(world.b.graphqlUrl, DASHBOARD, { app });
    try {
      expect(statesOf((await onB.next()).data)).toEqual(['STARTED']);
      expect(statesOf((await sseOnB.next()).data)).toEqual(['STARTED']);
      world.emu.control.setMachineState(app, machine.id, 'stopped');
      expect((await postWebhook(world.a.base, stateChanged(app, machine.id, 'started', 'stopped'))).status).toBe(204);
      expect(statesOf((await onB.next(2_000)).data)).toEqual(['STOPPED']);
      expect(statesOf((await sseOnB.next(2_000)).data)).toEqual(['STOPPED']);
    } finally {
      await onB.close();
      await sseOnB.close();
    }
  });

  it('should push to a live client on B after a mutation through A, reading Fly once for both instances', async () => {
    const app = uniqueApp('live');
    world.emu.control.createApp(app);
    const machine = world.emu.control.createMachine(app, { state: 'started', config: { image: 'x:1' } });
    const onA = liveWs(world.a.wsUrl, DASHBOARD, { app });
    const onB = liveWs(world.b.wsUrl, DASHBOARD, { app });
    try {
      await onA.next();
      await onB.next();
      world.emu.resetRequestCounts();
      const stop = await fetch(world.a.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `mutation { stopMachine(input: { app: "${app}", machineId: "${machine.id}" }) { __typename } }` }),
      });
      expect(((await stop.json()) as { data: { stopMachine: { __typename: string } } }).data.stopMachine.__typename).toBe(
        'StopMachineSuccess',
      );
      const [pushedA, pushedB] = await Promise.all([onA.next(2_000), onB.next(2_000)]);
      expect(statesOf(pushedA.data)).not.toEqual(['STARTED']);
      expect(pushedB.data).toEqual(pushedA.data);
      // The stop, the mutation's read-after, then one read of the app and one of its machines for both instances.
      expect(world.emu.requestCounts()).toEqual({ 'machines.stop': 1, 'machines.get': 1, 'apps.get': 1, 'machines.list': 1 });
    } finally {
      await onA.close();
      await onB.close();
    }
  });
});
