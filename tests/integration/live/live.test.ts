import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manual, postWebhook, startTestGateway, stateChanged, uniqueApp, type TestGateway } from '../events/harness.js';
import { queryGateway as query } from '../../helpers/gateway-queries.js';
import { liveSse, liveWs, openWs } from './live-clients.js';

/** An app with its machines' states and latest events: what a dashboard shows. */
const DASHBOARD = `query Dashboard($app: String!) @live {
  app(name: $app) { name machines { nodes { machineId state updatedAt events(limit: 3) { type status timestamp } } } }
}`;
const DASHBOARD_PATCHED = DASHBOARD.replace('@live', '@live(patch: true)');
const PLAIN = DASHBOARD.replace(' @live', '');

type Dashboard = { app: { name: string; machines: { nodes: Array<{ machineId: string; state: string; events: unknown[] }> } } };
/** What a plain (not live) run of the dashboard answers now. */
async function plain(gw: TestGateway, app: string): Promise<unknown> {
  const response = await gw.gateway.fetch('http://gateway/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: PLAIN, variables: { app } }),
  });
  return ((await response.json()) as { data: unknown }).data;
}
const statesOf = (data: Record<string, unknown>) => (data as Dashboard).app.machines.nodes.map((m) => m.state);

function seed(gw: TestGateway, machines = 1): { app: string; ids: string[] } {
  const app = uniqueApp('live');
  gw.emu.control.createApp(app);
  const ids = Array.from({ length: machines }, () => gw.emu.control.createMachine(app, { state: 'started', config: { image: 'x:1' } }).id);
  return { app, ids };
}

