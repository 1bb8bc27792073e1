import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postWebhook, startTestGateway, stateChanged, uniqueApp, type TestGateway } from '../events/harness.js';
import { liveWs, openWs, type LiveClient } from './live-clients.js';

const DASHBOARD = `query Dashboard($app: String!) @live {
  app(name: $app) { name machines { nodes { machineId state events(limit: 3) { type } } } }
}`;

const SOCKETS = 10;
const PER_SOCKET = 100;

describe('1,000 live clients on one dashboard', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    // Every client is on loopback: one address, over the default per-address cap on live queries.
    gw = await startTestGateway({
      env: { WS_MAX_SUBSCRIPTIONS_PER_SOCKET: String(PER_SOCKET), LIVE_MAX_PER_ADDRESS: String(SOCKETS * PER_SOCKET) },
    });
  });
  afterAll(() => gw?.close());

  it('should push the change to every client for at most one Fly call per changed read', async () => {
    const app = uniqueApp('fanout');
    gw.emu.control.createApp(app);
    const ids = [0, 1, 2].map(() => gw.emu.control.createMachine(app, { state: 'started', config: { image: 'x:1' } }).id);
    const sockets = Array.from({ length: SOCKETS }, () => openWs(gw.wsUrl));
    const clients: LiveClient[] = sockets.flatMap((socket) =>
      Array.from({ length: PER_SOCKET }, () => liveWs(gw.wsUrl, DASHBOARD, { app }, socket)),
    );
    try {
      const firsts = await Promise.all(clients.map((client) => client.next(30_000)));
      expect(firsts.every((m) => m.live.revision === 1)).toBe(true);

      gw.emu.resetRequestCounts();
      gw.emu.control.setMachineState(app, ids[1], 'stopped');
      expect((await postWebhook(gw.base, stateChanged(app, ids[1], 'started', 'stopped'))).status).toBe(204);
      const pushes = await Promise.all(clients.map((client) => client.next(30_000)));
      const states = pushes.map(
        (m) =>
          (m.data as { app: { machines: { nodes: Array<{ machineId: string; state: string }> } } }).app.machines.nodes.find(
            (node) => node.machineId === ids[1],
          )?.state,
      );
      expect(new Set(states)).toEqual(new Set(['STOPPED']));

      // What the change invalidated, the app and its machine list (which carries each machine's recent events), cost
      // one call each, however many clients re-ran the dashboard.
      expect(gw.emu.requestCounts()).toEqual({ 'apps.get': 1, 'machines.list': 1 });
    } finally {
      await Promise.all(sockets.map((socket) => socket.client.dispose()));
    }
  }, 120_000);
});
