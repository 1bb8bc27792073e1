/**
 * Managed Postgres mutations. Each is one declared operation (src/flyio/postgres.ts) sent once (never retried),
 * answered by a typed result union. A cluster belongs to an organization, so the generic write check (write scope;
 * in fly-token mode the caller's own token is what Fly sees, and Fly answers NOT_FOUND for a cluster it cannot
 * reach) is all most of them need; attach and detach also name an app, whose access the guard checks as usual.
 *
 * Credentials are shown once, in the answer of the mutation that produced them (`rotatePostgresPassword`) or of the
 * explicit `revealPostgresCredentials` (admin scope in api-keys mode): never a query field, so never cached, in a
 * whole-answer cache, a `@live` result, an event, a log line or a span.
 */
import type { InputObjectRef, ObjectRef } from '@pothos/core';
import { z } from 'zod';
import type { FlyOperation } from '../../../flyio/operation.js';
import {
  attachPostgresApp,
  createPostgresBackup,
  createPostgresCluster,
  createPostgresDatabase,
  createPostgresUser,
  deletePostgresCluster,
  deletePostgresDatabase,
  deletePostgresUser,
  detachPostgresApp,
  disablePostgresExtension,
  enablePostgresExtension,
  forkPostgresCluster,
  postgresCredentials,
  restorePostgresCluster,
  rotatePostgresPassword,
  updatePostgresUserRole,
  type PostgresBackupType,
  type PostgresPlan,
  type PostgresRole,
} from '../../../flyio/postgres.js';
import type { FlyPostgresCredentials } from '../../../flyio/wire/postgres.js';
import { allows } from '../../auth/caller.js';
import { builder, type Types } from '../../builder.js';
import type { GraphQLContext } from '../../context.js';
import { ForbiddenError, rethrowAsUserFacing } from '../../errors.js';
import { appNameSchema, orUndefined, regionSchema } from '../inputs.js';
import { machineMutationErrors } from '../machines/mutation-support.js';
import {
  clusterIdSchema,
  databaseNameSchema,
  orgSlugSchema,
  PostgresClusterRef,
  PostgresDatabaseRef,
  PostgresUserRef,
  type PostgresClusterParent,
} from './postgres-cluster.js';

type InputFields = PothosSchemaTypes.InputFieldBuilder<Types, 'InputObject'>;

const usernameSchema = z
  .string()
  .regex(
    /^[a-z0-9](?:[a-z0-9_-]{0,61}[a-z0-9])?$/,
    'expected 1 to 63 lowercase letters, digits, dashes or underscores, alphanumeric at both ends',
  );
const clusterNameSchema = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'expected 1 to 63 lowercase letters, digits or dashes');
const extensionNameSchema = z.string().regex(/^[A-Za-z0-9_-]{1,63}$/, 'expected an extension name such as citext');
const schemaNameSchema = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'expected a schema name such as public');

const PostgresRoleEnum = builder.enumType('PostgresRole', {
  description: 'What a Managed Postgres user may do.',
  values: { SCHEMA_ADMIN: { value: 'schema_admin' }, WRITER: { value: 'writer' }, READER: { value: 'reader' } } as const,
});
const PostgresPlanEnum = builder.enumType('PostgresPlan', {
  values: {
    BASIC: { value: 'basic' },
    STARTER: { value: 'starter' },
    LAUNCH: { value: 'launch' },
    SCALE: { value: 'scale' },
    PERFORMANCE: { value: 'Performance' },
  } as const,
});
const PostgresBackupTypeEnum = builder.enumType('PostgresBackupType', {
  values: { FULL: { value: 'full' }, INCR: { value: 'incr' }, DIFF: { value: 'diff' } } as const,
});
const PostgresMajorVersionEnum = builder.enumType('PostgresMajorVersion', {
  values: { PG16: { value: '16' }, PG17: { value: '17' } } as const,
});
const PostgresPoolModeEnum = builder.enumType('PostgresPoolMode', {
  values: { SESSION: { value: 'session' }, TRANSACTION: { value: 'transaction' } } as const,
});

