import { describe, expect, it } from 'vitest';
import type { FlyMachine } from '#src/flyio/wire/machine.js';
import { createLoaders, machineKey, refreshMachine, splitKey, volumeKey } from '#src/services/loaders.js';
import { createRecordingFly, deferred, type FlyAnswer } from './fake-fly-client.js';

const m1: FlyMachine = { id: 'm1', state: 'started', version: 'v1' };
const m2: FlyMachine = { id: 'm2', state: 'stopped', version: 'v1' };

/** A fake whose list and read calls answer from fixed data. */
function listingFly(answers: Record<string, FlyAnswer> = {}) {
  const f = createRecordingFly({
    'machines.listAll': () => [m1, m2],
    'machines.list': (input) => ({ items: input.cursor ? [m2] : [m1], nextCursor: input.cursor ? undefined : 'c1' }),
    'apps.get': (name) => ({ name }),
    'apps.listAll': () => [{ name: 'web' }, { name: 'db' }],
    'apps.list': () => ({ items: [{ name: 'web' }], totalCount: 1 }),
    'volumes.get': (input) => ({ id: input.volumeId, name: 'data' }),
    'volumes.listAll': () => [{ id: 'vol_1', name: 'data' }],
    'volumes.list': () => ({ items: [{ id: 'vol_2', name: 'logs' }] }),
    'volumes.snapshots': () => [],
    'machines.events': () => [],
    'platform.regions': () => ({ Regions: [] }),
    ...answers,
  });
  f.put('web', m1);
  f.put('web', m2);
  return f;
}

describe('keys', () => {
  it('should join and split app/id keys, refusing keys without both parts', () => {
    expect(machineKey('web', 'm1')).toBe('web/m1');
    expect(volumeKey('web', 'vol_1')).toBe('web/vol_1');
    expect(splitKey('web/m1')).toEqual({ app: 'web', id: 'm1' });
    expect(splitKey('m1')).toBeUndefined();
    expect(splitKey('/m1')).toBeUndefined();
    expect(splitKey('web/')).toBeUndefined();
  });

  it('should reject a malformed machine key without calling Fly', async () => {
    const f = listingFly();
    await expect(createLoaders({ fly: f.fly }).machine.load('m1')).rejects.toThrow('expected an "app/id" key');
    expect(f.calls).toEqual([]);
  });
});

describe('machine loader', () => {
  it('should make one read, with leases, for the same machine asked for twice', async () => {
    const f = listingFly();
    const loaders = createLoaders({ fly: f.fly });
    const [a, b] = await Promise.all([loaders.machine.load('web/m1'), loaders.machine.load('web/m1')]);
    await loaders.machine.load('web/m1');
    expect(a).toBe(b);
    expect(f.ops()).toEqual(['machines.get']);
    expect(f.calls[0].input).toEqual({ app: 'web', machineId: 'm1', includeLeases: true });
  });

  it('should start the reads of one tick together, as one batch', async () => {
    const held = deferred<void>();
    const f = listingFly();
    f.answer('machines.get', async (input) => {
      await held.promise;
      return { id: input.machineId, state: 'started' };
    });
    const loaders = createLoaders({ fly: f.fly });
    const both = Promise.all([loaders.machine.load('web/m1'), loaders.machine.load('web/m2')]);
    // Nothing is sent while the tick is still collecting keys.
    expect(f.calls).toHaveLength(0);
    // Both calls are out before either answers: neither waited for the other.
    await new Promise((resolve) => setImmediate(resolve));
    expect(f.callsTo('machines.get').map((c) => c.input.machineId)).toEqual(['m1', 'm2']);
    held.resolve();
    expect((await both).map((m) => m.id)).toEqual(['m1', 'm2']);
  });

  it('should fail only the key whose read failed', async () => {
    const f = listingFly();
    const loaders = createLoaders({ fly: f.fly });
    const [found, missing] = await Promise.allSettled([loaders.machine.load('web/m1'), loaders.machine.load('web/nope')]);
    expect(found).toMatchObject({ status: 'fulfilled', value: { id: 'm1' } });
    expect(missing).toMatchObject({ status: 'rejected', reason: { code: 'NOT_FOUND' } });
  });
});

