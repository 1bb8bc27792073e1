import DataLoader from 'dataloader';
import type { CallOptions, FlyClient, Page } from '../flyio/types.js';
import type { FlyApp } from '../flyio/wire/app.js';
import type { FlyMachine, FlyMachineEvent } from '../flyio/wire/machine.js';
import type { FlyRegionsResponse } from '../flyio/wire/platform.js';
import type { FlyVolume, FlyVolumeSnapshot } from '../flyio/wire/volume.js';

/** Which machines of an app to list; serialised as the loader key so identical filters share one call. */
export interface MachineFilter {
  app: string;
  state?: string[];
  region?: string;
  metadata?: Record<string, string>;
  /**
   * Fly's summary bodies are enough (no config, checks or events): a fraction of the bytes to read and parse. A
   * summary request shares a full list of the same filter asked for in the same batch.
   */
  summary?: boolean;
}

/** One page request against a Fly list that paginates with cursors. */
export interface PageRequest<F> {
  filter: F;
  cursor?: string;
  limit: number;
}

/** Per-request DataLoaders: batching and de-duplication live here, so resolvers never call Fly directly. */
export interface Loaders {
  /** All apps of an org (one list call per org and Fly page per request). */
  appsByOrg: DataLoader<string, FlyApp[]>;
  /** One page of an org's apps, following Fly's cursor. */
  appsPage: DataLoader<PageRequest<string>, Page<FlyApp>, string>;
  app: DataLoader<string, FlyApp>;
  /** Machines of one app under a filter (one list call per distinct filter per request). */
  machines: DataLoader<MachineFilter, FlyMachine[], string>;
  /** One page of an app's machines, following Fly's cursor. */
  machinesPage: DataLoader<PageRequest<MachineFilter>, Page<FlyMachine>, string>;
  /** One machine, keyed `app/machineId`; primed from lists so details never cost a call per machine. */
  machine: DataLoader<string, FlyMachine>;
  /** A machine's event log, keyed `app/machineId`; used only when more events are asked for than the body carries. */
  machineEvents: DataLoader<string, FlyMachineEvent[]>;
  /** All volumes of an app. */
  volumes: DataLoader<string, FlyVolume[]>;
  /** One page of an app's volumes, following Fly's cursor. */
  volumesPage: DataLoader<PageRequest<string>, Page<FlyVolume>, string>;
  /** One volume, keyed `app/volumeId`; primed from lists. */
  volume: DataLoader<string, FlyVolume>;
  /** Snapshots of one volume, keyed `app/volumeId`. */
  volumeSnapshots: DataLoader<string, FlyVolumeSnapshot[]>;
  /** The platform's region catalogue (one key: `all`). */
  regions: DataLoader<'all', FlyRegionsResponse>;
}

/** Key of a machine in {@link Loaders.machine}. */
export function machineKey(app: string, machineId: string): string {
  return `${app}/${machineId}`;
}

/** Key of a volume in {@link Loaders.volume}. */
export function volumeKey(app: string, volumeId: string): string {
  return `${app}/${volumeId}`;
}

/** Splits an `app/id` key; `undefined` when it has no app part. */
export function splitKey(key: string): { app: string; id: string } | undefined {
  const slash = key.indexOf('/');
  if (slash <= 0 || slash === key.length - 1) return undefined;
  return { app: key.slice(0, slash), id: key.slice(slash + 1) };
}

function filterKey(filter: MachineFilter): string {
  return JSON.stringify([bodyFilterKey(filter), filter.summary === true]);
}

/** The filter without the body size: a full list answers a summary request of the same filter. */
function bodyFilterKey(filter: MachineFilter): string {
  const metadata = filter.metadata ? Object.entries(filter.metadata).sort(([a], [b]) => a.localeCompare(b)) : [];
  return JSON.stringify([filter.app, [...(filter.state ?? [])].sort(), filter.region ?? '', metadata]);
}

/**
 * Runs a batch of list requests so that a summary request whose full counterpart is in the same batch reads the
 * full list instead of a second one (a dashboard asking both `health` and `machines { nodes { state } }`).
 */
async function loadListsSharingFull<F extends { summary?: boolean }, V>(
  requests: readonly F[],
  keyOf: (request: F) => string,
  load: (request: F) => Promise<V>,
): Promise<(V | Error)[]> {
  const full = new Map<string, Promise<V>>();
  for (const request of requests) if (!request.summary) full.set(keyOf(request), load(request));
  return settleEach(requests, (request) => full.get(keyOf(request)) ?? load(request));
}

function pageKey<F>(filterToKey: (filter: F) => string): (request: PageRequest<F>) => string {
  return (request) => JSON.stringify([filterToKey(request.filter), request.cursor ?? '', request.limit]);
}

/** Settles every key independently: one failing app must not fail its siblings. */
async function settleEach<K, V>(keys: readonly K[], load: (key: K) => Promise<V>): Promise<(V | Error)[]> {
  const results = await Promise.allSettled(keys.map(load));
  return results.map((r) => (r.status === 'fulfilled' ? r.value : toError(r.reason)));
}

function toError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}

function required(key: string): { app: string; id: string } {
  const parts = splitKey(key);
  if (!parts) throw new Error(`expected an "app/id" key, got "${key}"`);
  return parts;
}

/**
 * An object whose properties are built on first read and kept. A request (or a subscription's context) touches
 * two or three of the twelve loaders, so the others are never made.
 */