const clusterField = (t: InputFields) =>
  t.string({ required: true, description: 'The cluster id.', validate: { schema: clusterIdSchema } });
const databaseField = (t: InputFields) => t.string({ required: true, validate: { schema: databaseNameSchema } });
const usernameField = (t: InputFields) => t.string({ required: true, validate: { schema: usernameSchema } });

/** GraphQL `PostgresCredentials`: only ever in the answer of the mutation that showed them. */
const PostgresCredentialsRef = builder.objectRef<FlyPostgresCredentials>('PostgresCredentials').implement({
  description: 'A user and its password, shown once: the gateway keeps no copy (no cache, log, span or event).',
  fields: (t) => ({
    username: t.string({ resolve: (c) => c.username }),
    password: t.string({ resolve: (c) => c.password }),
  }),
});

/** One Postgres mutation: a declared operation, how its input maps, and its success object. */
interface PostgresMutation<Input, OpInput, Output, Shape> {
  description: string;
  input: InputObjectRef<Types, Input>;
  operation: FlyOperation<OpInput, Output>;
  toInput: (input: Input) => OpInput;
  success: { type: ObjectRef<Types, Shape>; shape: (output: Output, input: Input) => Shape };
  /** What the caller needs beyond the write check. @default 'write' */
  scope?: 'write' | 'admin';
}

/** Fails with a typed FORBIDDEN when an API key without `admin` asks for credentials (Fly decides for a Fly token). */
function requireAdmin(ctx: GraphQLContext): void {
  const caller = ctx.caller;
  if (caller && !caller.flyAuthorization && !allows(caller, 'admin'))
    throw new ForbiddenError('Showing credentials needs an API key with the admin scope.');
}

/** Adds `Mutation.<name>(input:)` for one Postgres operation; failures become typed errors, the loaders forget. */
function postgresMutation<Input extends object, OpInput, Output, Shape extends object>(
  name: string,
  m: PostgresMutation<Input, OpInput, Output, Shape>,
): void {
  // Erased for Pothos, as operationMutation does: `m` ties the input, the operation and the payload together.
  const input = m.input as unknown as InputObjectRef<Types, object>;
  const toInput = m.toInput as unknown as (input: object) => OpInput;
  const shape = m.success.shape as unknown as (output: Output, input: object) => object;
  builder.mutationField(name, (t) =>
    t.field({
      type: m.success.type as ObjectRef<Types, object>,
      description: m.description,
      errors: machineMutationErrors(`${name.charAt(0).toUpperCase()}${name.slice(1)}Result`),
      args: { input: t.arg({ type: input, required: true }) },
      resolve: async (_root, args, ctx) => {
        if (m.scope === 'admin') requireAdmin(ctx);
        let output: Output;
        try {
          output = await ctx.services.fly.call(m.operation, toInput(args.input), { signal: ctx.signal });
        } catch (error) {
          rethrowAsUserFacing(error);
        } finally {
          ctx.loaders.forgetCalls();
        }
        return shape(output, args.input);
      },
    }),
  );
}

const cluster = (clusterId: string): PostgresClusterParent => ({ clusterId });

/** `{ cluster }`: the cluster a mutation changed, read afresh when selected. */
function clusterPayload<Input extends { clusterId: string }>(name: string, description: string) {
  const type = builder.objectRef<{ cluster: PostgresClusterParent }>(name).implement({
    description,
    fields: (t) => ({ cluster: t.field({ type: PostgresClusterRef, resolve: (p) => p.cluster }) }),
  });
  return { type, shape: (_output: unknown, input: Input) => ({ cluster: cluster(input.clusterId) }) };
}

