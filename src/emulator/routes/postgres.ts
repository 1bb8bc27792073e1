import type { EmuRequest, Handlers, RouteContext } from '../context.js';
import { flyError } from '../http-error.js';
import { objectBody } from '../request-helpers.js';
import { isKnownRegion } from '../regions.js';
import {
  EXTENSIONS,
  POSTGRES_PLANS,
  POSTGRES_ROLES,
  type PostgresClusterRecord,
  type PostgresRole,
  type PostgresStore,
} from '../postgres-store.js';

/**
 * Handlers for Managed Postgres (`/v1/postgres…`, MACHINES-API.md §2.5): errors are `{error}` bodies, deleted clusters
 * answer 404 (410 where the spec says so), and the per-cluster admin backend answers 503 + Retry-After until the
 * cluster is ready. A token scoped to apps sees the clusters attached to one of its apps; the emulator's own token
 * sees the whole organization.
 */

const rfc = (ms: number) => new Date(ms).toISOString();
/** Databases: alphanumeric at both ends, hyphens and underscores inside, up to 63 characters. */
const DATABASE_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?$/;
/** Users: the same, lowercase only. */
const USERNAME = /^[a-z0-9](?:[a-z0-9_-]{0,61}[a-z0-9])?$/;
const CLUSTER_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const SYSTEM_DATABASES = new Set(['postgres', 'template0', 'template1']);
const SYSTEM_USERS = new Set(['postgres', 'fly-admin', 'flypgadmin', 'repmgr', 'pgbouncer', 'replicator']);
const PITR_WINDOW_MS = 7 * 24 * 3600 * 1000;

/** Whether a token sees the whole organization: scoped tokens are granted named apps, never the empty name. */
const seesWholeOrg = (canSee: EmuRequest['canSee']) => canSee('');
const visible = (cluster: PostgresClusterRecord, canSee: EmuRequest['canSee']) =>
  seesWholeOrg(canSee) || [...cluster.attachments.keys()].some((app) => canSee(app));

const isRole = (role: unknown): role is PostgresRole => typeof role === 'string' && (POSTGRES_ROLES as readonly string[]).includes(role);

function attachedApps(c: PostgresClusterRecord) {
  return [...c.attachments.keys()].sort().map((name) => ({ name }));
}

/** `PostgresCluster`: endpoints only once the cluster is ready; storage is not measured by the emulator (null). */
export function clusterToWire(c: PostgresClusterRecord, orgName: string): Record<string, unknown> {
  const plan = POSTGRES_PLANS[c.plan];
  const host = `${c.name}.${c.id}.flympg.net`;
  return {
    id: c.id,
    name: c.name,
    organization: { name: orgName, slug: c.org },
    plan: c.plan,
    region: c.region,
    status: c.status,
    pg_major_version: c.pgMajorVersion,
    postgis_enabled: c.postgisEnabled,
    replicas: plan.replicas,
    cpu_kind: plan.cpuKind,
    cpus: plan.cpus,
    memory_mb: plan.memoryMb,
    disk_size_gb: c.diskSizeGb,
    created_at: rfc(c.createdAtMs),
    attached_apps: attachedApps(c),
    ...(c.status === 'ready'
      ? { endpoints: { primary: { direct: { host, port: 5432 }, pooler: { host: `pooler.${host}`, port: 6432 } } } }
      : {}),
    storage_provisioned_bytes: null,
    storage_used_bytes: null,
  };
}

function summaryToWire(c: PostgresClusterRecord): Record<string, unknown> {
  return {
    id: c.id,
    name: c.name,
    plan: c.plan,
    region: c.region,
    status: c.status,
    created_at: rfc(c.createdAtMs),
    attached_apps: attachedApps(c),
    ...(c.deletedAtMs !== undefined ? { deleted_at: rfc(c.deletedAtMs) } : {}),
  };
}

function planOf(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  return Object.keys(POSTGRES_PLANS).find((p) => p.toLowerCase() === raw.toLowerCase());
}

