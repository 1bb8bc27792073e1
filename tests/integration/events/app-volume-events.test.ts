import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoRelay, type DemoRelay } from '#src/demo/relay.js';
import { silentLogger } from '#src/lib/logger.js';
import { queryGateway as query } from '../../helpers/gateway-queries.js';
import { liveWs } from '../live/live-clients.js';
import { manual, NEW_SECRET, startTestGateway, take, uniqueApp, useSyncedGateway, type TestGateway } from './harness.js';

// App and volume changes made through the gateway reach an `appEvents` subscriber once each, whether the emulator's
// relay reports them, the sync job sees them, or both; each drops exactly the cache entries it changes.

const APP_EVENTS = `subscription AppEvents($app: String!) {
  appEvents(app: $app, afterSeq: 0) { kind app type resourceKind resourceId state version }
}`;
const RESULT = `__typename ... on Error { code message }`;

const world = useSyncedGateway();
let relay: DemoRelay;
let relayed = 0;

/** The emulator's changes, as signed webhooks to the gateway (what demo mode runs). */
function startRelay(): DemoRelay {
  return createDemoRelay({
    source: world.gw.emu,
    url: `${world.gw.base}/webhooks/fly`,
    secret: NEW_SECRET,
    clock: world.gw.clock,
    logger: silentLogger,
    onDelivered: () => (relayed += 1),
  });
}

beforeAll(() => {
  relay = startRelay();
});
afterAll(() => relay.stop());

async function mutate(text: string): Promise<Record<string, { __typename: string; [key: string]: unknown }>> {
  const answer = await query(world.gw, text);
  expect(answer.errors).toBeUndefined();
  return answer.data as never;
}

