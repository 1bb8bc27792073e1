/**
 * Managed Postgres clusters as GraphQL shows them: `postgresClusters(org)`, `postgresCluster(id)` and what a cluster
 * holds (databases and their extensions, users without credentials, backups, active and slow queries, attached apps).
 * Each field is one declared operation (src/flyio/postgres.ts) through the request's loaders: asked once per
 * request, cached per tenant where the declaration says so. Credentials are never a field: see postgres-mutations.ts.
 */
import { z } from 'zod';
import {
  getPostgresCluster,
  listPostgresBackups,
  listPostgresClusters,
  listPostgresDatabases,
  listPostgresExtensions,
  listPostgresUsers,
  postgresActiveQueries,
  postgresSlowQueries,
} from '../../../flyio/postgres.js';
import type {
  FlyPostgresActiveQuery,
  FlyPostgresBackup,
  FlyPostgresCluster,
  FlyPostgresClusterSummary,
  FlyPostgresExtension,
  FlyPostgresSlowQuery,
  FlyPostgresUser,
} from '../../../flyio/wire/postgres.js';
import { builder } from '../../builder.js';
import type { GraphQLContext } from '../../context.js';
import { nullOnNotFound } from '../machines/machine.js';
import { parseTimestamp } from '../scalars.js';

/** Cluster ids: what Fly hands out, letters, digits, dashes and underscores. */
export const clusterIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected a Managed Postgres cluster id');
/** Organization slugs (`personal` for the caller's own). */
export const orgSlugSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'expected an organization slug such as personal');
/** Database names, as Fly accepts them. */
export const databaseNameSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?$/,
    'expected 1 to 63 letters, digits, dashes or underscores, alphanumeric at both ends',
  );

/** A cluster: its id, and whichever of Fly's two bodies is at hand (the list's summary, or the full one). */
export interface PostgresClusterParent {
  clusterId: string;
  summary?: FlyPostgresClusterSummary;
  detail?: FlyPostgresCluster;
}

/** The full body of a cluster, from the parent when it has it, else one (cached) call per request. */
async function detailOf(p: PostgresClusterParent, ctx: GraphQLContext): Promise<FlyPostgresCluster> {
  if (p.detail) return p.detail;
  return (await ctx.loaders.call(getPostgresCluster, { clusterId: p.clusterId })).data;
}

/** A field that the summary has, taken from it when present, else from the full body. */
function either<K extends keyof FlyPostgresClusterSummary & keyof FlyPostgresCluster>(key: K) {
  return async (p: PostgresClusterParent, _args: unknown, ctx: GraphQLContext) => {
    const value = p.detail?.[key] ?? p.summary?.[key];
    if (value !== undefined) return value;
    return (await detailOf(p, ctx))[key];
  };
}

const PostgresEndpointRef = builder.objectRef<{ host?: string; port?: number }>('PostgresEndpoint').implement({
  description: 'Where to connect (no credentials: those are shown once by rotatePostgresPassword or revealPostgresCredentials).',
  fields: (t) => ({
    host: t.string({ nullable: true, resolve: (e) => e.host ?? null }),
    port: t.int({ nullable: true, resolve: (e) => e.port ?? null }),
  }),
});

const PostgresEndpointsRef = builder
  .objectRef<{ direct?: { host?: string; port?: number }; pooler?: { host?: string; port?: number } }>('PostgresEndpoints')
  .implement({
    description: "The primary's endpoints, once the cluster is ready.",
    fields: (t) => ({
      direct: t.field({ type: PostgresEndpointRef, nullable: true, description: 'Unpooled.', resolve: (e) => e.direct ?? null }),
      pooler: t.field({ type: PostgresEndpointRef, nullable: true, description: 'Through PgBouncer.', resolve: (e) => e.pooler ?? null }),
    }),
  });

/** GraphQL `PostgresUser`: a name and a role, never a password. */
export const PostgresUserRef = builder.objectRef<FlyPostgresUser>('PostgresUser').implement({
  description: 'A user of a cluster. Its password is never a field.',
  fields: (t) => ({
    username: t.string({ resolve: (u) => u.username }),
    role: t.string({ nullable: true, description: 'schema_admin, writer or reader.', resolve: (u) => u.role ?? null }),
  }),
});

const PostgresInstalledExtensionRef = builder.objectRef<{ schema?: string; version?: string }>('PostgresInstalledExtension').implement({
  fields: (t) => ({
    schema: t.string({ nullable: true, resolve: (i) => i.schema ?? null }),
    version: t.string({ nullable: true, resolve: (i) => i.version ?? null }),
  }),
});

const PostgresExtensionRef = builder.objectRef<FlyPostgresExtension>('PostgresExtension').implement({
  description: 'An extension a database offers; `installed` is null until it is enabled.',
  fields: (t) => ({
    name: t.string({ resolve: (e) => e.name }),
    description: t.string({ nullable: true, resolve: (e) => e.description ?? null }),
    defaultVersion: t.string({ nullable: true, resolve: (e) => e.default_version ?? null }),
    system: t.boolean({ nullable: true, description: 'System extensions cannot be disabled.', resolve: (e) => e.system ?? null }),
    installed: t.field({ type: PostgresInstalledExtensionRef, nullable: true, resolve: (e) => e.installed ?? null }),
  }),
});

