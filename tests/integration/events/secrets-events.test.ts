import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoRelay, type DemoRelay } from '#src/demo/relay.js';
import type { EmulatorChange } from '#src/emulator/types.js';
import { silentLogger } from '#src/lib/logger.js';
import { systemClock } from '#src/lib/clock.js';
import { liveWs } from '../live/live-clients.js';
import { NEW_SECRET, startTestGateway, subscribeWs, uniqueApp, type TestGateway } from './harness.js';

// secrets.changed end to end: the emulator announces every new secrets version, the relay posts it as a signed
// webhook, the gateway drops the app's cached secrets, appEvents subscribers get the version, and a @live query over
// App.secrets is pushed. The secrets are changed behind the gateway's back (straight at the emulator), so only the
// event can tell the gateway.

const APP_EVENTS = `subscription($app: String!) {
  appEvents(app: $app, types: [SECRETS_CHANGED], afterSeq: 0) { kind seq epoch app machineId type resourceKind resourceId state version }
}`;
const LIVE_SECRETS = `query($app: String!) @live { app(name: $app) { secrets { name digest } } }`;

describe('secrets.changed', () => {
  let gw: TestGateway;
  let relay: DemoRelay;
  const relayed: EmulatorChange[] = [];

  /** Sets a secret straight at the emulator (as `fly secrets set` from elsewhere would). */
  async function setBehindTheGateway(app: string, name: string, value: string): Promise<number> {
    const response = await fetch(`${gw.emu.url}/v1/apps/${app}/secrets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gw.emu.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ values: { [name]: value } }),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { version: number }).version;
  }

  beforeAll(async () => {
    gw = await startTestGateway({ env: { LIVE_THROTTLE_MS: '100' } });
    relay = createDemoRelay({
      source: gw.emu,
      url: `${gw.base}/webhooks/fly`,
      secret: NEW_SECRET,
      clock: systemClock,
      logger: silentLogger,
      onDelivered: (change) => void relayed.push(change),
    });
  });
  afterAll(async () => {
    await relay?.stop();
    await gw?.close();
  });

  it('should deliver the new version to appEvents subscribers and carry no name or value', async () => {
    const app = uniqueApp('sec');
    gw.emu.control.createApp(app);
    const events = subscribeWs(gw.wsUrl, APP_EVENTS, { app });
    try {
      const version = await setBehindTheGateway(app, 'SESSION_KEY', 'value-that-must-not-travel');
      const delivery = await events.next(5_000);
      expect(delivery).toMatchObject({
        kind: 'EVENT',
        app,
        machineId: null,
        type: 'SECRETS_CHANGED',
        resourceKind: 'SECRETS',
        resourceId: app,
        version: String(version),
      });
      expect(JSON.stringify(delivery)).not.toContain('SESSION_KEY');
      const change = relayed.find((c) => c.type === 'secrets.changed' && c.data.app === app);
      expect(change?.data.resource).toEqual({ kind: 'secrets', id: app, version: String(version) });
      expect(JSON.stringify(relayed)).not.toContain('value-that-must-not-travel');
    } finally {
      await events.close();
    }
  });

  it('should push a @live query over App.secrets when the secrets change, and drop the cached list', async () => {
    const app = uniqueApp('sec');
    gw.emu.control.createApp(app);
    const live = liveWs(gw.wsUrl, LIVE_SECRETS, { app });
    try {
      const first = await live.next(5_000);
      expect(first.data).toEqual({ app: { secrets: [] } });
      await setBehindTheGateway(app, 'API_TOKEN', 'tok-live-1');
      const pushed = await live.next(5_000);
      expect(pushed.live.revision).toBeGreaterThan(first.live.revision);
      expect(pushed.data).toEqual({ app: { secrets: [{ name: 'API_TOKEN', digest: expect.any(String) }] } });
      expect(JSON.stringify(pushed.raw)).not.toContain('tok-live-1');
    } finally {
      await live.close();
    }
  });
});