/** Resolves once the relay has delivered `count` changes in all. */
async function relayedAtLeast(count: number): Promise<void> {
  for (let i = 0; i < 500 && relayed < count; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(relayed).toBeGreaterThanOrEqual(count);
}

describe('app and volume events', () => {
  it('should deliver each app and volume change once to an appEvents subscriber, though the relay and the sync job both report them', async () => {
    const app = uniqueApp('evt');
    const events = world.open('ws', APP_EVENTS, { app });
    const before = relayed;
    const created = await mutate(`mutation { createApp(input: { name: "${app}", org: "personal" }) { ${RESULT} } }`);
    expect(created.createApp.__typename).toBe('CreateAppSuccess');
    const volume = await mutate(
      `mutation { createVolume(input: { app: "${app}", name: "data", region: "iad" }) { ${RESULT} ... on CreateVolumeSuccess { volume { volumeId } } } }`,
    );
    const volumeId = (volume.createVolume.volume as { volumeId: string }).volumeId;
    const target = `app: "${app}", volumeId: "${volumeId}"`;
    await manual(world.gw).advance(1_000);
    expect((await mutate(`mutation { extendVolume(input: { ${target}, sizeGb: 3 }) { ${RESULT} } }`)).extendVolume.__typename).toBe(
      'ExtendVolumeSuccess',
    );
    await relayedAtLeast(before + 3);
    // The sync job sees the new app and the volume (grown since it appeared: one creation); both are duplicates now.
    expect(await world.sync()).toMatchObject({ polled: true, emitted: 0 });

    await manual(world.gw).advance(1_000);
    await mutate(`mutation { updateVolume(input: { ${target}, snapshotRetention: 12 }) { ${RESULT} } }`);
    await mutate(`mutation { createVolumeSnapshot(input: { ${target} }) { ${RESULT} } }`);
    await mutate(`mutation { deleteVolume(input: { ${target} }) { ${RESULT} } }`);
    await mutate(`mutation { deleteApp(input: { name: "${app}", force: true }) { ${RESULT} } }`);
    await relayedAtLeast(before + 7);
    expect(await world.sync()).toMatchObject({ polled: true });

    const delivered = await take(events, 7);
    expect(delivered.map((d) => [d.type, d.resourceKind])).toEqual([
      ['APP_CREATED', 'APP'],
      ['VOLUME_CREATED', 'VOLUME'],
      ['VOLUME_EXTENDED', 'VOLUME'],
      ['VOLUME_UPDATED', 'VOLUME'],
      ['VOLUME_SNAPSHOT_CREATED', 'VOLUME'],
      ['VOLUME_DESTROYED', 'VOLUME'],
      ['APP_DESTROYED', 'APP'],
    ]);
    expect(delivered.slice(1, 6).every((d) => d.resourceId === volumeId)).toBe(true);
    expect(delivered[2]).toMatchObject({ version: '3', state: 'created' });
    // Nothing more: a webhook for the app is the next thing the subscriber sees.
    await world.send({
      type: 'volume.created',
      timestamp: '2026-01-01T12:00:00Z',
      data: { app, resource: { kind: 'volume', id: 'vol_sentinel' } },
    });
    expect(await events.next()).toMatchObject({ type: 'VOLUME_CREATED', resourceId: 'vol_sentinel' });
  });

  it('should derive app and volume events in the sync job alone, with two Fly calls for them per run', async () => {
    const app = uniqueApp('polled');
    const events = world.open('ws', APP_EVENTS, { app });
    await relay.stop();
    try {
      world.gw.emu.control.createApp(app);
      const volumeId = String(world.gw.emu.control.createVolume(app, { name: 'data', region: 'ams' }).id);
      world.gw.emu.resetRequestCounts();
      await manual(world.gw).advance(1_000);
      const run = await world.sync();
      expect(run).toMatchObject({ polled: true, emitted: 2 });
      expect(world.gw.emu.requestCounts()).toMatchObject({ 'apps.list': 1, 'orgs.volumes': 1 });
      const response = await fetch(`${world.gw.emu.url}/v1/apps/${app}/volumes/${volumeId}/extend`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${world.gw.emu.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ size_gb: 5 }),
      });
      expect(response.status).toBe(200);
      await manual(world.gw).advance(1_000);
      world.gw.emu.control.deleteApp(app);
      await manual(world.gw).advance(1_000);
      expect(await world.sync()).toMatchObject({ emitted: 1 });
      expect((await take(events, 3)).map((d) => [d.type, d.resourceId])).toEqual([
        ['APP_CREATED', expect.any(String)],
        ['VOLUME_CREATED', volumeId],
        ['APP_DESTROYED', expect.any(String)],
      ]);
    } finally {
      relay = startRelay();
    }
  });

  it('should drop exactly what a relayed volume change touches: the next read asks Fly for the app and its volumes once', async () => {
    const app = uniqueApp('cache');
    // Set up through the control API, which announces nothing: the first read fills the cache undisturbed.
    world.gw.emu.control.createApp(app);
    const volumeId = String(world.gw.emu.control.createVolume(app, { name: 'data', region: 'iad' }).id);
    const read = `{ app(name: "${app}") { volumeCount volumes { nodes { volumeId sizeGb } } machines { nodes { machineId } } } }`;
    const calls = async () => (await query(world.gw, read)).extensions?.upstreamCalls?.byOperation;
    expect(await calls()).toEqual({ 'apps.get': 1, 'volumes.list': 1, 'machines.list': 1 });
    expect(await calls()).toEqual({});
    const delivered = relayed;
    const response = await fetch(`${world.gw.emu.url}/v1/apps/${app}/volumes/${volumeId}/extend`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${world.gw.emu.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ size_gb: 7 }),
    });
    expect(response.status).toBe(200);
    await relayedAtLeast(delivered + 1);
    expect(await calls()).toEqual({ 'apps.get': 1, 'volumes.list': 1 });
    expect((await query(world.gw, read)).data.app.volumes.nodes).toEqual([{ volumeId, sizeGb: 7 }]);
  });
});

describe('a live query over an app and its volumes', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ env: { LIVE_THROTTLE_MS: '100' } });
  });
  afterAll(() => gw?.close());

  it('should be pushed again after extendVolume, showing the new size', async () => {
    const app = uniqueApp('live');
    gw.emu.control.createApp(app);
    const volumeId = String(gw.emu.control.createVolume(app, { name: 'data', region: 'iad', sizeGb: 1 }).id);
    const live = liveWs(gw.wsUrl, `query($app: String!) @live { app(name: $app) { volumes { nodes { volumeId sizeGb } } } }`, { app });
    try {
      const first = await live.next();
      expect(first.data).toEqual({ app: { volumes: { nodes: [{ volumeId, sizeGb: 1 }] } } });
      const extended = await query(
        gw,
        `mutation { extendVolume(input: { app: "${app}", volumeId: "${volumeId}", sizeGb: 4 }) { __typename } }`,
      );
      expect(extended.data.extendVolume.__typename).toBe('ExtendVolumeSuccess');
      const pushed = await live.next(2_000);
      expect(pushed.live.revision).toBe(2);
      expect(pushed.data).toEqual({ app: { volumes: { nodes: [{ volumeId, sizeGb: 4 }] } } });
    } finally {
      await live.close();
    }
  });
});