function optionalName(raw: unknown, fallback: string): string {
  if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) return fallback;
  if (typeof raw !== 'string' || !CLUSTER_NAME.test(raw)) throw flyError(422, 'name is invalid');
  return raw;
}

function databaseName(raw: string): string {
  if (!DATABASE_NAME.test(raw)) throw flyError(400, `database name is malformed: ${raw.slice(0, 80)}`);
  return raw;
}

function username(raw: string): string {
  if (!USERNAME.test(raw)) throw flyError(400, `username is malformed: ${raw.slice(0, 80)}`);
  if (SYSTEM_USERS.has(raw)) throw flyError(400, `username "${raw}" is reserved`);
  return raw;
}

/** Handlers for the 25 Managed Postgres operations. */
export function postgresRoutes(ctx: RouteContext, pg: PostgresStore): Handlers {
  const { store, clock } = ctx;
  const orgName = (slug: string) => (slug === 'personal' ? 'Personal' : slug);
  const show = (c: PostgresClusterRecord) => ({ data: clusterToWire(c, orgName(c.org)) });

  /** The cluster the request names, when its token may see it (404 as for an unknown one otherwise). */
  const cluster = (req: EmuRequest) => {
    const c = pg.get(req.params.postgres_cluster_id);
    if (!visible(c, req.canSee)) throw flyError(404, 'Cluster not found');
    return c;
  };
  /** Like {@link cluster}, but a deleted one answers 410 instead of 404 (the operations whose spec says so). */
  const liveCluster = (req: EmuRequest) => {
    const c = pg.clusters.get(req.params.postgres_cluster_id);
    if (!c || !visible(c, req.canSee)) throw flyError(404, 'Cluster not found');
    pg.requireLive(c);
    return c;
  };
  const database = (c: PostgresClusterRecord, raw: string) => {
    const extensions = c.databases.get(databaseName(raw));
    if (!extensions) throw flyError(404, 'Database not found');
    return extensions;
  };
  const user = (c: PostgresClusterRecord, raw: string) => {
    const u = c.users.get(username(raw));
    if (!u) throw flyError(404, 'User not found');
    return u;
  };
  const orgOf = (req: EmuRequest, raw: unknown, { whole }: { whole: boolean }) => {
    if (typeof raw !== 'string' || raw === '') throw flyError(400, 'org_slug is required and must be a string');
    const org = store.resolveOrg(raw);
    if (!org || (whole && !seesWholeOrg(req.canSee))) throw flyError(404, 'Organization not found');
    return org;
  };
  const copyName = (base: string, suffix: string) => `${base.slice(0, 63 - suffix.length)}${suffix}`;

  return {
    'postgres.list': (req) => {
      const org = orgOf(req, req.query.get('org_slug'), { whole: false });
      const raw = req.query.get('include_deleted');
      if (raw !== null && raw !== 'true' && raw !== 'false') throw flyError(422, 'include_deleted must be true or false');
      const all = [...pg.clusters.values()]
        .filter((c) => c.org === org && visible(c, req.canSee) && (raw === 'true' || c.status !== 'deleted'))
        .sort((a, b) => a.createdAtMs - b.createdAtMs || a.id.localeCompare(b.id));
      return { status: 200, body: { data: all.map(summaryToWire) } };
    },
    'postgres.create': (req) => {
      const input = objectBody(req.body);
      const org = orgOf(req, input.org_slug, { whole: true });
      const plan = planOf(input.plan);
      if (!plan) throw flyError(422, `Invalid attributes: plan must be one of ${Object.keys(POSTGRES_PLANS).join(', ')}`);
      if (typeof input.region !== 'string' || !isKnownRegion(input.region)) throw flyError(422, 'Invalid attributes: unknown region');
      const disk = input.disk_size_gb ?? 10;
      if (typeof disk !== 'number' || !Number.isInteger(disk) || disk < 10 || disk > 1000)
        throw flyError(422, 'Invalid attributes: disk_size_gb must be an integer between 10 and 1000');
      const version = input.pg_major_version ?? '17';
      if (version !== '16' && version !== '17') throw flyError(422, 'Invalid attributes: pg_major_version must be 16 or 17');
      const pool = input.pool_mode ?? 'transaction';
      if (pool !== 'session' && pool !== 'transaction') throw flyError(422, 'Invalid attributes: pool_mode must be session or transaction');
      if (input.postgis_enabled !== undefined && typeof input.postgis_enabled !== 'boolean')
        throw flyError(422, 'Invalid attributes: postgis_enabled must be a boolean');
      const c = pg.create({
        name: optionalName(input.name, `pg-${ctx.ids.shortId(6)}`),
        org,
        plan,
        region: input.region,
        pgMajorVersion: version,
        postgisEnabled: input.postgis_enabled === true,
        poolMode: pool,
        diskSizeGb: disk,
      });
      return { status: 201, body: show(c) };
    },
    'postgres.get': (req) => ({ status: 200, body: show(cluster(req)) }),
    'postgres.delete': (req) => {
      const c = liveCluster(req);
      pg.remove(c);
      return { status: 202 };
    },
    'postgres.attachments.create': (req) => {
      const c = liveCluster(req);
      const app = objectBody(req.body).app_name;
      if (typeof app !== 'string' || !store.apps.has(app) || !req.canSee(app)) throw flyError(404, 'App not found');
      if (c.attachments.has(app)) return { status: 200, body: { data: attachment(c, app) } };
      c.attachments.set(app, clock.now());
      return { status: 201, body: { data: attachment(c, app) } };
    },
    'postgres.attachments.delete': (req) => {
      const c = liveCluster(req);
      const app = req.params.app_name;
      if (!store.apps.has(app) || !req.canSee(app)) throw flyError(404, 'App not found');
      if (!c.attachments.delete(app)) throw flyError(404, 'Attachment not found');
      return { status: 204 };
    },
    'postgres.backups.list': (req) => {
      const c = cluster(req);
      const data = c.backups.map((b) => ({
        id: b.id,
        type: b.type,
        status: b.status,
        started_at: rfc(b.startedAtMs),
        ...(b.finishedAtMs !== undefined ? { finished_at: rfc(b.finishedAtMs), size_bytes: b.sizeBytes } : {}),
      }));
      return { status: 200, body: { data } };
    },
    'postgres.backups.create': (req) => {
      const c = cluster(req);
      const type = objectBody(req.body).type;
      if (type !== 'full' && type !== 'incr' && type !== 'diff') throw flyError(422, 'type must be one of full, incr, diff');
      if (c.status !== 'ready') throw flyError(409, `The cluster is ${c.status}; a backup needs a ready cluster`);
      if (c.backups.some((b) => b.status === 'running')) throw flyError(409, 'A backup is currently running');
      pg.startBackup(c, type);
      return { status: 202 };
    },
    'postgres.databases.list': (req) => {
      const c = cluster(req);
      return { status: 200, body: { data: [...c.databases.keys()].sort().map((name) => ({ name })) } };
    },
    'postgres.databases.create': (req) => {
      const c = cluster(req);
      const name = objectBody(req.body).name;
      if (typeof name !== 'string' || name === '') throw flyError(422, 'name is required');
      databaseName(name);
      if (SYSTEM_DATABASES.has(name)) throw flyError(400, `database name "${name}" is a system database`);
      pg.requireAdmin(c);
      if (c.databases.has(name)) throw flyError(400, `database "${name}" already exists`);
      c.databases.set(name, new Map([['plpgsql', { schema: 'pg_catalog', version: '1.0' }]]));
      return { status: 201, body: { data: { name } } };
    },
    'postgres.databases.delete': (req) => {
      const c = cluster(req);
      const name = databaseName(req.params.database_name);
      if (SYSTEM_DATABASES.has(name)) throw flyError(400, `database name "${name}" is a system database`);
      pg.requireAdmin(c);
      database(c, name);
      c.databases.delete(name);
      return { status: 200, body: { data: { name } } };
    },
    'postgres.extensions.list': (req) => {
      const c = cluster(req);
      const installed = database(c, req.params.database_name);
      const data = EXTENSIONS.filter((e) => !e.needsPostgis || c.postgisEnabled).map((e) => ({
        name: e.name,
        description: e.description,
        default_version: e.defaultVersion,
        system: e.system === true,
        installed: installed.get(e.name) ?? null,
      }));
      return { status: 200, body: { data } };
    },
    'postgres.extensions.enable': (req) => {
      const c = cluster(req);
      const installed = database(c, req.params.database_name);
      const input = objectBody(req.body);
      const known = EXTENSIONS.find((e) => e.name === input.name);
      if (!known) throw flyError(422, `Unknown or unsupported extension: ${String(input.name).slice(0, 80)}`);
      if (input.schema !== undefined && typeof input.schema !== 'string') throw flyError(422, 'schema must be a string');
      if (known.needsPostgis && !c.postgisEnabled) throw flyError(409, 'PostGIS is not enabled on this cluster');
      const existing = installed.get(known.name);
      if (existing) throw flyError(409, `Extension ${known.name} is already installed in schema ${existing.schema}`);
      pg.requireAdmin(c);
      installed.set(known.name, {
        schema: typeof input.schema === 'string' && input.schema ? input.schema : 'public',
        version: known.defaultVersion,
      });
      return { status: 204 };
    },
    'postgres.extensions.disable': (req) => {
      const c = cluster(req);
      const installed = database(c, req.params.database_name);
      const known = EXTENSIONS.find((e) => e.name === req.params.extension_name);
      if (!known) throw flyError(422, 'Invalid extension name');
      if (known.system) throw flyError(400, 'System extensions cannot be disabled');
      pg.requireAdmin(c);
      // `force` would also drop what depends on the extension; nothing does in the emulator, so it changes nothing.
      installed.delete(known.name);
      return { status: 204 };
    },
    'postgres.fork': (req) => {
      const source = liveCluster(req);
      const name = optionalName(objectBody(req.body).name, copyName(source.name, '-fork'));
      if (source.status !== 'ready') throw flyError(409, 'The source cluster is not ready to be forked yet');
      const fork = pg.create({ name, org: source.org, plan: source.plan, region: source.region, copyOf: source });
      return { status: 201, body: show(fork) };
    },
    'postgres.queries.active': (req) => {
      const c = cluster(req);
      const db = req.query.get('database');
      if (db === null || db.trim() === '') throw flyError(422, 'database must be a non-empty string');
      const users = [...c.users.values()];
      const apps = [...c.attachments.keys()];
      const data =
        c.status === 'ready' && c.databases.has(db) && users.length > 0
          ? users.slice(0, 2).map((u, i) => ({
              pid: 4100 + i,
              database: db,
              user: u.username,
              application_name: apps[i % Math.max(1, apps.length)] ?? 'psql',
              client: `fdaa:0:1::${i + 2}`,
              state: i === 0 ? 'active' : 'idle in transaction',
              query: i === 0 ? 'SELECT * FROM orders WHERE customer_id = $1' : 'UPDATE sessions SET seen_at = now() WHERE id = $1',
              duration_seconds: 0.42 + i,
              state_duration_seconds: 0.42 + i,
              wait_event_type: i === 0 ? 'IO' : 'Client',
              wait_event: i === 0 ? 'DataFileRead' : 'ClientRead',
            }))
          : [];
      return { status: 200, body: { data } };
    },
    'postgres.queries.slow': (req) => {
      const c = cluster(req);
      const raw = req.query.get('range');
      const range = raw === null ? 3600 : Number(raw);
      if (!Number.isInteger(range) || range < 1 || range > 604800)
        throw flyError(422, 'range must be an integer between 1 and 604800 seconds');
      const user = [...c.users.keys()][0] ?? 'postgres';
      const data =
        c.status === 'ready'
          ? [...c.databases.keys()].sort().map((db, i) => ({
              query_id: String(7310000 + i),
              database: db,
              user,
              query: 'SELECT o.* FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.email = $1',
              calls: Math.max(1, Math.round(range / 60)),
              mean_exec_time_seconds: 1.25,
              max_exec_time_seconds: 3.5,
              total_exec_time_seconds: 1.25 * Math.max(1, Math.round(range / 60)),
            }))
          : [];
      return { status: 200, body: { data } };
    },
    'postgres.restore': (req) => {
      const source = cluster(req);
      const input = objectBody(req.body);
      const hasBackup = typeof input.backup_id === 'string' && input.backup_id !== '';
      const hasPitr = typeof input.pitr_time === 'string' && input.pitr_time !== '';
      if (hasBackup === hasPitr) throw flyError(422, 'Give exactly one restore target: backup_id or pitr_time');
      let label: string;
      if (hasBackup) {
        const backup = source.backups.find((b) => b.id === input.backup_id && b.status === 'completed');
        if (!backup) throw flyError(404, `Backup ${String(input.backup_id).slice(0, 80)} not found for cluster ${source.id}`);
        label = backup.id.slice(0, 15).toLowerCase();
      } else {
        const raw = String(input.pitr_time);
        const at = /(Z|[+-]\d\d:\d\d)$/.test(raw) ? Date.parse(raw) : Number.NaN;
        const now = clock.now();
        if (Number.isNaN(at) || at < Math.max(source.createdAtMs, now - PITR_WINDOW_MS) || at > now)
          throw flyError(422, 'pitr_time is outside the recovery window');
        label = new Date(at).toISOString().replace(/[-:]/g, '').slice(0, 15).toLowerCase();
      }
      const name = optionalName(input.name, copyName(source.name, `-${label}`));
      const restored = pg.create({ name, org: source.org, plan: source.plan, region: source.region, copyOf: source });
      return { status: 201, body: show(restored) };
    },
    'postgres.users.list': (req) => {
      const c = cluster(req);
      const data = [...c.users.values()]
        .sort((a, b) => a.username.localeCompare(b.username))
        .map((u) => ({ username: u.username, role: u.role }));
      return { status: 200, body: { data } };
    },
    'postgres.users.create': (req) => {
      const c = cluster(req);
      const input = objectBody(req.body);
      if (typeof input.username !== 'string' || input.username === '' || !isRole(input.role))
        throw flyError(422, `username and role are required; role is one of ${POSTGRES_ROLES.join(', ')}`);
      const name = username(input.username);
      pg.requireAdmin(c);
      if (c.users.has(name)) throw flyError(409, 'User already exists');
      c.users.set(name, { username: name, role: input.role, password: pg.newPassword() });
      return { status: 201, body: { data: { username: name, role: input.role } } };
    },
    'postgres.users.delete': (req) => {
      const c = cluster(req);
      const u = user(c, req.params.username);
      pg.requireAdmin(c);
      c.users.delete(u.username);
      return { status: 204 };
    },
    'postgres.users.update_role': (req) => {
      const c = cluster(req);
      const role = objectBody(req.body).role;
      const u = user(c, req.params.username);
      if (!isRole(role)) throw flyError(422, `role must be one of ${POSTGRES_ROLES.join(', ')}`);
      pg.requireAdmin(c);
      u.role = role;
      return { status: 204 };
    },
    'postgres.users.credentials': (req) => {
      const c = cluster(req);
      const u = user(c, req.params.username);
      pg.requireAdmin(c);
      return { status: 200, body: { data: { username: u.username, password: u.password } } };
    },
    'postgres.users.rotate_password': (req) => {
      const c = liveCluster(req);
      const kill = objectBody(req.body).kill_sessions;
      if (kill !== undefined && typeof kill !== 'boolean') throw flyError(422, 'kill_sessions must be true or false');
      const u = user(c, req.params.username);
      pg.requireAdmin(c);
      u.password = pg.newPassword();
      return { status: 200, body: { data: { username: u.username, password: u.password } } };
    },
  };
}

function attachment(c: PostgresClusterRecord, app: string) {
  return { app_name: app, postgres_cluster_id: c.id, attached_at: rfc(c.attachments.get(app) ?? c.createdAtMs) };
}
