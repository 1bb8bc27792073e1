import { randomBytes } from 'node:crypto';
import type { Clock, TimerHandle } from '../lib/clock.js';
import { flyError, HttpError } from './http-error.js';
import type { IdFactory } from './ids.js';

/**
 * Managed Postgres as the emulator keeps it (MACHINES-API.md §2.5): clusters of an organization with their databases,
 * users, backups, extensions and attached apps. A cluster goes `creating` → `initializing` → `ready` on the emulator
 * clock, and `deleting` → `deleted` after a delete; each change of status is reported through `onStatus`. This is the
 * emulator's own reading of the contract, independent of the gateway's wire schemas.
 */

/** Lifecycle statuses, as the spec lists them. */
export type PostgresStatus = 'creating' | 'initializing' | 'ready' | 'deleting' | 'deleted' | 'failed';

/** User roles, as the spec lists them. */
export const POSTGRES_ROLES = ['schema_admin', 'writer', 'reader'] as const;
export type PostgresRole = (typeof POSTGRES_ROLES)[number];

/** Plans and what each one runs on (matched case-insensitively on create). */
export const POSTGRES_PLANS: Readonly<Record<string, { cpuKind: string; cpus: number; memoryMb: number; replicas: number }>> = {
  basic: { cpuKind: 'shared', cpus: 1, memoryMb: 1024, replicas: 1 },
  starter: { cpuKind: 'shared', cpus: 2, memoryMb: 2048, replicas: 1 },
  launch: { cpuKind: 'performance', cpus: 2, memoryMb: 8192, replicas: 2 },
  scale: { cpuKind: 'performance', cpus: 4, memoryMb: 32768, replicas: 2 },
  Performance: { cpuKind: 'performance', cpus: 8, memoryMb: 65536, replicas: 3 },
};

/** An extension the emulated clusters offer. `system` ones are always installed and cannot be disabled. */
export interface ExtensionInfo {
  name: string;
  description: string;
  defaultVersion: string;
  system?: boolean;
  needsPostgis?: boolean;
}

/** The catalogue every emulated database offers. */
export const EXTENSIONS: readonly ExtensionInfo[] = [
  { name: 'plpgsql', description: 'PL/pgSQL procedural language', defaultVersion: '1.0', system: true },
  { name: 'citext', description: 'case-insensitive character string type', defaultVersion: '1.6' },
  { name: 'hstore', description: 'key/value pairs in one value', defaultVersion: '1.8' },
  { name: 'pg_stat_statements', description: 'execution statistics of SQL statements', defaultVersion: '1.10' },
  { name: 'pg_trgm', description: 'text similarity by trigram matching', defaultVersion: '1.6' },
  { name: 'pgcrypto', description: 'cryptographic functions', defaultVersion: '1.3' },
  { name: 'uuid-ossp', description: 'generate universally unique identifiers', defaultVersion: '1.1' },
  { name: 'vector', description: 'vector data type and ivfflat and hnsw access methods', defaultVersion: '0.8.0' },
  { name: 'postgis', description: 'PostGIS geometry and geography types', defaultVersion: '3.5.2', needsPostgis: true },
];

/** One installed extension of a database. */
export interface InstalledExtension {
  schema: string;
  version: string;
}

/** One backup of a cluster. */
export interface PostgresBackupRecord {
  id: string;
  type: 'full' | 'incr' | 'diff';
  status: 'running' | 'completed';
  startedAtMs: number;
  finishedAtMs?: number;
  sizeBytes: number;
}

/** One user; the password never leaves except through the credentials and rotate answers. */
export interface PostgresUserRecord {
  username: string;
  role: PostgresRole;
  password: string;
}

/** A cluster and everything in it. */
export interface PostgresClusterRecord {
  id: string;
  name: string;
  org: string;
  plan: string;
  region: string;
  status: PostgresStatus;
  pgMajorVersion: '16' | '17';
  postgisEnabled: boolean;
  poolMode: 'session' | 'transaction';
  diskSizeGb: number;
  createdAtMs: number;
  deletedAtMs?: number;
  /** How many status changes it has had: announced as the change's version, so a status seen before is news again. */
  changes: number;
  /** Database name → its installed extensions (name → installation). */
  databases: Map<string, Map<string, InstalledExtension>>;
  users: Map<string, PostgresUserRecord>;
  backups: PostgresBackupRecord[];
  /** Attached app name → when it was attached. */
  attachments: Map<string, number>;
}

/** What a new cluster starts from (create, fork and restore). */
export interface NewClusterInput {
  name: string;
  org: string;
  plan: string;
  region: string;
  pgMajorVersion?: '16' | '17';
  postgisEnabled?: boolean;
  poolMode?: 'session' | 'transaction';
  diskSizeGb?: number;
  /** Copy databases, users and extensions from this cluster (fork, restore). */
  copyOf?: PostgresClusterRecord;
  /** Start ready, without the provisioning phases (the demo seed). */
  ready?: boolean;
}