describe('@live queries on one gateway', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ env: { LIVE_THROTTLE_MS: '100' } });
  });
  afterAll(() => gw?.close());

  it('should send the result, then a new one within 1 s of restartMachine when the query runs over graphql-ws', async () => {
    const { app, ids } = seed(gw);
    const live = liveWs(gw.wsUrl, DASHBOARD, { app });
    try {
      const first = await live.next();
      expect(first.live.revision).toBe(1);
      expect(statesOf(first.data)).toEqual(['STARTED']);
      const eventsBefore = (first.data as Dashboard).app.machines.nodes[0].events.length;

      const sentAt = performance.now();
      const restart = await query(gw, `mutation { restartMachine(input: { app: "${app}", machineId: "${ids[0]}" }) { __typename } }`);
      expect(restart.data.restartMachine.__typename).toBe('RestartMachineSuccess');
      const pushed = await live.next(1_000);
      expect(pushed.at - sentAt).toBeLessThan(1_000);
      expect(pushed.live.revision).toBe(2);
      expect((pushed.data as Dashboard).app.machines.nodes[0].events.length).toBeGreaterThan(eventsBefore);
      // The push is what a plain query reads now.
      expect(pushed.data).toEqual(await plain(gw, app));
    } finally {
      await live.close();
    }
  });

  it('should push over SSE when a webhook says a machine it shows changed, and nothing for an unrelated app', async () => {
    const { app, ids } = seed(gw);
    const other = seed(gw);
    const live = liveSse(gw.graphqlUrl, DASHBOARD, { app });
    try {
      expect(statesOf((await live.next()).data)).toEqual(['STARTED']);
      gw.emu.control.setMachineState(other.app, other.ids[0], 'stopped');
      expect((await postWebhook(gw.base, stateChanged(other.app, other.ids[0], 'started', 'stopped'))).status).toBe(204);
      gw.emu.control.setMachineState(app, ids[0], 'stopped');
      expect((await postWebhook(gw.base, stateChanged(app, ids[0], 'started', 'stopped'))).status).toBe(204);
      const pushed = await live.next(2_000);
      expect(statesOf(pushed.data)).toEqual(['STOPPED']);
      expect(pushed.live.revision).toBe(2);
      // The unrelated change woke nothing: no third message is waiting.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(live.buffered()).toBe(0);
    } finally {
      await live.close();
    }
  });

  it('should send patches that, applied to the last result, equal the full result, in fewer bytes', async () => {
    const { app, ids } = seed(gw, 5);
    const patched = liveWs(gw.wsUrl, DASHBOARD_PATCHED, { app });
    const whole = liveWs(gw.wsUrl, DASHBOARD, { app });
    try {
      const first = await patched.next();
      expect(first.raw.data).toBeDefined();
      await whole.next();
      for (const [n, id] of ids.slice(0, 3).entries()) {
        gw.emu.control.setMachineState(app, id, 'stopped');
        expect((await postWebhook(gw.base, stateChanged(app, id, 'started', 'stopped'))).status).toBe(204);
        const patch = await patched.next(2_000);
        const full = await whole.next(2_000);
        expect(patch.raw.data).toBeUndefined();
        expect(patch.live.patch!.length).toBeGreaterThan(0);
        expect(patch.live.revision).toBe(n + 2);
        expect(patch.data).toEqual(full.data);
        expect(patch.data).toEqual(await plain(gw, app));
        expect(patch.bytes).toBeLessThan(full.bytes);
      }
    } finally {
      await patched.close();
      await whole.close();
    }
  });

  it('should count open live queries against WS_MAX_SUBSCRIPTIONS_PER_SOCKET like subscriptions', async () => {
    const capped = await startTestGateway({ emulator: gw.emu, env: { WS_MAX_SUBSCRIPTIONS_PER_SOCKET: '2' } });
    const { app } = seed(gw);
    const socket = openWs(capped.wsUrl);
    const opened = [liveWs(capped.wsUrl, DASHBOARD, { app }, socket), liveWs(capped.wsUrl, DASHBOARD, { app }, socket)];
    try {
      for (const live of opened) await live.next();
      const third = liveWs(capped.wsUrl, DASHBOARD, { app }, socket);
      await expect(third.next(2_000)).rejects.toThrow(/SUBSCRIPTION_LIMIT/);
    } finally {
      await socket.client.dispose();
      await capped.close();
    }
  });

  it('should answer 406, never a hanging request, when a @live query asks for plain JSON only', async () => {
    const { app } = seed(gw);
    const response = await gw.gateway.fetch('http://gateway/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: DASHBOARD, variables: { app } }),
    });
    expect(response.status).toBe(406);
    await response.body?.cancel();
  });
});

describe('@live queries when the gateway stops', () => {
  it('should close live WebSockets with 1001 and end SSE live streams', async () => {
    const gw = await startTestGateway();
    const { app } = seed(gw);
    const ws = liveWs(gw.wsUrl, DASHBOARD, { app });
    const sse = liveSse(gw.graphqlUrl, DASHBOARD, { app });
    await ws.next();
    await sse.next();
    await gw.close();
    expect(await ws.closed).toBe(1001);
    await expect(sse.completed).resolves.toBeUndefined();
  });
});

describe('@live throttle over the wire', () => {
  it('should push at most once per LIVE_THROTTLE_MS with the newest answer, however many changes arrive', async () => {
    const gw = await startTestGateway({ manualClock: true, env: { LIVE_THROTTLE_MS: '1000' } });
    const clock = manual(gw);
    const { app, ids } = seed(gw, 3);
    const live = liveWs(gw.wsUrl, DASHBOARD, { app });
    try {
      await live.next();
      // Three changes right after the first result, all within one throttle window.
      for (const id of ids) {
        gw.emu.control.setMachineState(app, id, 'stopped');
        expect((await postWebhook(gw.base, stateChanged(app, id, 'started', 'stopped'), { clock })).status).toBe(204);
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(live.buffered()).toBe(0);
      await clock.advance(1_000);
      expect(statesOf((await live.next(2_000)).data)).toEqual(['STOPPED', 'STOPPED', 'STOPPED']);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(live.buffered()).toBe(0);
    } finally {
      await live.close();
      await gw.close();
    }
  });
});