/** `{ cluster }` built from the body Fly answered (create, fork, restore: a new cluster). */
function newClusterPayload(name: string, description: string) {
  const type = builder.objectRef<{ cluster: PostgresClusterParent }>(name).implement({
    description,
    fields: (t) => ({
      cluster: t.field({ type: PostgresClusterRef, description: 'The new cluster, as Fly accepted it.', resolve: (p) => p.cluster }),
    }),
  });
  return {
    type,
    shape: (output: { data: NonNullable<PostgresClusterParent['detail']> }) => ({
      cluster: { clusterId: output.data.id, detail: output.data },
    }),
  };
}

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

// Databases and extensions.

const PostgresDatabaseInput = builder.inputType('PostgresDatabaseInput', {
  fields: (t) => ({ clusterId: clusterField(t), database: databaseField(t) }),
});

/** `{ database, cluster }`. */
function databasePayload(name: string, description: string) {
  const type = builder.objectRef<{ database: { clusterId: string; name: string }; cluster: PostgresClusterParent }>(name).implement({
    description,
    fields: (t) => ({
      database: t.field({ type: PostgresDatabaseRef, resolve: (p) => p.database }),
      cluster: t.field({ type: PostgresClusterRef, resolve: (p) => p.cluster }),
    }),
  });
  return {
    type,
    shape: (output: { data: { name: string } }, input: { clusterId: string }) => ({
      database: { clusterId: input.clusterId, name: output.data.name },
      cluster: cluster(input.clusterId),
    }),
  };
}

postgresMutation('createPostgresDatabase', {
  description: 'Creates a database. A cluster that is not ready answers UpstreamUnavailableError (retry once it is).',
  input: PostgresDatabaseInput,
  operation: createPostgresDatabase,
  toInput: (i) => ({ clusterId: i.clusterId, database: i.database }),
  success: databasePayload('CreatePostgresDatabaseSuccess', 'The database was created.'),
});

postgresMutation('deletePostgresDatabase', {
  description: 'Deletes a database.',
  input: PostgresDatabaseInput,
  operation: deletePostgresDatabase,
  toInput: (i) => ({ clusterId: i.clusterId, database: i.database }),
  success: databasePayload('DeletePostgresDatabaseSuccess', 'The database was deleted.'),
});

const EnablePostgresExtensionInput = builder.inputType('EnablePostgresExtensionInput', {
  fields: (t) => ({
    clusterId: clusterField(t),
    database: databaseField(t),
    extension: t.string({ required: true, validate: { schema: extensionNameSchema } }),
    schema: t.string({ required: false, validate: { schema: schemaNameSchema } }),
    createSchema: t.boolean({ required: false }),
  }),
});

postgresMutation('enablePostgresExtension', {
  description: 'Installs an extension in a database. Unknown ones are InvalidInputError; one already there, VersionConflictError.',
  input: EnablePostgresExtensionInput,
  operation: enablePostgresExtension,
  toInput: (i) => ({
    clusterId: i.clusterId,
    database: i.database,
    extension: i.extension,
    schema: orUndefined(i.schema),
    createSchema: orUndefined(i.createSchema),
  }),
  success: clusterPayload('EnablePostgresExtensionSuccess', 'The extension was installed.'),
});

const DisablePostgresExtensionInput = builder.inputType('DisablePostgresExtensionInput', {
  fields: (t) => ({
    clusterId: clusterField(t),
    database: databaseField(t),
    extension: t.string({ required: true, validate: { schema: extensionNameSchema } }),
    force: t.boolean({ required: false, description: 'Also drop what depends on it.' }),
  }),
});

postgresMutation('disablePostgresExtension', {
  description: 'Removes an extension from a database (system extensions stay: InvalidInputError).',
  input: DisablePostgresExtensionInput,
  operation: disablePostgresExtension,
  toInput: (i) => ({ clusterId: i.clusterId, database: i.database, extension: i.extension, force: orUndefined(i.force) }),
  success: clusterPayload('DisablePostgresExtensionSuccess', 'The extension was removed.'),
});

// Users and credentials.