/** The Managed Postgres state of one emulator. */
export interface PostgresStore {
  readonly clusters: Map<string, PostgresClusterRecord>;
  create(input: NewClusterInput): PostgresClusterRecord;
  /** A cluster that is not deleted; 404 otherwise. */
  get(id: string): PostgresClusterRecord;
  /** 410 when the cluster is being or has been deleted (the answer of the operations that say so). */
  requireLive(cluster: PostgresClusterRecord): void;
  /** 503 + Retry-After while the cluster's admin backend is not up (not ready yet, or going away). */
  requireAdmin(cluster: PostgresClusterRecord): void;
  remove(cluster: PostgresClusterRecord): void;
  startBackup(cluster: PostgresClusterRecord, type: PostgresBackupRecord['type']): PostgresBackupRecord;
  newPassword(): string;
  /** Cancels pending transitions (emulator stop). */
  dispose(): void;
}

/** Options of {@link createPostgresStore}. */
export interface PostgresStoreOptions {
  clock: Clock;
  ids: IdFactory;
  /** How long each provisioning, deletion and backup phase lasts, in ms of the clock; 0 settles at once. */
  delayMs: number;
  /** Told of every status change, after the record changed. */
  onStatus: (cluster: PostgresClusterRecord) => void;
}

/** Creates an empty {@link PostgresStore}. */
export function createPostgresStore({ clock, ids, delayMs, onStatus }: PostgresStoreOptions): PostgresStore {
  const clusters = new Map<string, PostgresClusterRecord>();
  const timers = new Set<TimerHandle>();

  const later = (fn: () => void) => {
    if (delayMs <= 0) {
      fn();
      return;
    }
    const handle = clock.setTimeout(() => {
      timers.delete(handle);
      fn();
    }, delayMs);
    timers.add(handle);
  };
  const setStatus = (cluster: PostgresClusterRecord, status: PostgresStatus) => {
    cluster.status = status;
    cluster.changes += 1;
    if (status === 'deleted') cluster.deletedAtMs = clock.now();
    onStatus(cluster);
  };
  /** Moves through the phases in order, unless something else (a delete) changed the status meanwhile. */
  const advance = (cluster: PostgresClusterRecord, from: PostgresStatus, to: PostgresStatus, then?: () => void) =>
    later(() => {
      if (cluster.status !== from) return;
      setStatus(cluster, to);
      then?.();
    });

  const store: PostgresStore = {
    clusters,
    create(input) {
      const cluster: PostgresClusterRecord = {
        id: ids.shortId(16),
        name: input.name,
        org: input.org,
        plan: input.plan,
        region: input.region,
        status: input.ready ? 'ready' : 'creating',
        pgMajorVersion: input.pgMajorVersion ?? input.copyOf?.pgMajorVersion ?? '17',
        postgisEnabled: input.postgisEnabled ?? input.copyOf?.postgisEnabled ?? false,
        poolMode: input.poolMode ?? 'transaction',
        diskSizeGb: input.diskSizeGb ?? input.copyOf?.diskSizeGb ?? 10,
        createdAtMs: clock.now(),
        changes: 0,
        databases: new Map(),
        users: new Map(),
        backups: [],
        attachments: new Map(),
      };
      const source = input.copyOf;
      if (source) {
        for (const [name, extensions] of source.databases) cluster.databases.set(name, new Map(extensions));
        for (const [name, user] of source.users) cluster.users.set(name, { ...user });
      }
      clusters.set(cluster.id, cluster);
      if (!input.ready) {
        cluster.changes += 1;
        onStatus(cluster);
        advance(cluster, 'creating', 'initializing', () => advance(cluster, 'initializing', 'ready'));
      }
      return cluster;
    },
    get(id) {
      const cluster = clusters.get(id);
      if (!cluster || cluster.status === 'deleted') throw flyError(404, 'Cluster not found');
      return cluster;
    },
    requireLive(cluster) {
      if (cluster.status === 'deleted') throw flyError(410, 'This cluster has been deleted');
      if (cluster.status === 'deleting') throw flyError(410, 'This cluster is being deleted');
    },
    requireAdmin(cluster) {
      if (cluster.status === 'ready') return;
      const seconds = String(Math.max(1, Math.ceil(delayMs / 1000)));
      throw new HttpError(503, { error: `pg-admin is unavailable while the cluster is ${cluster.status}` }, { 'retry-after': seconds });
    },
    remove(cluster) {
      setStatus(cluster, 'deleting');
      advance(cluster, 'deleting', 'deleted', () => cluster.attachments.clear());
    },
    startBackup(cluster, type) {
      const now = clock.now();
      const stamp = new Date(now).toISOString().replace(/[-:]/g, '').slice(0, 15);
      const suffix = type === 'full' ? 'F' : type === 'diff' ? 'D' : 'I';
      const base = cluster.backups.find((b) => b.type === 'full');
      const id = base && type !== 'full' ? `${base.id}_${stamp}${suffix}` : `${stamp}${suffix}`;
      const backup: PostgresBackupRecord = {
        id: cluster.backups.some((b) => b.id === id) ? `${id}-${cluster.backups.length}` : id,
        type,
        status: 'running',
        startedAtMs: now,
        sizeBytes: (type === 'full' ? 48 : 6) * 1024 ** 2 * Math.max(1, cluster.databases.size),
      };
      cluster.backups.push(backup);
      later(() => {
        backup.status = 'completed';
        backup.finishedAtMs = clock.now();
      });
      return backup;
    },
    newPassword: () => randomBytes(18).toString('base64url'),
    dispose() {
      for (const handle of timers) clock.clearTimeout(handle);
      timers.clear();
    },
  };
  return store;
}
