import { z } from 'zod';
import { optionalBool, optionalInt, optionalString } from './common.js';

/**
 * Wire shapes of Managed Postgres (`/v1/postgres…`). Every answer wraps its payload in `data`; objects stay loose
 * and most fields optional, as elsewhere. Credentials are their own schema so nothing else ever carries a password.
 */

const endpoint = z.object({ host: optionalString, port: optionalInt }).loose();
const attachedApp = z.object({ name: z.string() }).loose();

/** `PostgresCluster`. */
export const flyPostgresClusterSchema = z
  .object({
    id: z.string(),
    name: optionalString,
    organization: z.object({ name: optionalString, slug: optionalString }).loose().optional(),
    plan: optionalString,
    region: optionalString,
    status: optionalString,
    pg_major_version: optionalString,
    postgis_enabled: optionalBool,
    replicas: optionalInt,
    cpu_kind: optionalString,
    cpus: optionalInt,
    memory_mb: optionalInt,
    disk_size_gb: optionalInt,
    created_at: optionalString,
    attached_apps: z.array(attachedApp).optional(),
    endpoints: z
      .object({ primary: z.object({ direct: endpoint.optional(), pooler: endpoint.optional() }).loose().optional() })
      .loose()
      .nullish(),
    storage_provisioned_bytes: z.number().int().nullish(),
    storage_used_bytes: z.number().int().nullish(),
  })
  .loose();
export type FlyPostgresCluster = z.infer<typeof flyPostgresClusterSchema>;

/** `PostgresClusterSummary`, as the org list gives it. */
export const flyPostgresClusterSummarySchema = z
  .object({
    id: z.string(),
    name: optionalString,
    plan: optionalString,
    region: optionalString,
    status: optionalString,
    created_at: optionalString,
    deleted_at: optionalString,
    attached_apps: z.array(attachedApp).optional(),
  })
  .loose();
export type FlyPostgresClusterSummary = z.infer<typeof flyPostgresClusterSummarySchema>;

/** `PostgresDatabase`. */
export const flyPostgresDatabaseSchema = z.object({ name: z.string() }).loose();
/** `PostgresUser` (never a password). */
export const flyPostgresUserSchema = z.object({ username: z.string(), role: optionalString }).loose();
export type FlyPostgresUser = z.infer<typeof flyPostgresUserSchema>;

/** `PostgresUserCredentials`: the only shape with a password in it, shown once and never cached. */
export const flyPostgresCredentialsSchema = z.object({ username: z.string(), password: z.string() }).loose();
export type FlyPostgresCredentials = z.infer<typeof flyPostgresCredentialsSchema>;

/** `PostgresBackup`. */
export const flyPostgresBackupSchema = z
  .object({
    id: z.string(),
    type: optionalString,
    status: optionalString,
    started_at: optionalString,
    finished_at: optionalString,
    size_bytes: optionalInt,
  })
  .loose();
export type FlyPostgresBackup = z.infer<typeof flyPostgresBackupSchema>;

/** `PostgresExtension`. */
export const flyPostgresExtensionSchema = z
  .object({
    name: z.string(),
    description: optionalString,
    default_version: optionalString,
    system: optionalBool,
    installed: z.object({ schema: optionalString, version: optionalString }).loose().nullish(),
  })
  .loose();
export type FlyPostgresExtension = z.infer<typeof flyPostgresExtensionSchema>;

/** `PostgresActiveQuery`. */
export const flyPostgresActiveQuerySchema = z
  .object({
    pid: optionalInt,
    database: optionalString,
    user: optionalString,
    application_name: optionalString,
    client: optionalString,
    state: optionalString,
    query: optionalString,
    duration_seconds: z.number().optional(),
    state_duration_seconds: z.number().optional(),
    wait_event_type: optionalString,
    wait_event: optionalString,
  })
  .loose();
export type FlyPostgresActiveQuery = z.infer<typeof flyPostgresActiveQuerySchema>;

/** `PostgresSlowQuery`. */
export const flyPostgresSlowQuerySchema = z
  .object({
    query_id: optionalString,
    database: optionalString,
    user: optionalString,
    query: optionalString,
    calls: optionalInt,
    mean_exec_time_seconds: z.number().optional(),
    max_exec_time_seconds: z.number().optional(),
    total_exec_time_seconds: z.number().optional(),
  })
  .loose();
export type FlyPostgresSlowQuery = z.infer<typeof flyPostgresSlowQuerySchema>;

/** `PostgresAttachment`. */
export const flyPostgresAttachmentSchema = z
  .object({ app_name: z.string(), postgres_cluster_id: optionalString, attached_at: optionalString })
  .loose();
export type FlyPostgresAttachment = z.infer<typeof flyPostgresAttachmentSchema>;

/** `{ data: T }`, the envelope of every Managed Postgres answer. */
export function dataOf<T extends z.ZodType>(schema: T) {
  return z.object({ data: schema }).loose();
}