function lazily<T extends object>(factories: { [K in keyof T]: () => T[K] }): T {
  const target = {} as T;
  for (const key of Object.keys(factories) as Array<keyof T>) {
    Object.defineProperty(target, key, {
      configurable: true,
      enumerable: true,
      get() {
        const value = factories[key]();
        Object.defineProperty(target, key, { value, enumerable: true, writable: false });
        return value;
      },
    });
  }
  return target;
}

/** Creates fresh loaders; call once per GraphQL request. */
export function createLoaders({ fly, signal }: { fly: FlyClient; signal?: AbortSignal }): Loaders {
  const options: CallOptions | undefined = signal ? { signal } : undefined;
  const primeMachines = (app: string, list: FlyMachine[]) => {
    for (const m of list) loaders.machine.prime(machineKey(app, m.id), m);
  };
  const primeVolumes = (app: string, list: FlyVolume[]) => {
    for (const v of list) loaders.volume.prime(volumeKey(app, v.id), v);
  };
  const primeApps = (list: FlyApp[]) => {
    for (const a of list) loaders.app.prime(a.name, a);
  };

  const app = (): Loaders['app'] => new DataLoader((names) => settleEach(names, (name) => fly.apps.get(name, options)));

  const appsByOrg = (): Loaders['appsByOrg'] =>
    new DataLoader((orgs) =>
      settleEach(orgs, async (org) => {
        const apps = await fly.apps.listAll({ org }, options);
        primeApps(apps);
        return apps;
      }),
    );

  const appsPage = (): Loaders['appsPage'] =>
    new DataLoader(
      (requests) =>
        settleEach(requests, async ({ filter: org, cursor, limit }) => {
          const page = await fly.apps.list({ org, cursor, limit }, options);
          primeApps(page.items);
          return page;
        }),
      { cacheKeyFn: pageKey((org: string) => org) },
    );

  // Leases ride along on list and get calls at no extra cost, so Machine.lease never needs a call of its own.
  const machine = (): Loaders['machine'] =>
    new DataLoader((keys) =>
      settleEach(keys, (key) => {
        const { app: appName, id } = required(key);
        return fly.machines.get({ app: appName, machineId: id, includeLeases: true }, options);
      }),
    );

  // Summary bodies never prime the single-machine loader: a later field may need the config they leave out.
  const machines = (): Loaders['machines'] =>
    new DataLoader(
      (filters) =>
        loadListsSharingFull(filters, bodyFilterKey, async (filter) => {
          const list = await fly.machines.listAll({ ...filter, summary: filter.summary || undefined, includeLeases: true }, options);
          if (!filter.summary) primeMachines(filter.app, list);
          return list;
        }),
      { cacheKeyFn: filterKey },
    );

  const machinesPage = (): Loaders['machinesPage'] =>
    new DataLoader(
      (requests) =>
        loadListsSharingFull(
          requests.map((request) => ({ ...request, summary: request.filter.summary })),
          (request) => JSON.stringify([bodyFilterKey(request.filter), request.cursor ?? '', request.limit]),
          async ({ filter, cursor, limit }) => {
            const page = await fly.machines.list(
              { ...filter, summary: filter.summary || undefined, includeLeases: true, cursor, limit },
              options,
            );
            if (!filter.summary) primeMachines(filter.app, page.items);
            return page;
          },
        ),
      { cacheKeyFn: pageKey(filterKey) },
    );

  const machineEvents = (): Loaders['machineEvents'] =>
    new DataLoader((keys) =>
      settleEach(keys, (key) => {
        const { app: appName, id } = required(key);
        return fly.machines.events({ app: appName, machineId: id, limit: 50 }, options);
      }),
    );

  const volume = (): Loaders['volume'] =>
    new DataLoader((keys) =>
      settleEach(keys, (key) => {
        const { app: appName, id } = required(key);
        return fly.volumes.get({ app: appName, volumeId: id }, options);
      }),
    );

  const volumes = (): Loaders['volumes'] =>
    new DataLoader((apps) =>
      settleEach(apps, async (appName) => {
        const list = await fly.volumes.listAll({ app: appName }, options);
        primeVolumes(appName, list);
        return list;
      }),
    );

  const volumesPage = (): Loaders['volumesPage'] =>
    new DataLoader(
      (requests) =>
        settleEach(requests, async ({ filter: appName, cursor, limit }) => {
          const page = await fly.volumes.list({ app: appName, cursor, limit }, options);
          primeVolumes(appName, page.items);
          return page;
        }),
      { cacheKeyFn: pageKey((appName: string) => appName) },
    );

  const volumeSnapshots = (): Loaders['volumeSnapshots'] =>
    new DataLoader((keys) =>
      settleEach(keys, (key) => {
        const { app: appName, id } = required(key);
        return fly.volumes.snapshots({ app: appName, volumeId: id }, options);
      }),
    );

  const regions = (): Loaders['regions'] => new DataLoader((keys) => settleEach(keys, () => fly.platform.regions(options)));

  const loaders = lazily<Loaders>({
    appsByOrg,
    appsPage,
    app,
    machines,
    machinesPage,
    machine,
    machineEvents,
    volumes,
    volumesPage,
    volume,
    volumeSnapshots,
    regions,
  });
  return loaders;
}

/**
 * After a mutation changed a machine: later fields of the same operation must see the new machine, not what an
 * earlier field loaded. Lists are dropped whole because a state change can move the machine in or out of a filter.
 */
export function refreshMachine(loaders: Loaders, app: string, fresh: FlyMachine): void {
  const key = machineKey(app, fresh.id);
  loaders.machine.clear(key).prime(key, fresh);
  loaders.machineEvents.clear(key);
  loaders.machines.clearAll();
  loaders.machinesPage.clearAll();
}
