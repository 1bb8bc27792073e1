/**
 * Managed Postgres (`/v1/postgres…`): clusters of an organization and what is in them, each a declared operation
 * (src/flyio/operation.ts).
 *
 * A cluster belongs to an organization, not to an app, so its target is a scope of its own: `postgres:<clusterId>`,
 * in the `postgres` collection. That name is the rate scope of every call on the cluster (Fly budgets per action and
 * per resource), and the read cache tags what it reads from the cluster `{postgres:<id>}:postgres`, so a write on the
 * cluster, or a `postgres.changed` event for it (the emulator and relays name the same scope as the event's app),
 * drops exactly that cluster's entries and nothing of any app. An attached app is no better a scope: a cluster may
 * have none, or several. The organization's list is never cached (a fork, a restore or another caller's create adds
 * to it without naming it), and neither are the query views (they change by the second) nor, above all, credentials.
 */
import { z } from 'zod';
import { defineOperation, type FlyTarget } from './operation.js';
import {
  dataOf,
  flyPostgresActiveQuerySchema,
  flyPostgresAttachmentSchema,
  flyPostgresBackupSchema,
  flyPostgresClusterSchema,
  flyPostgresClusterSummarySchema,
  flyPostgresCredentialsSchema,
  flyPostgresDatabaseSchema,
  flyPostgresExtensionSchema,
  flyPostgresSlowQuerySchema,
  flyPostgresUserSchema,
} from './wire/postgres.js';

const CLUSTER = '/postgres/{clusterId}';

/** The scope every operation on one cluster is budgeted and cached under. */
export function postgresScope(clusterId: string): string {
  return `postgres:${clusterId}`;
}

/** One cluster. */
export interface ClusterRef {
  clusterId: string;
}
const onCluster = ({ clusterId }: ClusterRef): FlyTarget => ({ app: postgresScope(clusterId), collection: 'postgres' });
const onOrg = ({ org }: { org: string }): FlyTarget => ({ app: `postgres-org:${org}`, collection: 'postgres', org });

/** Postgres major versions, plans, roles, pool modes and backup types Fly offers. */
export type PostgresMajorVersion = '16' | '17';
export type PostgresPlan = 'basic' | 'starter' | 'launch' | 'scale' | 'Performance';
export type PostgresRole = 'schema_admin' | 'writer' | 'reader';
export type PostgresBackupType = 'full' | 'incr' | 'diff';

/**
 * `GET /postgres?org_slug=`: the organization's clusters (summaries). Never cached (see the header), but callers
 * asking at the same moment share one call: a dashboard polled by a team costs Fly one list, not one per member.
 */
export const listPostgresClusters = defineOperation<
  { org: string; includeDeleted?: boolean },
  { data: z.infer<typeof flyPostgresClusterSummarySchema>[] }
>({
  name: 'postgres.list',
  method: 'GET',
  path: '/postgres',
  query: ({ org, includeDeleted }) => ({
    org_slug: org,
    include_deleted: includeDeleted === undefined ? undefined : String(includeDeleted),
  }),
  response: dataOf(z.array(flyPostgresClusterSummarySchema)),
  target: onOrg,
  shareInFlight: true,
});

/** Input of {@link createPostgresCluster}. */
export interface CreatePostgresClusterInput {
  org: string;
  name?: string;
  plan: PostgresPlan;
  region: string;
  diskSizeGb?: number;
  pgMajorVersion?: PostgresMajorVersion;
  poolMode?: 'session' | 'transaction';
  postgisEnabled?: boolean;
}

/** `POST /postgres`: accepted for provisioning (201); the cluster is `creating` until it turns `ready`. */
export const createPostgresCluster = defineOperation<CreatePostgresClusterInput, { data: z.infer<typeof flyPostgresClusterSchema> }>({
  name: 'postgres.create',
  method: 'POST',
  path: '/postgres',
  body: (i) => ({
    org_slug: i.org,
    name: i.name,
    plan: i.plan,
    region: i.region,
    disk_size_gb: i.diskSizeGb,
    pg_major_version: i.pgMajorVersion,
    pool_mode: i.poolMode,
    postgis_enabled: i.postgisEnabled,
  }),
  response: dataOf(flyPostgresClusterSchema),
  target: onOrg,
});

/**
 * `GET /postgres/{id}`: one cluster. Its status moves as a machine's does, so it is cached as long as a machine:
 * where no relay sends `postgres.changed` (the sync job does not poll clusters), that bounds how long a status is old.
 */
export const getPostgresCluster = defineOperation<ClusterRef, { data: z.infer<typeof flyPostgresClusterSchema> }>({
  name: 'postgres.get',
  method: 'GET',
  path: CLUSTER,
  response: dataOf(flyPostgresClusterSchema),
  target: onCluster,
  cache: 'machine',
});

