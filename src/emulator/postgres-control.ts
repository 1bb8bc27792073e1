import type { Store } from './store.js';
import type { PostgresRole, PostgresStatus, PostgresStore } from './postgres-store.js';

/** Options of {@link PostgresControl.createCluster}. */
export interface ControlClusterInput {
  name: string;
  region?: string;
  plan?: string;
  /** Start ready at once (no provisioning phases, no change notices). @default true */
  ready?: boolean;
  postgisEnabled?: boolean;
  databases?: readonly string[];
  users?: ReadonlyArray<{ username: string; role: PostgresRole }>;
  attach?: readonly string[];
}

/** Direct access to the emulated Managed Postgres for tests and the demo seed (no HTTP, auth or faults). */
export interface PostgresControl {
  /** Creates a cluster in the emulator's org and returns its id. */
  createCluster(input: ControlClusterInput): string;
  status(id: string): PostgresStatus | undefined;
  /** A user's current password (tests that look for leaks search for it). */
  password(id: string, username: string): string | undefined;
  /** Puts a cluster into a status at once, with a change notice (e.g. `failed`). */
  setStatus(id: string, status: PostgresStatus): void;
  /** Every cluster id, deleted ones included. */
  list(): string[];
}

/** Creates the control over one emulator's Postgres store. */
export function createPostgresControl(store: Store, pg: PostgresStore, notify: (id: string) => void): PostgresControl {
  return {
    createCluster(input) {
      const c = pg.create({
        name: input.name,
        org: store.org,
        plan: input.plan ?? 'basic',
        region: input.region ?? 'iad',
        postgisEnabled: input.postgisEnabled,
        ready: input.ready ?? true,
      });
      for (const name of input.databases ?? []) c.databases.set(name, new Map([['plpgsql', { schema: 'pg_catalog', version: '1.0' }]]));
      for (const u of input.users ?? []) c.users.set(u.username, { ...u, password: pg.newPassword() });
      for (const app of input.attach ?? []) c.attachments.set(app, c.createdAtMs);
      return c.id;
    },
    status: (id) => pg.clusters.get(id)?.status,
    password: (id, username) => pg.clusters.get(id)?.users.get(username)?.password,
    setStatus(id, status) {
      const c = pg.clusters.get(id);
      if (!c) return;
      c.status = status;
      c.changes += 1;
      notify(id);
    },
    list: () => [...pg.clusters.keys()],
  };
}

/** The demo's one small cluster: a database and a user, attached to `demo-db`, with one finished backup. */
export function seedPostgres(control: PostgresControl, pg: PostgresStore): void {
  const id = control.createCluster({
    name: 'demo-pg',
    region: 'iad',
    databases: ['app'],
    users: [{ username: 'app_user', role: 'writer' }],
    attach: ['demo-db'],
  });
  const cluster = pg.clusters.get(id);
  if (cluster) pg.startBackup(cluster, 'full');
}
