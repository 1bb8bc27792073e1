/**
 * Managed Postgres mutations inside a cluster: databases, extensions, users, roles and credentials (clusters as a
 * whole are in postgres-cluster-mutations.ts). Each is one declared operation (src/flyio/postgres.ts), sent once
 * (never retried) and answered by a typed result union. A cluster belongs to an organization, so the generic write
 * check is all they need: write scope, and in fly-token mode the caller's own token is what Fly sees (a cluster Fly
 * does not show it answers NotFoundError).
 *
 * Credentials are shown once, in the answer of the mutation that produced them (`rotatePostgresPassword`) or of the
 * explicit `revealPostgresCredentials` (admin scope in api-keys mode): never a query field, so never cached, in a
 * whole-answer cache, a `@live` result, an event, a log line or a span.
 */
import {
  createPostgresDatabase,
  createPostgresUser,
  deletePostgresDatabase,
  deletePostgresUser,
  disablePostgresExtension,
  enablePostgresExtension,
  postgresCredentials,
  rotatePostgresPassword,
  updatePostgresUserRole,
  type PostgresRole,
} from '../../../flyio/postgres.js';
import { builder } from '../../builder.js';
import { orUndefined } from '../inputs.js';
import {
  clusterField,
  clusterPayload,
  credentialsPayload,
  databaseField,
  databasePayload,
  extensionNameSchema,
  postgresMutation,
  PostgresRoleEnum,
  schemaNameSchema,
  userPayload,
  usernameField,
} from './postgres-mutation-support.js';

// Databases and extensions.

const PostgresDatabaseInput = builder.inputType('PostgresDatabaseInput', {
  fields: (t) => ({ clusterId: clusterField(t), database: databaseField(t) }),
});

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