describe('machine lists', () => {
  it('should share one list call between filters that differ only in order', async () => {
    const f = listingFly();
    const loaders = createLoaders({ fly: f.fly });
    await Promise.all([
      loaders.machines.load({ app: 'web', state: ['started', 'stopped'], metadata: { a: '1', b: '2' } }),
      loaders.machines.load({ app: 'web', state: ['stopped', 'started'], metadata: { b: '2', a: '1' } }),
    ]);
    expect(f.ops()).toEqual(['machines.listAll']);
    expect(f.calls[0].input).toEqual({ app: 'web', state: ['started', 'stopped'], metadata: { a: '1', b: '2' }, includeLeases: true });
  });

  it('should make one call per distinct filter', async () => {
    const f = listingFly();
    const loaders = createLoaders({ fly: f.fly });
    await Promise.all([
      loaders.machines.load({ app: 'web' }),
      loaders.machines.load({ app: 'web', region: 'ams' }),
      loaders.machines.load({ app: 'db' }),
    ]);
    expect(f.callsTo('machines.listAll')).toHaveLength(3);
  });

  it('should prime the single-machine loader from a list, so details cost no further call', async () => {
    const f = listingFly();
    const loaders = createLoaders({ fly: f.fly });
    const list = await loaders.machines.load({ app: 'web' });
    const [a, b] = await Promise.all([loaders.machine.load('web/m1'), loaders.machine.load('web/m2')]);
    expect(f.ops()).toEqual(['machines.listAll']);
    expect([a, b]).toEqual(list);
    // Priming is per app: the same id under another app is a different machine.
    await loaders.machine.load('db/m1').catch(() => undefined);
    expect(f.callsTo('machines.get')).toHaveLength(1);
  });

  it('should key pages on filter, cursor and limit, and prime machines from each page', async () => {
    const f = listingFly();
    const loaders = createLoaders({ fly: f.fly });
    const first = { filter: { app: 'web' }, limit: 1 };
    await Promise.all([loaders.machinesPage.load(first), loaders.machinesPage.load({ ...first })]);
    const second = await loaders.machinesPage.load({ ...first, cursor: 'c1' });
    await loaders.machinesPage.load({ ...first, limit: 2 });
    expect(f.callsTo('machines.list').map((c) => c.input)).toEqual([
      { app: 'web', includeLeases: true, cursor: undefined, limit: 1 },
      { app: 'web', includeLeases: true, cursor: 'c1', limit: 1 },
      { app: 'web', includeLeases: true, cursor: undefined, limit: 2 },
    ]);
    expect(second.items.map((m) => m.id)).toEqual(['m2']);
    await loaders.machine.loadMany(['web/m1', 'web/m2']);
    expect(f.callsTo('machines.get')).toHaveLength(0);
  });
});

describe('apps and volumes', () => {
  it('should prime apps from an org list and from an apps page', async () => {
    const f = listingFly();
    const loaders = createLoaders({ fly: f.fly });
    await Promise.all([loaders.appsByOrg.load('personal'), loaders.appsByOrg.load('personal')]);
    await loaders.appsPage.load({ filter: 'personal', limit: 10 });
    await loaders.app.loadMany(['web', 'db']);
    expect(f.ops()).toEqual(['apps.listAll', 'apps.list']);
    expect(f.calls[0].input).toEqual({ org: 'personal' });
    expect(f.calls[1].input).toEqual({ org: 'personal', cursor: undefined, limit: 10 });
    await loaders.app.load('other');
    expect(f.callsTo('apps.get').map((c) => c.input)).toEqual(['other']);
  });

  it('should prime volumes from lists and pages, keyed by app', async () => {
    const f = listingFly();
    const loaders = createLoaders({ fly: f.fly });
    await loaders.volumes.load('web');
    await loaders.volumesPage.load({ filter: 'web', limit: 5 });
    const [v1, v2] = await loaders.volume.loadMany([volumeKey('web', 'vol_1'), volumeKey('web', 'vol_2')]);
    expect(f.ops()).toEqual(['volumes.listAll', 'volumes.list']);
    expect([v1, v2]).toMatchObject([{ id: 'vol_1' }, { id: 'vol_2' }]);
    await loaders.volume.load(volumeKey('db', 'vol_1'));
    expect(f.callsTo('volumes.get').map((c) => c.input)).toEqual([{ app: 'db', volumeId: 'vol_1' }]);
  });

  it('should read the region catalogue once, and events and snapshots once per key', async () => {
    const f = listingFly();
    const loaders = createLoaders({ fly: f.fly });
    await Promise.all([loaders.regions.load('all'), loaders.regions.load('all')]);
    await Promise.all([loaders.machineEvents.load('web/m1'), loaders.machineEvents.load('web/m1')]);
    await Promise.all([loaders.volumeSnapshots.load('web/vol_1'), loaders.volumeSnapshots.load('web/vol_1')]);
    expect(f.ops()).toEqual(['platform.regions', 'machines.events', 'volumes.snapshots']);
    expect(f.calls[1].input).toEqual({ app: 'web', machineId: 'm1', limit: 50 });
    expect(f.calls[2].input).toEqual({ app: 'web', volumeId: 'vol_1' });
  });
});

