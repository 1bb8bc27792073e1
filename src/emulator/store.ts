import type { Clock } from '../lib/clock.js';
import { appNotFound, flyError, machineNotFound } from './http-error.js';
import type {
  AppRecord,
  CertificateRecord,
  DnsRecord,
  EmulatorChange,
  EmulatorResource,
  EmulatorResourceChangeType,
  IpRecord,
  MachineRecord,
  VolumeRecord,
} from './types.js';

/** In-memory state of one emulator: apps, machines and volumes, plus the change notice fan-out. */
export interface Store {
  readonly org: string;
  readonly apps: Map<string, AppRecord>;
  /** Keyed by machine id; destroyed machines stay (shown with include_deleted). */
  readonly machines: Map<string, MachineRecord>;
  readonly volumes: Map<string, VolumeRecord>;
  /** Resolves an org slug (`personal` aliases the emulator's org); undefined when unknown. */
  resolveOrg(slug: string): string | undefined;
  getApp(name: string): AppRecord;
  /** A machine of `app`, destroyed ones only when `includeDeleted`. */
  getMachine(app: string, id: string, includeDeleted?: boolean): MachineRecord;
  getVolume(app: string, id: string): VolumeRecord;
  machinesOf(app: string): MachineRecord[];
  volumesOf(app: string): VolumeRecord[];
  emit(change: Omit<EmulatorChange, 'timestamp'>): void;
  /** Announces a change of a resource other than a machine (an app, a volume, secrets, …) to webhook relays. */
  emitResource(type: EmulatorResourceChangeType, app: string, resource: EmulatorResource): void;
  // TLS certificates, DNS and IP assignments.
  /** Keyed by hostname: a hostname belongs to at most one app. */
  readonly certificates: Map<string, CertificateRecord>;
  /** What each hostname's DNS answers (control API); absent: nothing resolves. */
  readonly dns: Map<string, DnsRecord>;
  /** Keyed by address. */
  readonly ips: Map<string, IpRecord>;
  onChange(listener: (change: EmulatorChange) => void): () => void;
  // Several organizations: `org` is the default one (the one `personal` names); others are added as apps name them.
  /** Every organization the emulator holds, the default one first. */
  readonly orgs: Set<string>;
}

/** Creates an empty {@link Store}. */
export function createStore(clock: Clock, org: string): Store {
  const apps = new Map<string, AppRecord>();
  const machines = new Map<string, MachineRecord>();
  const volumes = new Map<string, VolumeRecord>();
  const listeners = new Set<(change: EmulatorChange) => void>();
  const certificates = new Map<string, CertificateRecord>();
  const dns = new Map<string, DnsRecord>();
  const ips = new Map<string, IpRecord>();

  const store: Store = {
    org,
    apps,
    machines,
    volumes,
    certificates,
    dns,
    ips,
    orgs: new Set([org]),
    resolveOrg: (slug) => (slug === 'personal' ? org : store.orgs.has(slug) ? slug : undefined),
    getApp(name) {
      const app = apps.get(name);
      if (!app) throw appNotFound();
      return app;
    },
    getMachine(app, id, includeDeleted = false) {
      store.getApp(app);
      const m = machines.get(id);
      if (!m || m.app !== app || (!includeDeleted && m.state === 'destroyed')) throw machineNotFound(id);
      return m;
    },
    getVolume(app, id) {
      store.getApp(app);
      const v = volumes.get(id);
      if (!v || v.app !== app || v.state === 'destroyed') throw flyError(404, `volume not found: ${id}`);
      return v;
    },
    machinesOf: (app) => [...machines.values()].filter((m) => m.app === app),
    volumesOf: (app) => [...volumes.values()].filter((v) => v.app === app),
    emit(change) {
      const full: EmulatorChange = { ...change, timestamp: new Date(clock.now()).toISOString() };
      for (const listener of [...listeners]) {
        try {
          listener(full);
        } catch {
          // A failing listener must not break the emulator's own state changes.
        }
      }
    },
    emitResource(type, app, resource) {
      store.emit({ type, data: { app, machine_id: '', resource } });
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return store;
}
