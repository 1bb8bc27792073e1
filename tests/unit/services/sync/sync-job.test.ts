import { describe, expect, it, vi } from 'vitest';
import { createManualClock, type ManualClock } from '#src/lib/clock.js';
import { createMemoryLock, type MemoryLockRegistry } from '#src/infra/memory/lock.js';
import { createMemoryDedupeStore } from '#src/infra/memory/dedupe-store.js';
import { createEventIngest } from '#src/services/events/event-ingest.js';
import { createMemoryEventBus } from '#src/infra/memory/event-bus.js';
import type { EventBus } from '#src/services/ports.js';
import type { GatewayEvent } from '#src/services/events/types.js';
import { createSyncJob } from '#src/services/sync/sync-job.js';
import { parseWebhookBody } from '#src/services/webhooks/parse.js';
import { createMemorySyncStateStore } from '#src/infra/memory/sync-state-store.js';
import { type SyncStateStore } from '#src/services/ports.js';
import { createFakeFly, type FakeMachine } from './fake-fly.js';

const T0 = Date.UTC(2026, 0, 1);
const iso = (offsetMs: number) => new Date(T0 + offsetMs).toISOString();
const INTERVAL = 5_000;

function buildMachine(overrides: Partial<FakeMachine> = {}): FakeMachine {
  return { app: 'web', id: 'm1', state: 'started', version: 'v1', updatedAt: iso(-60_000), ...overrides };
}

function setup(
  options: { registry?: MemoryLockRegistry; state?: SyncStateStore; failPublishes?: number; owner?: string; clock?: ManualClock } = {},
) {
  const clock = options.clock ?? createManualClock(T0);
  const world = createFakeFly();
  const memoryBus = createMemoryEventBus();
  const published: GatewayEvent[] = [];
  let failures = options.failPublishes ?? 0;
  const bus: EventBus = {
    ...memoryBus,
    async publish(event) {
      if (failures-- > 0) throw new Error('bus down');
      published.push(event);
      return memoryBus.publish(event);
    },
  };
  const ingest = createEventIngest({ bus, dedupe: createMemoryDedupeStore({ now: clock.now }) });
  const lock = createMemoryLock({ key: 'sync', ttlMs: 3 * INTERVAL, clock, registry: options.registry, owner: options.owner });
  const job = createSyncJob({
    fly: world.fly,
    org: 'acme',
    ingest,
    lock,
    intervalMs: INTERVAL,
    overlapMs: 30_000,
    clock,
    state: options.state ?? createMemorySyncStateStore(),
  });
  return { clock, world, job, published, ingest, lock };
}