/** `DELETE /postgres/{id}`: accepted (202); the cluster is `deleting`, then gone. */
export const deletePostgresCluster = defineOperation<ClusterRef>({
  name: 'postgres.delete',
  method: 'DELETE',
  path: CLUSTER,
  target: onCluster,
});

/** `GET …/databases`. */
export const listPostgresDatabases = defineOperation<ClusterRef, { data: z.infer<typeof flyPostgresDatabaseSchema>[] }>({
  name: 'postgres.databases.list',
  method: 'GET',
  path: `${CLUSTER}/databases`,
  response: dataOf(z.array(flyPostgresDatabaseSchema)),
  target: onCluster,
  cache: 'app',
});

/** A database of a cluster. */
export interface DatabaseRef extends ClusterRef {
  database: string;
}

/** `POST …/databases`. */
export const createPostgresDatabase = defineOperation<DatabaseRef, { data: z.infer<typeof flyPostgresDatabaseSchema> }>({
  name: 'postgres.databases.create',
  method: 'POST',
  path: `${CLUSTER}/databases`,
  body: ({ database }) => ({ name: database }),
  response: dataOf(flyPostgresDatabaseSchema),
  target: onCluster,
});

/** `DELETE …/databases/{name}`. */
export const deletePostgresDatabase = defineOperation<DatabaseRef, { data: z.infer<typeof flyPostgresDatabaseSchema> }>({
  name: 'postgres.databases.delete',
  method: 'DELETE',
  path: `${CLUSTER}/databases/{database}`,
  response: dataOf(flyPostgresDatabaseSchema),
  target: onCluster,
});

/** `GET …/databases/{name}/extensions`: what the database offers and what it has installed. */
export const listPostgresExtensions = defineOperation<DatabaseRef, { data: z.infer<typeof flyPostgresExtensionSchema>[] }>({
  name: 'postgres.extensions.list',
  method: 'GET',
  path: `${CLUSTER}/databases/{database}/extensions`,
  response: dataOf(z.array(flyPostgresExtensionSchema)),
  target: onCluster,
  cache: 'app',
});

/** Input of {@link enablePostgresExtension}. */
export interface EnableExtensionInput extends DatabaseRef {
  extension: string;
  schema?: string;
  createSchema?: boolean;
}

/** `POST …/extensions` (204). */
export const enablePostgresExtension = defineOperation<EnableExtensionInput>({
  name: 'postgres.extensions.enable',
  method: 'POST',
  path: `${CLUSTER}/databases/{database}/extensions`,
  body: ({ extension, schema, createSchema }) => ({ name: extension, schema, create_schema: createSchema }),
  target: onCluster,
});

/** Input of {@link disablePostgresExtension}. */
export interface DisableExtensionInput extends DatabaseRef {
  extension: string;
  force?: boolean;
}

/** `DELETE …/extensions/{name}` (204); `force` also drops what depends on it. */
export const disablePostgresExtension = defineOperation<DisableExtensionInput>({
  name: 'postgres.extensions.disable',
  method: 'DELETE',
  path: `${CLUSTER}/databases/{database}/extensions/{extension}`,
  query: ({ force }) => ({ force: force === undefined ? undefined : String(force) }),
  target: onCluster,
});

/** `GET …/users`: names and roles, never passwords. */
export const listPostgresUsers = defineOperation<ClusterRef, { data: z.infer<typeof flyPostgresUserSchema>[] }>({
  name: 'postgres.users.list',
  method: 'GET',
  path: `${CLUSTER}/users`,
  response: dataOf(z.array(flyPostgresUserSchema)),
  target: onCluster,
  cache: 'app',
});

/** A user of a cluster. */
export interface UserRef extends ClusterRef {
  username: string;
}

/** `POST …/users` (201): the user and its role; its password is read with {@link postgresCredentials}. */
export const createPostgresUser = defineOperation<UserRef & { role: PostgresRole }, { data: z.infer<typeof flyPostgresUserSchema> }>({
  name: 'postgres.users.create',
  method: 'POST',
  path: `${CLUSTER}/users`,
  body: ({ username, role }) => ({ username, role }),
  response: dataOf(flyPostgresUserSchema),
  target: onCluster,
});

/** `DELETE …/users/{username}` (204). */
export const deletePostgresUser = defineOperation<UserRef>({
  name: 'postgres.users.delete',
  method: 'DELETE',
  path: `${CLUSTER}/users/{username}`,
  target: onCluster,
});

/** `PATCH …/users/{username}` (204): a new role. */
export const updatePostgresUserRole = defineOperation<UserRef & { role: PostgresRole }>({
  name: 'postgres.users.update_role',
  method: 'PATCH',
  path: `${CLUSTER}/users/{username}`,
  body: ({ role }) => ({ role }),
  target: onCluster,
});