const PostgresUserRoleInput = builder.inputType('PostgresUserRoleInput', {
  fields: (t) => ({ clusterId: clusterField(t), username: usernameField(t), role: t.field({ type: PostgresRoleEnum, required: true }) }),
});

/** `{ user, cluster }`. */
function userPayload(name: string, description: string, fromOutput: boolean) {
  const type = builder.objectRef<{ user: { username: string; role?: string }; cluster: PostgresClusterParent }>(name).implement({
    description,
    fields: (t) => ({
      user: t.field({ type: PostgresUserRef, resolve: (p) => p.user }),
      cluster: t.field({ type: PostgresClusterRef, resolve: (p) => p.cluster }),
    }),
  });
  return {
    type,
    shape: (
      output: { data: { username: string; role?: string } } | void,
      input: { clusterId: string; username: string; role: string },
    ) => ({
      user: fromOutput && output ? output.data : { username: input.username, role: input.role },
      cluster: cluster(input.clusterId),
    }),
  };
}

postgresMutation('createPostgresUser', {
  description:
    'Creates a user with a role. Its password is not in the answer: rotatePostgresPassword or revealPostgresCredentials show it.',
  input: PostgresUserRoleInput,
  operation: createPostgresUser,
  toInput: (i) => ({ clusterId: i.clusterId, username: i.username, role: i.role as PostgresRole }),
  success: userPayload('CreatePostgresUserSuccess', 'The user was created.', true),
});

postgresMutation('setPostgresUserRole', {
  description: "Changes a user's role.",
  input: PostgresUserRoleInput,
  operation: updatePostgresUserRole,
  toInput: (i) => ({ clusterId: i.clusterId, username: i.username, role: i.role as PostgresRole }),
  success: userPayload('SetPostgresUserRoleSuccess', 'The role was changed.', false),
});

const PostgresUserInput = builder.inputType('PostgresUserInput', {
  fields: (t) => ({ clusterId: clusterField(t), username: usernameField(t) }),
});

postgresMutation('deletePostgresUser', {
  description: 'Deletes a user.',
  input: PostgresUserInput,
  operation: deletePostgresUser,
  toInput: (i) => ({ clusterId: i.clusterId, username: i.username }),
  success: clusterPayload('DeletePostgresUserSuccess', 'The user was deleted.'),
});

/** `{ credentials }`: the one place a password is answered. */
function credentialsPayload(name: string, description: string) {
  const type = builder.objectRef<{ credentials: FlyPostgresCredentials }>(name).implement({
    description,
    fields: (t) => ({ credentials: t.field({ type: PostgresCredentialsRef, resolve: (p) => p.credentials }) }),
  });
  return {
    type,
    shape: (output: { data: FlyPostgresCredentials }) => ({
      credentials: { username: output.data.username, password: output.data.password },
    }),
  };
}

const RotatePostgresPasswordInput = builder.inputType('RotatePostgresPasswordInput', {
  fields: (t) => ({
    clusterId: clusterField(t),
    username: usernameField(t),
    killSessions: t.boolean({ required: false, description: "End the user's open sessions too." }),
  }),
});

postgresMutation('rotatePostgresPassword', {
  description: 'Gives a user a new password and shows it, once.',
  input: RotatePostgresPasswordInput,
  operation: rotatePostgresPassword,
  toInput: (i) => ({ clusterId: i.clusterId, username: i.username, killSessions: orUndefined(i.killSessions) }),
  success: credentialsPayload('RotatePostgresPasswordSuccess', 'The new password (shown once).'),
});

postgresMutation('revealPostgresCredentials', {
  description:
    "Shows a user's current password, once (Fly's credentials read, as an explicit action: never cached). API keys need the admin scope.",
  input: PostgresUserInput,
  operation: postgresCredentials,
  toInput: (i) => ({ clusterId: i.clusterId, username: i.username }),
  success: credentialsPayload('RevealPostgresCredentialsSuccess', 'The password (shown once).'),
  scope: 'admin',
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
