import DataLoader from 'dataloader';
import { operationKey, type FlyOperation } from '../flyio/operation.js';
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
  /**
   * A declared read (src/flyio/operation.ts), asked of Fly (or the read cache) once per request however many fields
   * ask for it with the same input.
   */
  call<Input, Output>(operation: FlyOperation<Input, Output>, input: Input): Promise<Output>;
  /** Forgets every declared read of this request (after a write, so later fields see Fly as it now is). */
  forgetCalls(): void;
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
 * The loaders of one request, each made on first read and kept: a request (or a subscription's context) touches
 * two or three of the twelve, so the others are never made. A class with getters on its prototype, so a request
 * that reads none costs one small object and no closures (a subscription keeps its context for its whole life).
 */
class RequestLoaders implements Loaders {
  readonly #fly: FlyClient;
  readonly #options: CallOptions | undefined;
  #app?: Loaders['app'];
  #appsByOrg?: Loaders['appsByOrg'];
  #appsPage?: Loaders['appsPage'];
  #machine?: Loaders['machine'];
  #machines?: Loaders['machines'];
  #machinesPage?: Loaders['machinesPage'];
  #machineEvents?: Loaders['machineEvents'];
  #volume?: Loaders['volume'];
  #volumes?: Loaders['volumes'];
  #volumesPage?: Loaders['volumesPage'];
  #volumeSnapshots?: Loaders['volumeSnapshots'];
  #regions?: Loaders['regions'];
  #calls?: Map<string, Promise<unknown>>;

  constructor(fly: FlyClient, signal: AbortSignal | undefined) {
    this.#fly = fly;
    this.#options = signal ? { signal } : undefined;
  }

  #primeMachines(app: string, list: FlyMachine[]): void {
    for (const m of list) this.machine.prime(machineKey(app, m.id), m);
  }

  #primeVolumes(app: string, list: FlyVolume[]): void {
    for (const v of list) this.volume.prime(volumeKey(app, v.id), v);
  }

  #primeApps(list: FlyApp[]): void {
    for (const a of list) this.app.prime(a.name, a);
  }

  get app(): Loaders['app'] {
    return (this.#app ??= new DataLoader((names) => settleEach(names, (name) => this.#fly.apps.get(name, this.#options))));
  }

  get appsByOrg(): Loaders['appsByOrg'] {
    return (this.#appsByOrg ??= new DataLoader((orgs) =>
      settleEach(orgs, async (org) => {
        const apps = await this.#fly.apps.listAll({ org }, this.#options);
        this.#primeApps(apps);
        return apps;
      }),
    ));
  }

  get appsPage(): Loaders['appsPage'] {
    return (this.#appsPage ??= new DataLoader(
      (requests) =>
        settleEach(requests, async ({ filter: org, cursor, limit }) => {
          const page = await this.#fly.apps.list({ org, cursor, limit }, this.#options);
          this.#primeApps(page.items);
          return page;
        }),
      { cacheKeyFn: pageKey((org: string) => org) },
    ));
  }

  // Leases ride along on list and get calls at no extra cost, so Machine.lease never needs a call of its own.
  get machine(): Loaders['machine'] {
    return (this.#machine ??= new DataLoader((keys) =>
      settleEach(keys, (key) => {
        const { app, id } = required(key);
        return this.#fly.machines.get({ app, machineId: id, includeLeases: true }, this.#options);
      }),
    ));
  }

  // Summary bodies never prime the single-machine loader: a later field may need the config they leave out.
  get machines(): Loaders['machines'] {
    return (this.#machines ??= new DataLoader(
      (filters) =>
        loadListsSharingFull(filters, bodyFilterKey, async (filter) => {
          const list = await this.#fly.machines.listAll(
            { ...filter, summary: filter.summary || undefined, includeLeases: true },
            this.#options,
          );
          if (!filter.summary) this.#primeMachines(filter.app, list);
          return list;
        }),
      { cacheKeyFn: filterKey },
    ));
  }

  get machinesPage(): Loaders['machinesPage'] {
    return (this.#machinesPage ??= new DataLoader(
      (requests) =>
        loadListsSharingFull(
          requests.map((request) => ({ ...request, summary: request.filter.summary })),
          (request) => JSON.stringify([bodyFilterKey(request.filter), request.cursor ?? '', request.limit]),
          async ({ filter, cursor, limit }) => {
            const page = await this.#fly.machines.list(
              { ...filter, summary: filter.summary || undefined, includeLeases: true, cursor, limit },
              this.#options,
            );
            if (!filter.summary) this.#primeMachines(filter.app, page.items);
            return page;
          },
        ),
      { cacheKeyFn: pageKey(filterKey) },
    ));
  }

  get machineEvents(): Loaders['machineEvents'] {
    return (this.#machineEvents ??= new DataLoader((keys) =>
      settleEach(keys, (key) => {
        const { app, id } = required(key);
        return this.#fly.machines.events({ app, machineId: id, limit: 50 }, this.#options);
      }),
    ));
  }

  get volume(): Loaders['volume'] {
    return (this.#volume ??= new DataLoader((keys) =>
      settleEach(keys, (key) => {
        const { app, id } = required(key);
        return this.#fly.volumes.get({ app, volumeId: id }, this.#options);
      }),
    ));
  }

  get volumes(): Loaders['volumes'] {
    return (this.#volumes ??= new DataLoader((apps) =>
      settleEach(apps, async (app) => {
        const list = await this.#fly.volumes.listAll({ app }, this.#options);
        this.#primeVolumes(app, list);
        return list;
      }),
    ));
  }

  get volumesPage(): Loaders['volumesPage'] {
    return (this.#volumesPage ??= new DataLoader(
      (requests) =>
        settleEach(requests, async ({ filter: app, cursor, limit }) => {
          const page = await this.#fly.volumes.list({ app, cursor, limit }, this.#options);
          this.#primeVolumes(app, page.items);
          return page;
        }),
      { cacheKeyFn: pageKey((app: string) => app) },
    ));
  }

  get volumeSnapshots(): Loaders['volumeSnapshots'] {
    return (this.#volumeSnapshots ??= new DataLoader((keys) =>
      settleEach(keys, (key) => {
        const { app, id } = required(key);
        return this.#fly.volumes.snapshots({ app, volumeId: id }, this.#options);
      }),
    ));
  }

  get regions(): Loaders['regions'] {
    return (this.#regions ??= new DataLoader((keys) => settleEach(keys, () => this.#fly.platform.regions(this.#options))));
  }

  call<Input, Output>(operation: FlyOperation<Input, Output>, input: Input): Promise<Output> {
    const key = operationKey(operation, input);
    const calls = (this.#calls ??= new Map());
    let pending = calls.get(key) as Promise<Output> | undefined;
    if (!pending) {
      pending = this.#fly.call(operation, input, this.#options);
      calls.set(key, pending);
    }
    return pending;
  }

  forgetCalls(): void {
    this.#calls?.clear();
  }
}

/** Creates fresh loaders; call once per GraphQL request. */
export function createLoaders({ fly, signal }: { fly: FlyClient; signal?: AbortSignal }): Loaders {
  return new RequestLoaders(fly, signal);
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
  loaders.forgetCalls();
}
