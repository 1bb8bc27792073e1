import { describe, expect, it } from 'vitest';
import { createManualClock } from '#src/lib/clock.js';
import { createMemoryLock } from '#src/infra/memory/lock.js';
import { createMemoryDedupeStore } from '#src/infra/memory/dedupe-store.js';
import { createEventIngest } from '#src/services/events/event-ingest.js';
import { createMemoryEventBus } from '#src/infra/memory/event-bus.js';
import type { GatewayEvent } from '#src/services/events/types.js';
import { createSyncJob } from '#src/services/sync/sync-job.js';
import type { SyncFlyClient } from '#src/services/sync/poll-machines.js';
import { createMemorySyncStateStore } from '#src/infra/memory/sync-state-store.js';
import { createFakeFly } from './fake-fly.js';

// The sync job over two organizations, each its own fake Fly world: one feed call per org per tick, and an org that
// falls back to complete per-app lists must not make the other org's quiet machines look gone.

const T0 = Date.UTC(2026, 0, 1);
const iso = (offsetMs: number) => new Date(T0 + offsetMs).toISOString();

function setup() {
  const clock = createManualClock(T0);
  const worlds = { home: createFakeFly(), acme: createFakeFly() };
  const world = (org: string) => worlds[org as keyof typeof worlds];
  // Each org's calls go to its own world; per-machine calls to whichever world holds the app.
  const holder = (app: string) => (app.startsWith('acme-') ? worlds.acme : worlds.home);
  const fly = {
    orgs: { machines: (input, options) => world(input.org).fly.orgs.machines(input, options) },
    apps: { listAll: (input, options) => world(input.org).fly.apps.listAll(input, options) },
    machines: {
      listAll: (input, options) => holder(input.app).fly.machines.listAll(input, options),
      events: (input, options) => holder(input.app).fly.machines.events(input, options),
    },
  } as SyncFlyClient;
  const bus = createMemoryEventBus();
  const published: GatewayEvent[] = [];
  const ingest = createEventIngest({
    bus: { ...bus, publish: async (event) => (published.push(event), bus.publish(event)) },
    dedupe: createMemoryDedupeStore({ now: clock.now }),
  });
  const job = createSyncJob({
    fly,
    org: 'home',
    orgs: ['home', 'acme'],
    ingest,
    lock: createMemoryLock({ key: 'sync', ttlMs: 60_000, clock }),
    intervalMs: 5_000,
    overlapMs: 0,
    clock,
    state: createMemorySyncStateStore(),
  });
  return { clock, worlds, job, published };
}

const feedCalls = (world: ReturnType<typeof createFakeFly>) => world.calls.filter((c) => c.op === 'orgs.machines').length;

describe('sync job over several organizations', () => {
  it('should read each org feed once per tick and publish changes of both', async () => {
    const { worlds, job, published } = setup();
    worlds.home.put({ app: 'home-web', id: 'h1', state: 'started', version: 'v1', updatedAt: iso(-60_000) });
    worlds.acme.put({ app: 'acme-web', id: 'a1', state: 'started', version: 'v1', updatedAt: iso(-50_000) });
    expect(await job.runOnce()).toMatchObject({ polled: true, baseline: true, via: 'feed' });
    expect([feedCalls(worlds.home), feedCalls(worlds.acme)]).toEqual([1, 1]);
    worlds.home.put({ app: 'home-web', id: 'h1', state: 'stopped', version: 'v1', updatedAt: iso(-10_000) });
    worlds.acme.put({ app: 'acme-web', id: 'a1', state: 'stopped', version: 'v1', updatedAt: iso(-5_000) });
    expect(await job.runOnce()).toMatchObject({ polled: true, emitted: 2, via: 'feed' });
    expect([feedCalls(worlds.home), feedCalls(worlds.acme)]).toEqual([2, 2]);
    expect(published.map((e) => [e.app, e.machineId, e.type, e.to])).toEqual([
      ['home-web', 'h1', 'machine.state_changed', 'stopped'],
      ['acme-web', 'a1', 'machine.state_changed', 'stopped'],
    ]);
  });

  it("should not report the other org's quiet machines destroyed when one org falls back to per-app lists", async () => {
    const { worlds, job, published } = setup();
    worlds.home.put({ app: 'home-web', id: 'h1', state: 'started', version: 'v1', updatedAt: iso(-60_000) });
    worlds.acme.put({ app: 'acme-web', id: 'a1', state: 'started', version: 'v1', updatedAt: iso(-50_000) });
    await job.runOnce();
    worlds.home.state.failFeed = true;
    // acme's feed, read after its last change, lists nothing; home's complete list holds h1 only.
    expect(await job.runOnce()).toMatchObject({ polled: true, emitted: 0, via: 'apps' });
    worlds.home.state.failFeed = false;
    expect(await job.runOnce()).toMatchObject({ polled: true, emitted: 0, via: 'feed' });
    expect(published).toEqual([]);
  });
});
