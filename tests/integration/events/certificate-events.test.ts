import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoRelay, type DemoRelay } from '#src/demo/relay.js';
import { createEmulator, type Emulator } from '#src/emulator/emulator.js';
import { createManualClock, systemClock } from '#src/lib/clock.js';
import { silentLogger } from '#src/lib/logger.js';
import { queryGateway as query } from '../../helpers/gateway-queries.js';
import { INSTANT } from '../../helpers/test-gateway.js';
import { liveWs } from '../live/live-clients.js';
import { OLD_SECRET, startTestGateway, subscribeWs, uniqueApp, type TestGateway } from './harness.js';

// The emulator issues a certificate on its own clock once the hostname's DNS "exists"; the change travels as a
// signed webhook (the demo relay) to the gateway, which drops the app's cached certificates and publishes it: an
// appEvents subscriber and a @live query over App.certificate see it without polling. IP changes travel the same way.

/** From the start of the app's stream (each test has its own app), so nothing published before the subscription is active is missed. */
const APP_EVENTS = `subscription($app: String!, $types: [AppEventType!]) {
  appEvents(app: $app, types: $types, afterSeq: 0) { kind app machineId type resourceKind resourceId state }
}`;
const LIVE_CERTIFICATE = `query($app: String!, $hostname: String!) @live {
  app(name: $app) { certificate(hostname: $hostname) { hostname status dnsRecordsToAdd { type name value } } }
}`;

describe('certificate and IP events', () => {
  const emulatorClock = createManualClock();
  let emu: Emulator;
  let gw: TestGateway;
  let relay: DemoRelay;

  beforeAll(async () => {
    emu = createEmulator({ seed: 'none', delays: INSTANT, clock: emulatorClock, certificateIssueMs: 2_000 });
    await emu.start({ port: 0, host: '127.0.0.1' });
    gw = await startTestGateway({ emulator: emu, env: { LIVE_THROTTLE_MS: '50' } });
    relay = createDemoRelay({ source: emu, url: `${gw.base}/webhooks/fly`, secret: OLD_SECRET, clock: systemClock, logger: silentLogger });
  });
  afterAll(async () => {
    await relay?.stop();
    await gw?.close();
    await emu?.stop();
  });

  it('should push the issued certificate to an appEvents subscriber and to a @live query once its DNS exists, without polling', async () => {
    const app = uniqueApp('certs');
    const hostname = `www.${app}.example`;
    emu.control.createApp(app);
    const events = subscribeWs(gw.wsUrl, APP_EVENTS, { app, types: ['CERTIFICATE_CHANGED'] });
    const live = liveWs(gw.wsUrl, LIVE_CERTIFICATE, { app, hostname });
    try {
      const added = await query(gw, `mutation { addCertificate(input: { app: "${app}", hostname: "${hostname}" }) { __typename } }`);
      expect(added.data.addCertificate.__typename).toBe('AddCertificateSuccess');
      expect(await events.next()).toMatchObject({
        app,
        machineId: null,
        type: 'CERTIFICATE_CHANGED',
        resourceKind: 'CERTIFICATE',
        resourceId: hostname,
        state: 'awaiting_configuration',
      });

      // The live query's first result may predate the certificate (null) or follow it; wait for the hostname.
      let current = await live.next();
      while ((current.data as any).app.certificate === null) current = await live.next();
      expect((current.data as any).app.certificate).toMatchObject({
        status: 'AWAITING_CONFIGURATION',
        dnsRecordsToAdd: [{ type: 'CNAME', name: hostname, value: `${app}.fly.dev` }],
      });

      emu.control.setDns(hostname, { cname: [`${app}.fly.dev`] });
      await emulatorClock.advance(2_000);
      expect(await events.next()).toMatchObject({ type: 'CERTIFICATE_CHANGED', resourceId: hostname, state: 'ready' });
      do current = await live.next();
      while ((current.data as any).app.certificate.status !== 'ISSUED');
      expect((current.data as any).app.certificate).toMatchObject({ status: 'ISSUED', dnsRecordsToAdd: [] });
    } finally {
      await events.close();
      await live.close();
    }
  });

  it('should publish ip.allocated and ip.released, and drop the cached address list on them', async () => {
    const app = uniqueApp('ips');
    emu.control.createApp(app);
    const LIST = `{ app(name: "${app}") { ipAddresses { address } } }`;
    expect((await query(gw, LIST)).data.app.ipAddresses).toEqual([]);
    expect((await query(gw, LIST)).extensions.upstreamCalls.total).toBe(0);
    const events = subscribeWs(gw.wsUrl, APP_EVENTS, { app, types: ['IP_ALLOCATED', 'IP_RELEASED'] });
    try {
      // Allocated behind the gateway's back (as flyctl would): only the event tells the gateway.
      const ip = String(emu.control.allocateIp(app, { type: 'v6' }).ip);
      expect(await events.next()).toMatchObject({ type: 'IP_ALLOCATED', resourceKind: 'IP', resourceId: ip, state: 'v6' });
      const after = await query(gw, LIST);
      expect(after.data.app.ipAddresses).toEqual([{ address: ip }]);
      expect(after.extensions.upstreamCalls.byOperation).toEqual({ 'apps.get': 1, 'ips.list': 1 });

      const released = await query(gw, `mutation { releaseIpAddress(input: { app: "${app}", ip: "${ip}" }) { __typename } }`);
      expect(released.data.releaseIpAddress.__typename).toBe('ReleaseIpAddressSuccess');
      expect(await events.next()).toMatchObject({ type: 'IP_RELEASED', resourceId: ip });
    } finally {
      await events.close();
    }
  });
});
