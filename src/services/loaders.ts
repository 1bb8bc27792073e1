import DataLoader from 'dataloader';
import type { FlyClient } from '../flyio/types.js';
import type { FlyApp } from '../flyio/wire/app.js';
import type { FlyMachine, FlyMachineEvent } from '../flyio/wire/machine.js';

/** Which machines of an app to list; serialised as the loader key so identical filters share one call. */
export interface MachineFilter {
  app: string;
  state?: string[];
  region?: string;
  metadata?: Record<string, string>;
}

/** Per-request DataLoaders: batching and de-duplication live here, so resolvers never call Fly directly. */
export interface Loaders {
  /** All apps of an org (one list call per org per request). */
  appsByOrg: DataLoader<string, FlyApp[]>;
  app: DataLoader<string, FlyApp>;
  /** Machines of one app under a filter (one list call per distinct filter per request). */
  machines: DataLoader<MachineFilter, FlyMachine[], string>;
  /** One machine, keyed `app/machineId`; primed from lists so details never cost a call per machine. */
  machine: DataLoader<string, FlyMachine>;
  /** A machine's event log, keyed `app/machineId`; used only when the machine body did not carry events. */
  machineEvents: DataLoader<string, FlyMachineEvent[]>;
}

/** Key of a machine in {@link Loaders.machine}. */
export function machineKey(app: string, machineId: string): string {
  return `${app}/${machineId}`;
}

function splitMachineKey(key: string): { app: string; machineId: string } {
  const slash = key.indexOf('/');
  return { app: key.slice(0, slash), machineId: key.slice(slash + 1) };
}

function filterKey(filter: MachineFilter): string {
  const metadata = filter.metadata ? Object.entries(filter.metadata).sort(([a], [b]) => a.localeCompare(b)) : [];
  return JSON.stringify([filter.app, [...(filter.state ?? [])].sort(), filter.region ?? '', metadata]);
}

/** Settles every key independently: one failing app must not fail its siblings. */
async function settleEach<K, V>(keys: readonly K[], load: (key: K) => Promise<V>): Promise<(V | Error)[]> {
  const results = await Promise.allSettled(keys.map(load));
  return results.map((r) => (r.status === 'fulfilled' ? r.value : toError(r.reason)));
}

function toError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}

/** Creates fresh loaders; call once per GraphQL request. */
export function createLoaders({ fly, signal }: { fly: FlyClient; signal?: AbortSignal }): Loaders {
  const options = signal ? { signal } : undefined;

  const app: Loaders['app'] = new DataLoader((names) => settleEach(names, (name) => fly.apps.get(name, options)));

  const appsByOrg: Loaders['appsByOrg'] = new DataLoader((orgs) =>
    settleEach(orgs, async (org) => {
      const apps = await fly.apps.listAll({ org }, options);
      for (const a of apps) app.prime(a.name, a);
      return apps;
    }),
  );

  const machine: Loaders['machine'] = new DataLoader((keys) =>
    settleEach(keys, (key) => fly.machines.get(splitMachineKey(key), options)),
  );

  const machines: Loaders['machines'] = new DataLoader(
    (filters) =>
      settleEach(filters, async (filter) => {
        const list = await fly.machines.listAll(
          { app: filter.app, state: filter.state, region: filter.region, metadata: filter.metadata },
          options,
        );
        for (const m of list) machine.prime(machineKey(filter.app, m.id), m);
        return list;
      }),
    { cacheKeyFn: filterKey },
  );

  const machineEvents: Loaders['machineEvents'] = new DataLoader((keys) =>
    settleEach(keys, (key) => fly.machines.events(splitMachineKey(key), options)),
  );

  return { appsByOrg, app, machines, machine, machineEvents };
}
