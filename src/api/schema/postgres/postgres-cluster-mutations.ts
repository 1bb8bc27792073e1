/**
 * Managed Postgres mutations on clusters as a whole: create, delete, fork, restore, back up, attach and detach apps.
 * Each is one declared operation (src/flyio/postgres.ts), sent once, answered by a typed result union; the write
 * check is the generic one (attach and detach also name an app, whose access the guard checks as usual).
 */
import { z } from 'zod';
import {
  attachPostgresApp,
  createPostgresBackup,
  createPostgresCluster,
  deletePostgresCluster,
  detachPostgresApp,
  forkPostgresCluster,
  restorePostgresCluster,
  type PostgresBackupType,
  type PostgresPlan,
} from '../../../flyio/postgres.js';
import { builder } from '../../builder.js';
import { appNameSchema, orUndefined, regionSchema } from '../inputs.js';
import { orgSlugSchema } from './postgres-cluster.js';
import {
  clusterField,
  clusterNameSchema,
  clusterPayload,
  newClusterPayload,
  PostgresBackupTypeEnum,
  PostgresMajorVersionEnum,
  postgresMutation,
  PostgresPlanEnum,
  PostgresPoolModeEnum,
} from './postgres-mutation-support.js';

// Clusters.

const CreatePostgresClusterInput = builder.inputType('CreatePostgresClusterInput', {
  fields: (t) => ({
    org: t.string({ required: false, defaultValue: 'personal', validate: { schema: orgSlugSchema } }),
    name: t.string({ required: false, validate: { schema: clusterNameSchema } }),
    plan: t.field({ type: PostgresPlanEnum, required: true }),
    region: t.string({ required: true, validate: { schema: regionSchema } }),
    diskSizeGb: t.int({
      required: false,
      validate: { schema: z.number().int().min(10, 'must be at least 10').max(1000, 'must be at most 1000') },
    }),
    pgMajorVersion: t.field({ type: PostgresMajorVersionEnum, required: false }),
    poolMode: t.field({ type: PostgresPoolModeEnum, required: false }),
    postgisEnabled: t.boolean({ required: false }),
  }),
});

postgresMutation('createPostgresCluster', {
  description: 'Creates a Managed Postgres cluster. It answers at once, `creating`; `postgresClusterChanged` tells when it is ready.',
  input: CreatePostgresClusterInput,
  operation: createPostgresCluster,
  toInput: (i) => ({
    org: i.org ?? 'personal',
    name: orUndefined(i.name),
    plan: i.plan as PostgresPlan,
    region: i.region,
    diskSizeGb: orUndefined(i.diskSizeGb),
    pgMajorVersion: orUndefined(i.pgMajorVersion) as '16' | '17' | undefined,
    poolMode: orUndefined(i.poolMode) as 'session' | 'transaction' | undefined,
    postgisEnabled: orUndefined(i.postgisEnabled),
  }),
  success: newClusterPayload('CreatePostgresClusterSuccess', 'The cluster was accepted for provisioning.'),
});

const ClusterInput = builder.inputType('PostgresClusterInput', { fields: (t) => ({ clusterId: clusterField(t) }) });

postgresMutation('deletePostgresCluster', {
  description: 'Deletes a cluster: it turns `deleting`, then goes. A cluster already going answers NOT_FOUND (Fly: 410).',
  input: ClusterInput,
  operation: deletePostgresCluster,
  toInput: (i) => ({ clusterId: i.clusterId }),
  success: clusterPayload('DeletePostgresClusterSuccess', 'The deletion was accepted.'),
});

const ForkPostgresClusterInput = builder.inputType('ForkPostgresClusterInput', {
  fields: (t) => ({ clusterId: clusterField(t), name: t.string({ required: false, validate: { schema: clusterNameSchema } }) }),
});

postgresMutation('forkPostgresCluster', {
  description: 'A new cluster with the data of a ready one (named `<source>-fork` unless given).',
  input: ForkPostgresClusterInput,
  operation: forkPostgresCluster,
  toInput: (i) => ({ clusterId: i.clusterId, name: orUndefined(i.name) }),
  success: newClusterPayload('ForkPostgresClusterSuccess', 'The fork was accepted for provisioning.'),
});

const RestorePostgresClusterInput = builder.inputType('RestorePostgresClusterInput', {
  description: 'Exactly one of backupId and pitrTime.',
  fields: (t) => ({
    clusterId: clusterField(t),
    backupId: t.string({ required: false, validate: { schema: z.string().min(1).max(128) } }),
    pitrTime: t.field({ type: 'DateTime', required: false }),
    name: t.string({ required: false, validate: { schema: clusterNameSchema } }),
  }),
});

postgresMutation('restorePostgresCluster', {
  description: 'A new cluster from a backup or a point in time of this one.',
  input: RestorePostgresClusterInput,
  operation: restorePostgresCluster,
  toInput: (i) => ({
    clusterId: i.clusterId,
    backupId: orUndefined(i.backupId),
    pitrTime: i.pitrTime ? new Date(i.pitrTime).toISOString() : undefined,
    name: orUndefined(i.name),
  }),
  success: newClusterPayload('RestorePostgresClusterSuccess', 'The restore was accepted for provisioning.'),
});

const CreatePostgresBackupInput = builder.inputType('CreatePostgresBackupInput', {
  fields: (t) => ({ clusterId: clusterField(t), type: t.field({ type: PostgresBackupTypeEnum, required: false, defaultValue: 'full' }) }),
});

postgresMutation('createPostgresBackup', {
  description: 'Starts a backup. One runs at a time: another answers VersionConflictError (Fly: 409).',
  input: CreatePostgresBackupInput,
  operation: createPostgresBackup,
  toInput: (i) => ({ clusterId: i.clusterId, type: (i.type ?? 'full') as PostgresBackupType }),
  success: clusterPayload('CreatePostgresBackupSuccess', 'The backup was started.'),
});

// Attachments.

const PostgresAttachmentInput = builder.inputType('PostgresAttachmentInput', {
  fields: (t) => ({ clusterId: clusterField(t), app: t.string({ required: true, validate: { schema: appNameSchema } }) }),
});

postgresMutation('attachPostgresApp', {
  description: 'Attaches an app to a cluster (already attached is a success too).',
  input: PostgresAttachmentInput,
  operation: attachPostgresApp,
  toInput: (i) => ({ clusterId: i.clusterId, app: i.app }),
  success: clusterPayload('AttachPostgresAppSuccess', 'The app is attached.'),
});

postgresMutation('detachPostgresApp', {
  description: 'Detaches an app from a cluster.',
  input: PostgresAttachmentInput,
  operation: detachPostgresApp,
  toInput: (i) => ({ clusterId: i.clusterId, app: i.app }),
  success: clusterPayload('DetachPostgresAppSuccess', 'The app is detached.'),
});
