import { isRead, operationKey, type FlyCollection, type FlyTarget } from '../../flyio/operation.js';
import { isResourceEventType, type GatewayEvent, type ResourceEventType } from '../events/types.js';
import type { AppsApi, CallOptions, FlyClient, MachinesApi, VolumesApi } from '../../flyio/types.js';
import { cacheTag, type CacheEntity, type ReadCache } from './read-cache.js';

/** Callers waiting on each request signal: one abort listener per signal, however many reads it waits on. */
const waiters = new WeakMap<AbortSignal, Set<(reason: unknown) => void>>();

/** Resolves or rejects with `promise`, or rejects with the signal's reason as soon as it aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  let pending = waiters.get(signal);
  if (!pending) {
    const set = new Set<(reason: unknown) => void>();
    waiters.set(signal, set);
    signal.addEventListener('abort', () => set.forEach((reject) => reject(signal.reason)), { once: true });
    pending = set;
  }
  const set = pending;
  return new Promise<T>((resolve, reject) => {
    set.add(reject);
    promise.then(
      (value) => {
        set.delete(reject);
        resolve(value);
      },
      (error: unknown) => {
        set.delete(reject);
        reject(error);
      },
    );
  });
}

/** A stable text for a read's arguments (key order does not matter; arrays keep theirs, sorted where they are sets). */
function idOf(input: Record<string, unknown>, omit: readonly string[] = []): string {
  const entries = Object.entries(input)
    .filter(([key, value]) => value !== undefined && !omit.includes(key))
    .map(([key, value]) => [key, Array.isArray(value) ? [...value].sort() : value] as const)
    .sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify(entries);
}

/** The tags an app's machine change invalidates: the machine itself, every machine list of the app, and the app. */
export function machineChangeTags(app: string, machineId?: string): string[] {
  return [cacheTag('machines', app), cacheTag('app', app), ...(machineId ? [cacheTag('machine', app, machineId)] : [])];
}

/** The tags a read of `target` is cached under: its machine, its collection, or its app. */
export function targetTag(target: FlyTarget): string {
  if (target.machineId) return cacheTag('machine', target.app, target.machineId);
  return target.collection ? cacheTag(target.collection, target.app) : cacheTag('app', target.app);
}

/**
 * The tags a write to `target` drops: an app created or destroyed (it names the org lists that show it), a machine
 * change, or the collection and the app.
 */
export function targetChangeTags(target: FlyTarget): string[] {
  if (target.orgs) {
    const lists = [...new Set(target.orgs)].map((org) => cacheTag('apps', org));
    return [...lists, ...machineChangeTags(target.app), cacheTag('volumes', target.app)];
  }
  if (target.collection && !target.machineId) return [cacheTag(target.collection, target.app), cacheTag('app', target.app)];
  return machineChangeTags(target.app, target.machineId);
}

/** The collection each resource event changes (apps change their org's list instead). */
const EVENT_COLLECTION: Record<Exclude<ResourceEventType, 'app.created' | 'app.destroyed'>, FlyCollection> = {
  'volume.created': 'volumes',
  'volume.updated': 'volumes',
  'volume.extended': 'volumes',
  'volume.destroyed': 'volumes',
  'volume.snapshot_created': 'volumes',
  'secrets.changed': 'secrets',
  'certificate.changed': 'certificates',
  'ip.allocated': 'ip-addresses',
  'ip.released': 'ip-addresses',
  'postgres.changed': 'postgres',
};

/**
 * The cache tags an event drops before it is published, so a subscriber (or a live query) that reads again on the
 * event reads what changed: a machine event drops the machine, its app's lists and the app; an app created or
 * destroyed drops the app and its organization's app lists; any other resource event drops its collection and the app.
 */
export function eventTags(event: Pick<GatewayEvent, 'type' | 'app' | 'machineId' | 'resource'>): string[] {
  if (!isResourceEventType(event.type)) return machineChangeTags(event.app, event.machineId || undefined);
  if (event.type === 'app.created' || event.type === 'app.destroyed') {
    const org = event.resource?.org;
    return [
      cacheTag('app', event.app),
      cacheTag('machines', event.app),
      cacheTag('volumes', event.app),
      ...(org ? [cacheTag('apps', org)] : []),
    ];
  }
  return [cacheTag(EVENT_COLLECTION[event.type], event.app), cacheTag('app', event.app)];
}

/**
 * Puts the read cache in front of a Fly client: the same {@link FlyClient}, whose reads (lists, gets, events,
 * volumes, regions) go through the cache under the caller's tenant, and whose writes drop what they change once Fly
 * answered (or once the outcome became unknown). Per-request loaders use it as they would the plain client.
 */