/** GraphQL `PostgresDatabase`. */
export const PostgresDatabaseRef = builder.objectRef<{ clusterId: string; name: string }>('PostgresDatabase').implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    extensions: t.field({
      type: [PostgresExtensionRef],
      description: 'Extensions this database offers (one Fly call per database, cached).',
      resolve: async (d, _args, ctx) => (await ctx.loaders.call(listPostgresExtensions, { clusterId: d.clusterId, database: d.name })).data,
    }),
  }),
});

const PostgresBackupRef = builder.objectRef<FlyPostgresBackup>('PostgresBackup').implement({
  fields: (t) => ({
    backupId: t.string({ description: 'The label a restore takes.', resolve: (b) => b.id }),
    type: t.string({ nullable: true, description: 'full, incr or diff.', resolve: (b) => b.type ?? null }),
    status: t.string({ nullable: true, resolve: (b) => b.status ?? null }),
    startedAt: t.field({ type: 'DateTime', nullable: true, resolve: (b) => parseTimestamp(b.started_at) }),
    finishedAt: t.field({ type: 'DateTime', nullable: true, resolve: (b) => parseTimestamp(b.finished_at) }),
    sizeBytes: t.float({ nullable: true, resolve: (b) => b.size_bytes ?? null }),
  }),
});

const PostgresActiveQueryRef = builder.objectRef<FlyPostgresActiveQuery>('PostgresActiveQuery').implement({
  fields: (t) => ({
    pid: t.int({ nullable: true, resolve: (q) => q.pid ?? null }),
    database: t.string({ nullable: true, resolve: (q) => q.database ?? null }),
    user: t.string({ nullable: true, resolve: (q) => q.user ?? null }),
    applicationName: t.string({ nullable: true, resolve: (q) => q.application_name ?? null }),
    client: t.string({ nullable: true, resolve: (q) => q.client ?? null }),
    state: t.string({ nullable: true, resolve: (q) => q.state ?? null }),
    query: t.string({ nullable: true, resolve: (q) => q.query ?? null }),
    durationSeconds: t.float({ nullable: true, resolve: (q) => q.duration_seconds ?? null }),
    stateDurationSeconds: t.float({ nullable: true, resolve: (q) => q.state_duration_seconds ?? null }),
    waitEventType: t.string({ nullable: true, resolve: (q) => q.wait_event_type ?? null }),
    waitEvent: t.string({ nullable: true, resolve: (q) => q.wait_event ?? null }),
  }),
});

const PostgresSlowQueryRef = builder.objectRef<FlyPostgresSlowQuery>('PostgresSlowQuery').implement({
  fields: (t) => ({
    queryId: t.string({ nullable: true, resolve: (q) => q.query_id ?? null }),
    database: t.string({ nullable: true, resolve: (q) => q.database ?? null }),
    user: t.string({ nullable: true, resolve: (q) => q.user ?? null }),
    query: t.string({ nullable: true, resolve: (q) => q.query ?? null }),
    calls: t.int({ nullable: true, resolve: (q) => q.calls ?? null }),
    meanExecTimeSeconds: t.float({ nullable: true, resolve: (q) => q.mean_exec_time_seconds ?? null }),
    maxExecTimeSeconds: t.float({ nullable: true, resolve: (q) => q.max_exec_time_seconds ?? null }),
    totalExecTimeSeconds: t.float({ nullable: true, resolve: (q) => q.total_exec_time_seconds ?? null }),
  }),
});

/** GraphQL `PostgresCluster`. */
export const PostgresClusterRef = builder.objectRef<PostgresClusterParent>('PostgresCluster');

