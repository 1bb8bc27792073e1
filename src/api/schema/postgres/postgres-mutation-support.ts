/**
 * What the Managed Postgres mutations share: their argument rules and enums, the one helper that turns a declared
 * operation into a mutation with a typed result (`postgresMutation`), and the success objects they answer with.
 * The mutations themselves: postgres-cluster-mutations.ts (clusters, backups, attachments) and postgres-mutations.ts
 * (databases, extensions, users, credentials).
 */
import type { InputObjectRef, ObjectRef } from '@pothos/core';
import { z } from 'zod';
import type { FlyOperation } from '../../../flyio/operation.js';
import type { FlyPostgresCredentials } from '../../../flyio/wire/postgres.js';
import { allows } from '../../auth/caller.js';
import { builder, type Types } from '../../builder.js';
import type { GraphQLContext } from '../../context.js';
import { ForbiddenError, rethrowAsUserFacing } from '../../errors.js';
import { machineMutationErrors } from '../machines/mutation-support.js';
import {
  clusterIdSchema,
  databaseNameSchema,
  PostgresClusterRef,
  PostgresDatabaseRef,
  PostgresUserRef,
  type PostgresClusterParent,
} from './postgres-cluster.js';

/** Input field builder of the Postgres inputs. */
type InputFields = PothosSchemaTypes.InputFieldBuilder<Types, 'InputObject'>;

/** Postgres user names, as Fly accepts them. */
export const usernameSchema = z
  .string()
  .regex(
    /^[a-z0-9](?:[a-z0-9_-]{0,61}[a-z0-9])?$/,
    'expected 1 to 63 lowercase letters, digits, dashes or underscores, alphanumeric at both ends',
  );
/** Cluster names. */
export const clusterNameSchema = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'expected 1 to 63 lowercase letters, digits or dashes');
/** Extension names (Fly says which it knows). */
export const extensionNameSchema = z.string().regex(/^[A-Za-z0-9_-]{1,63}$/, 'expected an extension name such as citext');
/** Schema names an extension may be installed into. */
export const schemaNameSchema = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'expected a schema name such as public');

/** GraphQL `PostgresRole`. */
export const PostgresRoleEnum = builder.enumType('PostgresRole', {
  description: 'What a Managed Postgres user may do.',
  values: { SCHEMA_ADMIN: { value: 'schema_admin' }, WRITER: { value: 'writer' }, READER: { value: 'reader' } } as const,
});
/** GraphQL `PostgresPlan`. */
export const PostgresPlanEnum = builder.enumType('PostgresPlan', {
  values: {
    BASIC: { value: 'basic' },
    STARTER: { value: 'starter' },
    LAUNCH: { value: 'launch' },
    SCALE: { value: 'scale' },
    PERFORMANCE: { value: 'Performance' },
  } as const,
});
/** GraphQL `PostgresBackupType`. */
export const PostgresBackupTypeEnum = builder.enumType('PostgresBackupType', {
  values: { FULL: { value: 'full' }, INCR: { value: 'incr' }, DIFF: { value: 'diff' } } as const,
});
/** GraphQL `PostgresMajorVersion`. */
export const PostgresMajorVersionEnum = builder.enumType('PostgresMajorVersion', {
  values: { PG16: { value: '16' }, PG17: { value: '17' } } as const,
});
/** GraphQL `PostgresPoolMode`. */
export const PostgresPoolModeEnum = builder.enumType('PostgresPoolMode', {
  values: { SESSION: { value: 'session' }, TRANSACTION: { value: 'transaction' } } as const,
});

/** The `clusterId` field of an input. */
export const clusterField = (t: InputFields) =>
  t.string({ required: true, description: 'The cluster id.', validate: { schema: clusterIdSchema } });
/** The `database` field of an input. */
export const databaseField = (t: InputFields) => t.string({ required: true, validate: { schema: databaseNameSchema } });
/** The `username` field of an input. */
export const usernameField = (t: InputFields) => t.string({ required: true, validate: { schema: usernameSchema } });

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
export function postgresMutation<Input extends object, OpInput, Output, Shape extends object>(
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

/** A cluster known by its id only (its fields load when selected). */
export const cluster = (clusterId: string): PostgresClusterParent => ({ clusterId });

/** `{ cluster }`: the cluster a mutation changed, read afresh when selected. */
export function clusterPayload<Input extends { clusterId: string }>(name: string, description: string) {
  const type = builder.objectRef<{ cluster: PostgresClusterParent }>(name).implement({
    description,
    fields: (t) => ({ cluster: t.field({ type: PostgresClusterRef, resolve: (p) => p.cluster }) }),
  });
  return { type, shape: (_output: unknown, input: Input) => ({ cluster: cluster(input.clusterId) }) };
}

/** `{ cluster }` built from the body Fly answered (create, fork, restore: a new cluster). */
export function newClusterPayload(name: string, description: string) {
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

/** `{ database, cluster }`. */
export function databasePayload(name: string, description: string) {
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

/** `{ user, cluster }`. */
export function userPayload(name: string, description: string, fromOutput: boolean) {
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

/** `{ credentials }`: the one place a password is answered. */
export function credentialsPayload(name: string, description: string) {
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
