import { z } from 'zod';
import { MAX_WAIT_SECONDS } from '../../services/machines/read-after.js';
import { builder } from '../builder.js';

// Argument rules shared by queries and mutations. They run at the schema edge (zod plugin) so a bad argument is
// rejected with a message naming it, before any upstream call.

/** Fly app names. */
export const appNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'expected a Fly app name: lowercase letters, digits and dashes, at most 63 characters');
/** Fly machine ids: hexadecimal. */
export const machineIdSchema = z
  .string()
  .regex(/^[0-9a-f]{8,32}$/, 'expected a Fly machine id: hexadecimal characters such as 1857156b526dd8');
/** Region codes: three lowercase letters. */
export const regionSchema = z.string().regex(/^[a-z]{3}$/, 'expected a three-letter Fly region code such as iad');
/** Metadata keys (also used for filters). */
export const metadataKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'expected 1 to 64 letters, digits, dashes, dots or underscores');
/** Environment variable names. */
export const envNameSchema = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]{0,255}$/,
    'expected an environment variable name: letters, digits and underscores, not starting with a digit',
  );
/** Metadata values. */
export const metadataValueSchema = z.string().max(1024, 'must be at most 1024 characters');
/** Lease nonces: opaque, non-empty. */
export const nonceSchema = z.string().min(1, 'must not be empty').max(256, 'must be at most 256 characters');
/** Wait timeouts, in seconds. */
export const timeoutSecondsSchema = z
  .number()
  .int('must be a whole number of seconds')
  .min(1, 'must be at least 1 second')
  .max(MAX_WAIT_SECONDS, `must be at most ${MAX_WAIT_SECONDS} seconds`);

/** Default wait when a mutation asks to wait without a timeout: Fly's own default. */
export const DEFAULT_WAIT_SECONDS = 60;

/** Options for blocking until the target state; its presence is what asks a mutation to wait. */
export const WaitInput = builder.inputType('WaitInput', {
  description: `Wait (using Fly's wait) until the machine reaches the mutation's target state, at most timeoutSeconds (max ${MAX_WAIT_SECONDS}).`,
  fields: (t) => ({
    timeoutSeconds: t.int({ required: false, defaultValue: DEFAULT_WAIT_SECONDS, validate: { schema: timeoutSecondsSchema } }),
  }),
});

/** One metadata key and its value. */
export const MetadataEntryInput = builder.inputType('MetadataEntryInput', {
  fields: (t) => ({
    key: t.string({ required: true, validate: { schema: metadataKeySchema } }),
    value: t.string({ required: true, validate: { schema: metadataValueSchema } }),
  }),
});

/** A metadata key and the value it must have. */
export const MetadataFilterInput = builder.inputType('MetadataFilter', {
  description: 'Only machines whose metadata has this key set to this value (several filters must all match).',
  fields: (t) => ({
    key: t.string({ required: true, validate: { schema: metadataKeySchema } }),
    value: t.string({ required: true, validate: { schema: metadataValueSchema } }),
  }),
});

/** One environment variable. */
export const EnvVarInput = builder.inputType('EnvVarInput', {
  fields: (t) => ({
    name: t.string({ required: true, validate: { schema: envNameSchema } }),
    value: t.string({ required: true, validate: { schema: z.string().max(32_768, 'must be at most 32768 characters') } }),
  }),
});

/** Converts a list of key/value inputs to a map; a repeated key keeps the last value. */
export function toRecord(entries: readonly { key: string; value: string }[] | null | undefined): Record<string, string> | undefined {
  if (!entries) return undefined;
  return Object.fromEntries(entries.map((e) => [e.key, e.value]));
}

/** `{ timeoutSeconds }` when the caller asked to wait, else undefined. */
export function toWait(wait: { timeoutSeconds?: number | null } | null | undefined): { timeoutSeconds: number } | undefined {
  return wait ? { timeoutSeconds: wait.timeoutSeconds ?? DEFAULT_WAIT_SECONDS } : undefined;
}

/** Turns GraphQL's explicit nulls into absent values for the service layer. */
export function orUndefined<T>(value: T | null | undefined): T | undefined {
  return value ?? undefined;
}