describe('abort signal', () => {
  it("should pass the request's signal to every Fly call", async () => {
    const f = listingFly();
    const signal = new AbortController().signal;
    const loaders = createLoaders({ fly: f.fly, signal });
    await Promise.all([
      loaders.app.load('web'),
      loaders.appsByOrg.load('personal'),
      loaders.appsPage.load({ filter: 'personal', limit: 1 }),
      loaders.machine.load('web/m1'),
      loaders.machines.load({ app: 'db' }),
      loaders.machinesPage.load({ filter: { app: 'db' }, limit: 1 }),
      loaders.machineEvents.load('web/m1'),
      loaders.volume.load('web/vol_9'),
      loaders.volumes.load('db'),
      loaders.volumesPage.load({ filter: 'db', limit: 1 }),
      loaders.volumeSnapshots.load('web/vol_1'),
      loaders.regions.load('all'),
    ]);
    expect(f.calls).toHaveLength(12);
    for (const call of f.calls) expect(call.options, call.op).toEqual({ signal });
  });

  it('should send no options at all without a signal', async () => {
    const f = listingFly();
    await createLoaders({ fly: f.fly }).machine.load('web/m1');
    expect(f.calls[0].options).toBeUndefined();
  });
});

describe('refreshMachine', () => {
  it('should make later loads see the fresh machine and drop cached lists and events', async () => {
    const f = listingFly();
    const loaders = createLoaders({ fly: f.fly });
    await loaders.machines.load({ app: 'web' });
    await loaders.machinesPage.load({ filter: { app: 'web' }, limit: 1 });
    await loaders.machineEvents.load('web/m1');
    const fresh = { ...m1, state: 'stopped', version: 'v2' };
    refreshMachine(loaders, 'web', fresh);
    expect(await loaders.machine.load('web/m1')).toEqual(fresh);
    await loaders.machines.load({ app: 'web' });
    await loaders.machinesPage.load({ filter: { app: 'web' }, limit: 1 });
    await loaders.machineEvents.load('web/m1');
    expect(f.ops()).toEqual([
      'machines.listAll',
      'machines.list',
      'machines.events',
      'machines.listAll',
      'machines.list',
      'machines.events',
    ]);
  });
});

describe('summary lists', () => {
  it('should ask Fly for summaries, and never prime single machines with them (their config is missing)', async () => {
    const f = listingFly();
    const loaders = createLoaders({ fly: f.fly });
    await loaders.machines.load({ app: 'web', summary: true });
    expect(f.calls.map((c) => [c.op, c.input.summary])).toEqual([['machines.listAll', true]]);
    await loaders.machine.load(machineKey('web', 'm1'));
    expect(f.calls.map((c) => c.op)).toEqual(['machines.listAll', 'machines.get']);
  });

  it('should answer a summary request from the full list of the same filter asked for in the same batch', async () => {
    const f = listingFly();
    const loaders = createLoaders({ fly: f.fly });
    const [full, summary] = await Promise.all([
      loaders.machines.load({ app: 'web' }),
      loaders.machines.load({ app: 'web', summary: true }),
    ]);
    expect(summary).toBe(full);
    expect(f.calls.map((c) => [c.op, c.input.summary])).toEqual([['machines.listAll', undefined]]);
    // A different filter is its own request.
    await loaders.machines.load({ app: 'web', region: 'ams', summary: true });
    expect(f.calls).toHaveLength(2);
  });

  it('should do the same for pages', async () => {
    const f = listingFly();
    const loaders = createLoaders({ fly: f.fly });
    await Promise.all([
      loaders.machinesPage.load({ filter: { app: 'web' }, limit: 1 }),
      loaders.machinesPage.load({ filter: { app: 'web', summary: true }, limit: 1 }),
    ]);
    expect(f.calls.map((c) => [c.op, c.input.summary])).toEqual([['machines.list', undefined]]);
    await loaders.machine.load(machineKey('web', 'm1'));
    expect(f.calls).toHaveLength(1);
  });
});