PostgresClusterRef.implement({
  description:
    'A Managed Postgres cluster of an organization. Fields beyond the list summary cost one Fly call per cluster and request (cached).',
  fields: (t) => ({
    clusterId: t.exposeString('clusterId', { description: "Fly's cluster id." }),
    name: t.string({ nullable: true, resolve: async (p, a, ctx) => (await either('name')(p, a, ctx)) ?? null }),
    status: t.string({
      nullable: true,
      description: 'creating, initializing, ready, deleting, deleted or failed.',
      resolve: async (p, a, ctx) => (await either('status')(p, a, ctx)) ?? null,
    }),
    plan: t.string({ nullable: true, resolve: async (p, a, ctx) => (await either('plan')(p, a, ctx)) ?? null }),
    region: t.string({ nullable: true, resolve: async (p, a, ctx) => (await either('region')(p, a, ctx)) ?? null }),
    createdAt: t.field({
      type: 'DateTime',
      nullable: true,
      resolve: async (p, a, ctx) => parseTimestamp(await either('created_at')(p, a, ctx)),
    }),
    deletedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Only in lists with deleted clusters.',
      resolve: (p) => parseTimestamp(p.summary?.deleted_at),
    }),
    attachedApps: t.stringList({
      description: 'Names of the apps attached to the cluster.',
      resolve: async (p, a, ctx) => ((await either('attached_apps')(p, a, ctx)) ?? []).map((app) => app.name),
    }),
    organization: t.string({
      nullable: true,
      description: 'Slug.',
      resolve: async (p, _a, ctx) => (await detailOf(p, ctx)).organization?.slug ?? null,
    }),
    pgMajorVersion: t.string({ nullable: true, resolve: async (p, _a, ctx) => (await detailOf(p, ctx)).pg_major_version ?? null }),
    postgisEnabled: t.boolean({ nullable: true, resolve: async (p, _a, ctx) => (await detailOf(p, ctx)).postgis_enabled ?? null }),
    replicas: t.int({ nullable: true, resolve: async (p, _a, ctx) => (await detailOf(p, ctx)).replicas ?? null }),
    cpuKind: t.string({ nullable: true, resolve: async (p, _a, ctx) => (await detailOf(p, ctx)).cpu_kind ?? null }),
    cpus: t.int({ nullable: true, resolve: async (p, _a, ctx) => (await detailOf(p, ctx)).cpus ?? null }),
    memoryMb: t.int({ nullable: true, resolve: async (p, _a, ctx) => (await detailOf(p, ctx)).memory_mb ?? null }),
    diskSizeGb: t.int({ nullable: true, resolve: async (p, _a, ctx) => (await detailOf(p, ctx)).disk_size_gb ?? null }),
    storageProvisionedBytes: t.float({
      nullable: true,
      resolve: async (p, _a, ctx) => (await detailOf(p, ctx)).storage_provisioned_bytes ?? null,
    }),
    storageUsedBytes: t.float({ nullable: true, resolve: async (p, _a, ctx) => (await detailOf(p, ctx)).storage_used_bytes ?? null }),
    endpoints: t.field({
      type: PostgresEndpointsRef,
      nullable: true,
      resolve: async (p, _a, ctx) => (await detailOf(p, ctx)).endpoints?.primary ?? null,
    }),
    databases: t.field({
      type: [PostgresDatabaseRef],
      resolve: async (p, _a, ctx) =>
        (await ctx.loaders.call(listPostgresDatabases, { clusterId: p.clusterId })).data.map((d) => ({
          clusterId: p.clusterId,
          name: d.name,
        })),
    }),
    users: t.field({
      type: [PostgresUserRef],
      description: 'Names and roles; credentials are never listed.',
      resolve: async (p, _a, ctx) => (await ctx.loaders.call(listPostgresUsers, { clusterId: p.clusterId })).data,
    }),
    backups: t.field({
      type: [PostgresBackupRef],
      resolve: async (p, _a, ctx) => (await ctx.loaders.call(listPostgresBackups, { clusterId: p.clusterId })).data,
    }),
    activeQueries: t.field({
      type: [PostgresActiveQueryRef],
      description: 'Queries running now in one database (asked of Fly every time).',
      args: { database: t.arg.string({ required: true, validate: { schema: databaseNameSchema } }) },
      resolve: async (p, args, ctx) =>
        (await ctx.loaders.call(postgresActiveQueries, { clusterId: p.clusterId, database: args.database })).data,
    }),
    slowQueries: t.field({
      type: [PostgresSlowQueryRef],
      description: 'The slowest statements over the last rangeSeconds (default one hour; asked of Fly every time).',
      args: {
        rangeSeconds: t.arg.int({
          required: false,
          validate: { schema: z.number().int().min(1, 'must be at least 1').max(604_800, 'must be at most 604800 (a week)') },
        }),
      },
      resolve: async (p, args, ctx) =>
        (await ctx.loaders.call(postgresSlowQueries, { clusterId: p.clusterId, rangeSeconds: args.rangeSeconds ?? undefined })).data,
    }),
  }),
});

builder.queryField('postgresClusters', (t) =>
  t.field({
    type: [PostgresClusterRef],
    description: "An organization's Managed Postgres clusters (one Fly call; never cached, so a new cluster shows at once).",
    args: {
      org: t.arg.string({ required: false, defaultValue: 'personal', validate: { schema: orgSlugSchema } }),
      includeDeleted: t.arg.boolean({ required: false, defaultValue: false }),
    },
    resolve: async (_root, args, ctx) => {
      const { data } = await ctx.loaders.call(listPostgresClusters, {
        org: args.org ?? 'personal',
        includeDeleted: args.includeDeleted ?? false,
      });
      return data.map((summary) => ({ clusterId: summary.id, summary }));
    },
  }),
);

builder.queryField('postgresCluster', (t) =>
  t.field({
    type: PostgresClusterRef,
    nullable: true,
    description: 'One Managed Postgres cluster; null when Fly does not show it to this caller (or it was deleted).',
    args: { id: t.arg.string({ required: true, validate: { schema: clusterIdSchema } }) },
    resolve: async (_root, args, ctx) => {
      const answer = await ctx.loaders.call(getPostgresCluster, { clusterId: args.id }).catch(nullOnNotFound);
      return answer ? { clusterId: answer.data.id, detail: answer.data } : null;
    },
  }),
);