export function withReadCache(fly: FlyClient, cache: ReadCache, tenant: string, { cacheReads = true } = {}): FlyClient {
  // A read may be shared by many requests (single flight), so it runs without any one caller's abort signal; each
  // caller still stops waiting when its own signal aborts.
  const read = async <T>(
    entity: CacheEntity,
    scope: string,
    id: string,
    tags: string[],
    fetch: (options: CallOptions | undefined) => Promise<T>,
    options?: CallOptions,
    keep = true,
  ): Promise<T> => {
    if (!cacheReads) return fetch(options);
    const shared = options?.signal ? { ...options, signal: undefined } : options;
    const result = cache.read({ entity, tenant, scope, id, tags, fetch: () => fetch(shared), keep });
    return (await untilAborted(result, options?.signal)).value;
  };

  /** Runs a write, then drops the entries it may have changed, whatever the outcome. */
  const write =
    <I extends { app: string; machineId?: string }, R>(
      call: (input: I, options?: CallOptions) => Promise<R>,
      tags: (input: I) => string[],
    ) =>
    async (input: I, options?: CallOptions): Promise<R> => {
      try {
        return await call(input, options);
      } finally {
        await cache.invalidate(tags(input));
      }
    };
  const machineWrite = <I extends { app: string; machineId?: string }, R>(call: (input: I, options?: CallOptions) => Promise<R>) =>
    write(call, (input) => machineChangeTags(input.app, input.machineId));
  const volumeWrite = <I extends { app: string }, R>(call: (input: I, options?: CallOptions) => Promise<R>) =>
    write(call, (input) => [cacheTag('volumes', input.app)]);

  const m = fly.machines;
  const machines: MachinesApi = {
    ...m,
    list: (input, options) =>
      read('machines', input.app, idOf({ ...input }, ['app']), [cacheTag('machines', input.app)], (o) => m.list(input, o), options),
    listAll: (input, options) =>
      read(
        'machines',
        input.app,
        `all:${idOf({ ...input }, ['app'])}`,
        [cacheTag('machines', input.app)],
        (o) => m.listAll(input, o),
        options,
      ),
    get: (input, options) =>
      read(
        'machine',
        input.app,
        idOf({ ...input }, ['app']),
        [cacheTag('machine', input.app, input.machineId)],
        (o) => m.get(input, o),
        options,
      ),
    events: (input, options) =>
      read(
        'events',
        input.app,
        idOf({ ...input }, ['app']),
        [cacheTag('machine', input.app, input.machineId)],
        (o) => m.events(input, o),
        options,
      ),
    create: machineWrite(m.create),
    update: machineWrite(m.update),
    destroy: machineWrite(m.destroy),
    start: machineWrite(m.start),
    stop: machineWrite(m.stop),
    restart: machineWrite(m.restart),
    suspend: machineWrite(m.suspend),
    signal: machineWrite(m.signal),
    cordon: machineWrite(m.cordon),
    uncordon: machineWrite(m.uncordon),
    setMetadata: machineWrite(m.setMetadata),
    deleteMetadata: machineWrite(m.deleteMetadata),
    acquireLease: machineWrite(m.acquireLease),
    releaseLease: machineWrite(m.releaseLease),
  };

  const a = fly.apps;
  const apps: AppsApi = {
    ...a,
    list: (input, options) =>
      read('apps', input.org, idOf({ ...input }, ['org']), [cacheTag('apps', input.org)], (o) => a.list(input, o), options),
    listAll: (input, options) =>
      read('apps', input.org, `all:${idOf({ ...input }, ['org'])}`, [cacheTag('apps', input.org)], (o) => a.listAll(input, o), options),
    get: (name, options) => read('app', name, '', [cacheTag('app', name)], (o) => a.get(name, o), options),
  };

  const v = fly.volumes;
  const volumeTags = (app: string) => [cacheTag('volumes', app)];
  const volumes: VolumesApi = {
    ...v,
    list: (input, options) =>
      read('volumes', input.app, idOf({ ...input }, ['app']), volumeTags(input.app), (o) => v.list(input, o), options),
    listAll: (input, options) => read('volumes', input.app, 'all', volumeTags(input.app), (o) => v.listAll(input, o), options),
    get: (input, options) => read('volume', input.app, input.volumeId, volumeTags(input.app), (o) => v.get(input, o), options),
    snapshots: (input, options) =>
      read('snapshots', input.app, input.volumeId, volumeTags(input.app), (o) => v.snapshots(input, o), options),
    create: volumeWrite(v.create),
    extend: volumeWrite(v.extend),
    delete: volumeWrite(v.delete),
    createSnapshot: volumeWrite(v.createSnapshot),
  };

  // Declared operations: a read with a lifetime is cached under its target's tag; a read that may only be shared
  // joins an identical one in flight; any other read goes to Fly; a write drops what its target had cached, as the
  // machine writes above do.
  const call: FlyClient['call'] = async (operation, input, options) => {
    const target = operation.target(input);
    if (!isRead(operation)) {
      if (operation.cacheNeutral) return fly.call(operation, input, options);
      try {
        return await fly.call(operation, input, options);
      } finally {
        await cache.invalidate(targetChangeTags(target));
      }
    }
    if (!operation.cache && operation.shareInFlight) {
      const tags = [targetTag(target)];
      return read('app', target.app, operationKey(operation, input), tags, (o) => fly.call(operation, input, o), options, false);
    }
    if (!operation.cache) return fly.call(operation, input, options);
    return read(
      operation.cache,
      target.app,
      operationKey(operation, input),
      [targetTag(target)],
      (o) => fly.call(operation, input, o),
      options,
    );
  };

  return {
    ...fly,
    call,
    apps,
    machines,
    volumes,
    platform: {
      ...fly.platform,
      regions: (options) => read('regions', 'platform', '', [cacheTag('regions', 'platform')], (o) => fly.platform.regions(o), options),
    },
  };
}

/**
 * The same client with reads straight from Fly and writes that still drop what they change from the cache: for
 * work that must see Fly as it is (deployments polling machines) without leaving stale entries behind.
 */
export function withWriteInvalidation(fly: FlyClient, cache: ReadCache): FlyClient {
  return withReadCache(fly, cache, '', { cacheReads: false });
}