/** `GET …/users/{username}/credentials`: the password. A read that is never cached and only ever shown once. */
export const postgresCredentials = defineOperation<UserRef, { data: z.infer<typeof flyPostgresCredentialsSchema> }>({
  name: 'postgres.users.credentials',
  method: 'GET',
  path: `${CLUSTER}/users/{username}/credentials`,
  response: dataOf(flyPostgresCredentialsSchema),
  target: onCluster,
});

/** `POST …/users/{username}/rotate_password`: the new password, shown once. */
export const rotatePostgresPassword = defineOperation<
  UserRef & { killSessions?: boolean },
  { data: z.infer<typeof flyPostgresCredentialsSchema> }
>({
  name: 'postgres.users.rotate_password',
  method: 'POST',
  path: `${CLUSTER}/users/{username}/rotate_password`,
  body: ({ killSessions }) => (killSessions === undefined ? {} : { kill_sessions: killSessions }),
  response: dataOf(flyPostgresCredentialsSchema),
  target: onCluster,
});

/** `GET …/backups`. */
export const listPostgresBackups = defineOperation<ClusterRef, { data: z.infer<typeof flyPostgresBackupSchema>[] }>({
  name: 'postgres.backups.list',
  method: 'GET',
  path: `${CLUSTER}/backups`,
  response: dataOf(z.array(flyPostgresBackupSchema)),
  target: onCluster,
  cache: 'app',
});

/** `POST …/backups` (202); 409 while one is running. */
export const createPostgresBackup = defineOperation<ClusterRef & { type: PostgresBackupType }>({
  name: 'postgres.backups.create',
  method: 'POST',
  path: `${CLUSTER}/backups`,
  body: ({ type }) => ({ type }),
  target: onCluster,
});

/** Input of {@link restorePostgresCluster}: exactly one of `backupId` and `pitrTime`. */
export interface RestoreInput extends ClusterRef {
  backupId?: string;
  pitrTime?: string;
  name?: string;
}

/** `POST …/restore` (201): a new cluster from a backup or a point in time. */
export const restorePostgresCluster = defineOperation<RestoreInput, { data: z.infer<typeof flyPostgresClusterSchema> }>({
  name: 'postgres.restore',
  method: 'POST',
  path: `${CLUSTER}/restore`,
  body: ({ backupId, pitrTime, name }) => ({ backup_id: backupId, pitr_time: pitrTime, name }),
  response: dataOf(flyPostgresClusterSchema),
  target: onCluster,
});

/** `POST …/fork` (201): a new cluster with the source's data. */
export const forkPostgresCluster = defineOperation<ClusterRef & { name?: string }, { data: z.infer<typeof flyPostgresClusterSchema> }>({
  name: 'postgres.fork',
  method: 'POST',
  path: `${CLUSTER}/fork`,
  body: ({ name }) => (name === undefined ? {} : { name }),
  response: dataOf(flyPostgresClusterSchema),
  target: onCluster,
});

/** `GET …/queries/active?database=`: what runs now. Never cached. */
export const postgresActiveQueries = defineOperation<DatabaseRef, { data: z.infer<typeof flyPostgresActiveQuerySchema>[] }>({
  name: 'postgres.queries.active',
  method: 'GET',
  path: `${CLUSTER}/queries/active`,
  query: ({ database }) => ({ database }),
  response: dataOf(z.array(flyPostgresActiveQuerySchema)),
  target: onCluster,
});

/** `GET …/queries/slow?range=`: the slowest statements over the last `rangeSeconds`. Never cached. */
export const postgresSlowQueries = defineOperation<
  ClusterRef & { rangeSeconds?: number },
  { data: z.infer<typeof flyPostgresSlowQuerySchema>[] }
>({
  name: 'postgres.queries.slow',
  method: 'GET',
  path: `${CLUSTER}/queries/slow`,
  query: ({ rangeSeconds }) => ({ range: rangeSeconds }),
  response: dataOf(z.array(flyPostgresSlowQuerySchema)),
  target: onCluster,
});

/** An app attached to a cluster. */
export interface AttachmentRef extends ClusterRef {
  app: string;
}

/** `POST …/attachments`: 201 when attached now, 200 when it already was. */
export const attachPostgresApp = defineOperation<AttachmentRef, { data: z.infer<typeof flyPostgresAttachmentSchema> }>({
  name: 'postgres.attachments.create',
  method: 'POST',
  path: `${CLUSTER}/attachments`,
  body: ({ app }) => ({ app_name: app }),
  response: dataOf(flyPostgresAttachmentSchema),
  target: onCluster,
});

/** `DELETE …/attachments/{app}` (204). */
export const detachPostgresApp = defineOperation<AttachmentRef>({
  name: 'postgres.attachments.delete',
  method: 'DELETE',
  path: `${CLUSTER}/attachments/{app}`,
  target: onCluster,
});