describe('createSyncJob runOnce', () => {
  it('should record a baseline without emitting when it runs for the first time', async () => {
    const { world, job, published } = setup();
    world.put(buildMachine());
    world.put(buildMachine({ id: 'm2', state: 'stopped' }));
    expect(await job.runOnce()).toEqual({ polled: true, emitted: 0, baseline: true, via: 'feed' });
    expect(published).toEqual([]);
  });

  it('should publish created, updated, state_changed and destroyed when machines change after the baseline', async () => {
    const { world, job, published, clock } = setup();
    world.put(buildMachine({ id: 'm1', state: 'stopped' }));
    world.put(buildMachine({ id: 'm2' }));
    world.put(buildMachine({ id: 'm3' }));
    await job.runOnce();
    await clock.advance(INTERVAL);
    world.put(buildMachine({ id: 'm1', state: 'started', updatedAt: iso(1_000) }));
    world.put(buildMachine({ id: 'm2', version: 'v2', updatedAt: iso(2_000) }));
    world.put(buildMachine({ id: 'm3', state: 'destroyed', updatedAt: iso(3_000) }));
    world.put(buildMachine({ id: 'm4', state: 'created', updatedAt: iso(4_000) }));
    expect(await job.runOnce()).toMatchObject({ polled: true, emitted: 4 });
    expect(published.map((e) => [e.type, e.machineId, e.from ?? e.version ?? e.to])).toEqual([
      ['machine.state_changed', 'm1', 'stopped'],
      ['machine.updated', 'm2', 'v2'],
      ['machine.destroyed', 'm3', 'started'],
      ['machine.created', 'm4', 'created'],
    ]);
  });

  it('should ask the feed for changes since the last one seen minus the overlap', async () => {
    const { world, job, clock } = setup();
    world.put(buildMachine({ updatedAt: iso(-10_000) }));
    await job.runOnce();
    await clock.advance(INTERVAL);
    await job.runOnce();
    const feedCalls = world.calls.filter((c) => c.op === 'orgs.machines').map((c) => (c.input as { updatedAfter?: string }).updatedAfter);
    expect(feedCalls).toEqual([undefined, iso(-40_000)]);
  });

  it('should not publish again when the overlap window returns machines already reported', async () => {
    const { world, job, published, clock } = setup();
    world.put(buildMachine({ state: 'stopped' }));
    await job.runOnce();
    world.put(buildMachine({ state: 'started', updatedAt: iso(1_000) }));
    await clock.advance(INTERVAL);
    expect((await job.runOnce()).emitted).toBe(1);
    await clock.advance(INTERVAL);
    expect(await job.runOnce()).toMatchObject({ polled: true, emitted: 0 });
    expect(published).toHaveLength(1);
  });

  it('should publish new Fly events of a changed machine keyed by their Fly id', async () => {
    const { world, job, published, clock } = setup();
    world.put(buildMachine({ state: 'stopped' }));
    world.addEvent('m1', { id: 'old', type: 'launch', timestamp: T0 - 3_600_000 });
    await job.runOnce();
    await clock.advance(INTERVAL);
    world.addEvent('m1', { id: '01EVSTART', type: 'start', status: 'started', source: 'user', timestamp: T0 + 1_000 });
    world.put(buildMachine({ state: 'started', updatedAt: iso(1_000) }));
    await job.runOnce();
    expect(published.map((e) => [e.id, e.type])).toEqual([
      ['fly:01EVSTART', 'machine.event'],
      [expect.stringMatching(/^change:/), 'machine.state_changed'],
    ]);
    expect(published[0]).toMatchObject({
      event: { id: '01EVSTART', type: 'start', status: 'started', source: 'user', timestamp: T0 + 1_000 },
      timestamp: iso(1_000),
    });
  });

  it('should not publish a Fly event again when the webhook path already delivered it', async () => {
    const { world, job, published, clock, ingest } = setup();
    world.put(buildMachine({ state: 'stopped' }));
    await job.runOnce();
    const flyEvent = { id: '01EVEXIT', type: 'exit', status: 'stopped', source: 'flyd', timestamp: T0 + 1_000 };
    await ingest.ingest({
      id: 'fly:01EVEXIT',
      type: 'machine.event',
      timestamp: iso(1_000),
      app: 'web',
      machineId: 'm1',
      event: flyEvent,
      source: 'webhook',
    });
    world.addEvent('m1', flyEvent);
    world.put(buildMachine({ state: 'started', updatedAt: iso(2_000) }));
    await clock.advance(INTERVAL);
    await job.runOnce();
    expect(published.filter((e) => e.id === 'fly:01EVEXIT').map((e) => e.source)).toEqual(['webhook']);
  });

  it('should publish created, its Fly events and destroyed when a machine was created and destroyed between two polls', async () => {
    const { world, job, published, clock } = setup();
    world.put(buildMachine());
    await job.runOnce();
    world.addEvent('m9', { id: '01EVLAUNCH', type: 'launch', status: 'created', source: 'user', timestamp: T0 + 1_000 });
    world.addEvent('m9', { id: '01EVSTARTED', type: 'start', status: 'started', source: 'flyd', timestamp: T0 + 1_500 });
    world.addEvent('m9', { id: '01EVDESTROYING', type: 'destroy', status: 'destroying', source: 'user', timestamp: T0 + 2_000 });
    world.addEvent('m9', { id: '01EVDESTROYED', type: 'destroy', status: 'destroyed', source: 'flyd', timestamp: T0 + 2_500 });
    world.put(buildMachine({ id: 'm9', state: 'destroyed', updatedAt: iso(2_500) }));
    await clock.advance(INTERVAL);
    expect(await job.runOnce()).toMatchObject({ polled: true, emitted: 6 });
    expect(published.map((e) => [e.type, e.event?.status ?? e.to ?? e.from ?? null])).toEqual([
      ['machine.event', 'created'],
      ['machine.event', 'started'],
      ['machine.event', 'destroying'],
      ['machine.event', 'destroyed'],
      ['machine.created', 'created'],
      ['machine.destroyed', 'destroying'],
    ]);
    expect(published[4]).toMatchObject({ machineId: 'm9', timestamp: iso(1_000) });
    expect(published[5]).toMatchObject({ machineId: 'm9', timestamp: iso(2_500) });
    // The next poll's overlap window shows it again: nothing new, and its events are not fetched again.
    await clock.advance(INTERVAL);
    const eventCalls = world.calls.filter((c) => c.op === 'machines.events').length;
    expect(await job.runOnce()).toMatchObject({ polled: true, emitted: 0 });
    expect(world.calls.filter((c) => c.op === 'machines.events')).toHaveLength(eventCalls);
  });

  it('should publish a state change once when a relay reported it before the poll', async () => {
    const { world, job, published, clock, ingest } = setup();
    world.put(buildMachine({ state: 'stopped' }));
    await job.runOnce();
    world.put(buildMachine({ state: 'started', updatedAt: iso(1_000) }));
    const body = {
      type: 'machine.state_changed',
      timestamp: iso(1_000),
      data: { app: 'web', machine_id: 'm1', from: 'starting', to: 'started', updated_at: iso(1_000) },
    };
    const parsed = parseWebhookBody(JSON.stringify(body), 'msg_relay_1');
    if (!parsed.ok) throw new Error(parsed.errors.join('; '));
    expect(await ingest.ingest(parsed.event)).toBe('published');
    await clock.advance(INTERVAL);
    expect(await job.runOnce()).toMatchObject({ polled: true, emitted: 0 });
    expect(published.map((e) => [e.type, e.source])).toEqual([['machine.state_changed', 'webhook']]);
  });

  it('should publish a state change once when the relay reports it after the poll', async () => {
    const { world, job, published, clock, ingest } = setup();
    world.put(buildMachine({ state: 'stopped' }));
    await job.runOnce();
    world.put(buildMachine({ state: 'started', updatedAt: iso(1_000) }));
    await clock.advance(INTERVAL);
    expect(await job.runOnce()).toMatchObject({ polled: true, emitted: 1 });
    const body = {
      type: 'machine.state_changed',
      timestamp: iso(1_000),
      data: { app: 'web', machine_id: 'm1', from: 'stopped', to: 'started', updated_at: iso(1_000) },
    };
    const parsed = parseWebhookBody(JSON.stringify(body), 'msg_relay_2');
    if (!parsed.ok) throw new Error(parsed.errors.join('; '));
    expect(await ingest.ingest(parsed.event)).toBe('duplicate');
    expect(published.map((e) => [e.type, e.source])).toEqual([['machine.state_changed', 'sync']]);
  });

  it('should fall back to per-app lists and report vanished machines when the feed fails', async () => {
    const { world, job, published, clock } = setup();
    world.put(buildMachine({ id: 'm1' }));
    world.put(buildMachine({ id: 'm2', app: 'api' }));
    await job.runOnce();
    world.state.failFeed = true;
    world.put(buildMachine({ id: 'm2', app: 'api', state: 'destroyed', updatedAt: iso(1_000) }));
    world.put(buildMachine({ id: 'm1', state: 'stopped', updatedAt: iso(1_000) }));
    await clock.advance(INTERVAL);
    expect(await job.runOnce()).toMatchObject({ polled: true, emitted: 2, via: 'apps' });
    expect(published.map((e) => [e.type, e.machineId])).toEqual([
      ['machine.state_changed', 'm1'],
      ['machine.destroyed', 'm2'],
    ]);
  });

  it('should not report a machine again when the feed shows it destroyed after the per-app lists reported it gone', async () => {
    const { world, job, published, clock } = setup();
    world.put(buildMachine({ id: 'm1' }));
    world.put(buildMachine({ id: 'm2' }));
    await job.runOnce();
    world.state.failFeed = true;
    world.put(buildMachine({ id: 'm2', state: 'destroyed', updatedAt: iso(1_000) }));
    await clock.advance(INTERVAL);
    expect(await job.runOnce()).toMatchObject({ emitted: 1, via: 'apps' });
    world.state.failFeed = false;
    await clock.advance(INTERVAL);
    expect(await job.runOnce()).toMatchObject({ emitted: 0, via: 'feed' });
    expect(published.map((e) => [e.type, e.machineId])).toEqual([['machine.destroyed', 'm2']]);
  });

  it('should not poll when another instance holds the lock', async () => {
    const registry: MemoryLockRegistry = new Map();
    const a = setup({ registry, owner: 'a' });
    const b = setup({ registry, owner: 'b' });
    expect((await a.job.runOnce()).polled).toBe(true);
    expect(await b.job.runOnce()).toEqual({ polled: false, emitted: 0 });
    expect(b.world.calls).toEqual([]);
  });

  it('should take over from shared state when the holder stops renewing the lock', async () => {
    const registry: MemoryLockRegistry = new Map();
    const state = createMemorySyncStateStore();
    const clock = createManualClock(T0);
    const a = setup({ registry, state, owner: 'a', clock });
    const b = setup({ registry, state, owner: 'b', clock });
    a.world.put(buildMachine({ state: 'stopped' }));
    b.world.put(buildMachine({ state: 'stopped' }));
    await a.job.runOnce();
    b.world.put(buildMachine({ state: 'started', updatedAt: iso(1_000) }));
    await clock.advance(3 * INTERVAL - 1);
    expect((await b.job.runOnce()).polled).toBe(false);
    await clock.advance(1);
    expect(await b.job.runOnce()).toMatchObject({ polled: true, emitted: 1 });
    expect(b.published.map((e) => e.type)).toEqual(['machine.state_changed']);
  });

  it('should reject and publish on the next run when handing on fails', async () => {
    const { world, job, published, clock } = setup({ failPublishes: 1 });
    world.put(buildMachine({ state: 'stopped' }));
    await job.runOnce();
    world.put(buildMachine({ state: 'started', updatedAt: iso(1_000) }));
    await clock.advance(INTERVAL);
    await expect(job.runOnce()).rejects.toThrow('bus down');
    await clock.advance(INTERVAL);
    expect((await job.runOnce()).emitted).toBe(1);
    expect(published).toHaveLength(1);
  });

  it('should share one run when called concurrently', async () => {
    const { world, job } = setup();
    world.put(buildMachine());
    const [first, second] = await Promise.all([job.runOnce(), job.runOnce()]);
    expect(second).toBe(first);
    expect(world.calls.filter((c) => c.op === 'orgs.machines')).toHaveLength(1);
  });
});

describe('createSyncJob start/stop', () => {
  it('should run at once and then every interval until stopped', async () => {
    const { world, job, clock, lock } = setup();
    const feedCalls = () => world.calls.filter((c) => c.op === 'orgs.machines').length;
    job.start();
    await clock.advance(0);
    expect(feedCalls()).toBe(1);
    await clock.advance(INTERVAL);
    expect(feedCalls()).toBe(2);
    await job.stop();
    await clock.advance(3 * INTERVAL);
    expect(feedCalls()).toBe(2);
    expect(lock.held).toBe(false);
  });

  it('should keep scheduling when a run fails', async () => {
    const { world, job, clock } = setup();
    world.state.failFeed = true;
    const listAll = vi.spyOn(world.fly.apps, 'listAll').mockRejectedValue(new Error('apps down'));
    job.start();
    await clock.advance(0);
    await clock.advance(INTERVAL);
    expect(listAll).toHaveBeenCalledTimes(2);
    await job.stop();
  });
});
