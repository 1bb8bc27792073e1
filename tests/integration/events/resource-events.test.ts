import { describe, expect, it } from 'vitest';
import { decodeEvent, encodeEvent } from '#src/infra/redis/event-codec.js';
import { eventTags } from '#src/services/cache/cached-fly.js';
import { resourceEvent } from '#src/services/events/types.js';
import { STATE_CHANGES, take, uniqueApp, useSyncedGateway } from './harness.js';

/** `appEvents` with its filter and resume arguments as variables. */
const APP_EVENTS = `subscription AppEvents($app: String!, $types: [AppEventType!], $afterSeq: Int, $epoch: String) {
  appEvents(app: $app, types: $types, afterSeq: $afterSeq, epoch: $epoch) {
    kind seq epoch app machineId type resourceKind resourceId state version
  }
}`;

/** A resource change webhook body, as a relay sends it. */
function resourceChange(type: string, app: string, resource: Record<string, unknown>, timestamp = '2026-01-01T12:00:00Z') {
  return { type, timestamp, data: { app, resource } };
}

const world = useSyncedGateway();
const { open, send } = world;

async function graphql(query: string): Promise<{ data: Record<string, unknown>; extensions: { upstreamCalls: { total: number } } }> {
  const response = await fetch(world.gw.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as never;
}

describe('resource events (apps, volumes, secrets, certificates, IPs, Postgres)', () => {
  for (const transport of ['ws', 'sse'] as const) {
    it(`should deliver a resource webhook to an appEvents subscriber over ${transport} and not to machine subscriptions`, async () => {
      const app = uniqueApp();
      const events = open(transport, APP_EVENTS, { app, afterSeq: 0 });
      const states = open(transport, STATE_CHANGES, { app, afterSeq: 0 });
      const answer = await send(resourceChange('volume.extended', app, { kind: 'volume', id: 'vol_1', state: 'created', version: '20' }));
      expect(answer.status).toBe(204);
      expect(await events.next()).toMatchObject({
        kind: 'EVENT',
        app,
        machineId: null,
        type: 'VOLUME_EXTENDED',
        resourceKind: 'VOLUME',
        resourceId: 'vol_1',
        state: 'created',
        version: '20',
      });
      // A machine change after it is the first thing the machine subscription sees.
      await send({ type: 'machine.destroyed', timestamp: '2026-01-01T12:00:01Z', data: { app, machine_id: 'm1' } });
      expect(await states.next()).toMatchObject({ kind: 'EVENT', machineId: 'm1', to: 'DESTROYED' });
    });
  }

  it('should deliver only the types a subscriber asked for, in order', async () => {
    const app = uniqueApp();
    const certificates = open('ws', APP_EVENTS, { app, types: ['CERTIFICATE_CHANGED'], afterSeq: 0 });
    const all = open('ws', APP_EVENTS, { app, afterSeq: 0 });
    await send(resourceChange('ip.allocated', app, { kind: 'ip', id: '2a09:8280:1::1' }));
    await send(resourceChange('certificate.changed', app, { kind: 'certificate', id: 'www.example.com', state: 'issued' }));
    await send(resourceChange('secrets.changed', app, { kind: 'secrets', id: app, version: '3' }));
    expect((await take(all, 3)).map((d) => d.type)).toEqual(['IP_ALLOCATED', 'CERTIFICATE_CHANGED', 'SECRETS_CHANGED']);
    expect(await certificates.next()).toMatchObject({ type: 'CERTIFICATE_CHANGED', resourceId: 'www.example.com', state: 'issued' });
    expect(certificates.buffered()).toBe(0);
  });

  it('should publish one change once when it is reported twice under different webhook ids', async () => {
    const app = uniqueApp();
    const events = open('ws', APP_EVENTS, { app, afterSeq: 0 });
    const change = resourceChange('volume.destroyed', app, { kind: 'volume', id: 'vol_2', state: 'destroyed' });
    expect((await send(change)).status).toBe(204);
    expect((await send(change)).status).toBe(204);
    await send(resourceChange('volume.created', app, { kind: 'volume', id: 'vol_3', state: 'created' }));
    expect((await take(events, 2)).map((d) => [d.type, d.resourceId])).toEqual([
      ['VOLUME_DESTROYED', 'vol_2'],
      ['VOLUME_CREATED', 'vol_3'],
    ]);
  });

  it('should refuse a resource webhook with an unknown kind or no id, naming the field', async () => {
    const app = uniqueApp();
    const unknownKind = await send(resourceChange('volume.created', app, { kind: 'disk', id: 'vol_4' }));
    expect(unknownKind.status).toBe(400);
    expect(unknownKind.error?.details?.join('\n')).toMatch(/data\.resource\.kind/);
    const noId = await send(resourceChange('app.created', app, { kind: 'app' }));
    expect(noId.status).toBe(400);
    expect(noId.error?.details?.join('\n')).toMatch(/data\.resource\.id/);
  });

  it("should drop an app's cached volume list and the app when a volume event arrives, so the next read asks Fly for both", async () => {
    const app = uniqueApp();
    world.gw.emu.control.createApp(app);
    const query = `{ app(name: "${app}") { volumes(first: 10) { nodes { id } } } }`;
    expect((await graphql(query)).extensions.upstreamCalls.total).toBeGreaterThan(0);
    expect((await graphql(query)).extensions.upstreamCalls.total).toBe(0);
    // A change of another app's volumes leaves this one's cache alone.
    await send(resourceChange('volume.created', uniqueApp(), { kind: 'volume', id: 'vol_x', state: 'created' }));
    expect((await graphql(query)).extensions.upstreamCalls.total).toBe(0);
    world.gw.emu.control.createVolume(app, { name: 'data', region: 'iad', sizeGb: 1 });
    await send(resourceChange('volume.created', app, { kind: 'volume', id: 'vol_5', state: 'created' }));
    const after = await graphql(query);
    expect(after.extensions.upstreamCalls.total).toBe(2); // the app and its volume list
    expect((after.data.app as { volumes: { nodes: unknown[] } }).volumes.nodes).toHaveLength(1);
  });
});

describe('resource event plumbing', () => {
  it('should keep the resource through the shared stream codec', () => {
    const event = resourceEvent({ type: 'ip.released', app: 'a', resource: { kind: 'ip', id: '1.2.3.4' }, source: 'sync' });
    expect(decodeEvent(encodeEvent(event))).toEqual(event);
    expect(() => decodeEvent(JSON.stringify({ ...event, resource: { kind: 'disk', id: 'x' } }))).toThrow(/resource\.kind/);
  });

  it('should give a change the same id whichever path reports it, and different changes different ids', () => {
    const change = { type: 'volume.extended', app: 'a', resource: { kind: 'volume', id: 'vol_1', version: '20' } } as const;
    const byRelay = resourceEvent({ ...change, source: 'webhook', timestamp: '2026-01-01T00:00:00Z' });
    const bySync = resourceEvent({ ...change, source: 'sync' });
    expect(byRelay.id).toBe(bySync.id);
    expect(resourceEvent({ ...change, resource: { ...change.resource, version: '30' }, source: 'sync' }).id).not.toBe(byRelay.id);
    expect(resourceEvent({ ...change, app: 'b', source: 'sync' }).id).not.toBe(byRelay.id);
  });

  it('should drop the tags each kind of event changes', () => {
    const base = { app: 'a', machineId: '' };
    expect(eventTags({ ...base, type: 'app.created', resource: { kind: 'app', id: 'a', org: 'acme' } })).toEqual(
      expect.arrayContaining(['{a}:app', '{acme}:apps']),
    );
    expect(eventTags({ ...base, type: 'volume.extended', resource: { kind: 'volume', id: 'v' } })).toEqual(['{a}:volumes', '{a}:app']);
    expect(eventTags({ ...base, type: 'secrets.changed', resource: { kind: 'secrets', id: 'a' } })).toEqual(['{a}:secrets', '{a}:app']);
    expect(eventTags({ ...base, type: 'ip.released', resource: { kind: 'ip', id: '1' } })).toEqual(['{a}:ip-addresses', '{a}:app']);
    expect(eventTags({ app: 'a', machineId: 'm', type: 'machine.updated' })).toEqual(['{a}:machines', '{a}:app', '{a}:machine:m']);
  });
});
