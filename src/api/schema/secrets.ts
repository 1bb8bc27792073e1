/**
 * An app's secrets and secret keys. Both are write-only: GraphQL shows a secret's name, digest and times, a key's
 * name, type and public key, never a value or key material (the wire schemas drop them at the boundary). Setting or
 * using them needs the `secrets` scope (api-keys mode); reading names and digests needs `read`. Bytes travel as
 * base64 strings. The one value that comes back is a decryption's plaintext, to the caller who asked, once.
 */
import { z } from 'zod';
import { isFlyApiError } from '../../flyio/errors.js';
import {
  decryptWithSecretKey,
  deleteSecretKey,
  encryptWithSecretKey,
  generateSecretKey,
  getSecret,
  deleteSecret,
  getSecretKey,
  listSecretKeys,
  setSecret,
  listSecrets,
  setSecretKey,
  signWithSecretKey,
  updateSecrets,
  verifyWithSecretKey,
  versionOf,
} from '../../flyio/secrets.js';
import type { FlyAppSecret, FlySecretKey, FlySecretsUpdate, FlySetSecretKey } from '../../flyio/wire/secrets.js';
import { builder, type Types } from '../builder.js';
import { rethrowAsUserFacing } from '../errors.js';
import { AppRef } from './app.js';
import { envNameSchema, appNameSchema } from './inputs.js';
import { nullOnNotFound } from './machines/machine.js';
import { asCallerWrite, machineMutationErrors, operationMutation, runMachineMutation } from './machines/mutation-support.js';
import { parseTimestamp } from './scalars.js';

type InputFields = PothosSchemaTypes.InputFieldBuilder<Types, 'InputObject'>;

/** Largest secret value and largest byte input: Fly's own limit on a secret is of this order. */
const MAX_BYTES = 64 * 1024;

// Messages never quote the value: an invalid secret must not come back in the error that refuses it.
const secretValueSchema = z.string().max(MAX_BYTES, `must be at most ${MAX_BYTES} characters`);
const keyNameSchema = z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/, 'expected 1 to 128 letters, digits, dots, dashes or underscores');
const keyTypeSchema = z.string().regex(/^[a-z0-9_:-]{1,32}$/, 'expected a key type such as hs256, ed25519 or aes256gcm');
const base64Schema = z
  .string()
  .max(Math.ceil(MAX_BYTES / 3) * 4, `must encode at most ${MAX_BYTES} bytes`)
  .regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, 'expected standard base64');

const fromBase64 = (text: string): Uint8Array => Buffer.from(text, 'base64');
const toBase64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

export const AppSecretRef = builder.objectRef<FlyAppSecret>('AppSecret').implement({
  description: 'A secret of an app: its name and a digest of its value. The value itself is never shown.',
  fields: (t) => ({
    name: t.string({ resolve: (s) => s.name }),
    digest: t.string({
      nullable: true,
      description: 'Changes when the value changes; compare it, never the value.',
      resolve: (s) => s.digest ?? null,
    }),
    createdAt: t.field({ type: 'DateTime', nullable: true, resolve: (s) => parseTimestamp(s.created_at) }),
    updatedAt: t.field({ type: 'DateTime', nullable: true, resolve: (s) => parseTimestamp(s.updated_at) }),
  }),
});

export const SecretKeyRef = builder.objectRef<FlySecretKey>('SecretKey').implement({
  description: "A key in the app's key store. Its material is never shown; a key pair shows its public key.",
  fields: (t) => ({
    name: t.string({ resolve: (k) => k.name }),
    type: t.string({ nullable: true, description: 'The key type Fly reports, e.g. hs256 or ed25519.', resolve: (k) => k.type ?? null }),
    publicKey: t.string({
      nullable: true,
      description: 'The public key of a key pair, base64; null for symmetric keys.',
      resolve: (k) => (k.public_key ? toBase64(Uint8Array.from(k.public_key)) : null),
    }),
    createdAt: t.field({ type: 'DateTime', nullable: true, resolve: (k) => parseTimestamp(k.created_at) }),
    updatedAt: t.field({ type: 'DateTime', nullable: true, resolve: (k) => parseTimestamp(k.updated_at) }),
  }),
});

builder.objectFields(AppRef, (t) => ({
  secrets: t.field({
    type: [AppSecretRef],
    description: "The app's secrets: names and digests, never values (one Fly call; cached as long as the app, dropped when they change).",
    resolve: (app, _args, ctx) => ctx.loaders.call(listSecrets, { app: app.name }),
  }),
  secret: t.field({
    type: AppSecretRef,
    nullable: true,
    description: 'One secret by name (its digest, never its value); null when the app has none of that name.',
    args: { name: t.arg.string({ required: true, validate: { schema: envNameSchema } }) },
    resolve: (app, { name }, ctx) => ctx.loaders.call(getSecret, { app: app.name, name }).catch(nullOnNotFound),
  }),
  secretKeys: t.field({
    type: [SecretKeyRef],
    description: "The app's secret keys (one Fly call; cached as long as the app, dropped when they change).",
    args: {
      types: t.arg.stringList({
        required: false,
        description: 'Only keys of these types.',
        validate: { schema: z.array(keyTypeSchema).max(16) },
      }),
    },
    resolve: (app, { types }, ctx) => ctx.loaders.call(listSecretKeys, { app: app.name, types: types ?? undefined }),
  }),
  secretKey: t.field({
    type: SecretKeyRef,
    nullable: true,
    description: 'One secret key by name; null when the app has none of that name.',
    args: { name: t.arg.string({ required: true, validate: { schema: keyNameSchema } }) },
    resolve: (app, { name }, ctx) => ctx.loaders.call(getSecretKey, { app: app.name, name }).catch(nullOnNotFound),
  }),
}));

const appField = (t: InputFields) => t.string({ required: true, description: 'App name.', validate: { schema: appNameSchema } });
const keyNameField = (t: InputFields) => t.string({ required: true, description: 'Secret key name.', validate: { schema: keyNameSchema } });
const bytesField = (t: InputFields, description: string) =>
  t.string({ required: true, description: `${description}, base64.`, validate: { schema: base64Schema } });
const optionalBytesField = (t: InputFields, description: string) =>
  t.string({ required: false, description: `${description}, base64.`, validate: { schema: base64Schema } });

const SecretValueInput = builder.inputType('SecretValueInput', {
  description: 'One secret to set. The value is write-only: it is sent to Fly and never shown again.',
  fields: (t) => ({
    name: t.string({ required: true, validate: { schema: envNameSchema } }),
    value: t.string({ required: true, validate: { schema: secretValueSchema } }),
  }),
});

const SetSecretsInput = builder.inputType('SetSecretsInput', {
  fields: (t) => ({
    app: appField(t),
    values: t.field({
      type: [SecretValueInput],
      required: true,
      validate: {
        schema: z
          .array(z.object({ name: z.string(), value: z.string() }))
          .min(1, 'give at least one secret')
          .max(100, 'at most 100 secrets at once')
          .refine((values) => new Set(values.map((v) => v.name)).size === values.length, 'each name at most once'),
      },
    }),
  }),
});

const UnsetSecretsInput = builder.inputType('UnsetSecretsInput', {
  fields: (t) => ({
    app: appField(t),
    names: t.stringList({
      required: true,
      validate: { schema: z.array(envNameSchema).min(1, 'give at least one name').max(100, 'at most 100 names at once') },
    }),
  }),
});

/** What setting or unsetting secrets answers: the version to roll out and the secrets as they now are. */
interface SecretsChange {
  version: number | null;
  secrets: FlyAppSecret[];
}

const secretsChangeType = (name: string, description: string) =>
  builder.objectRef<SecretsChange>(name).implement({
    description,
    fields: (t) => ({
      version: t.int({
        nullable: true,
        description: "The app's new secrets version: pass it to `deployApp(input: { secretsVersion })` to roll it out.",
        resolve: (c) => c.version,
      }),
      secrets: t.field({
        type: [AppSecretRef],
        description: 'Every secret of the app now (names and digests).',
        resolve: (c) => c.secrets,
      }),
    }),
  });

const changeOf = (answer: FlySecretsUpdate): SecretsChange => ({ version: versionOf(answer), secrets: answer.secrets ?? [] });

operationMutation('setSecrets', {
  description:
    'Sets secrets of an app (one new secrets version). Machines see them once they are updated with that version (`deployApp` with `secretsVersion`). Needs the `secrets` scope.',
  input: SetSecretsInput,
  operation: updateSecrets,
  toInput: ({ app, values }) => ({ app, values: Object.fromEntries(values.map((v) => [v.name, v.value])) }),
  success: { type: secretsChangeType('SetSecretsSuccess', 'The secrets were set.'), shape: changeOf },
  scope: 'secrets',
});

operationMutation('unsetSecrets', {
  description: 'Removes secrets of an app (one new secrets version); names it does not have are ignored. Needs the `secrets` scope.',
  input: UnsetSecretsInput,
  operation: updateSecrets,
  toInput: ({ app, names }) => ({ app, values: Object.fromEntries(names.map((name) => [name, null])) }),
  success: { type: secretsChangeType('UnsetSecretsSuccess', 'The secrets were removed.'), shape: changeOf },
  scope: 'secrets',
});

const SetSecretInput = builder.inputType('SetSecretInput', {
  fields: (t) => ({
    app: appField(t),
    name: t.string({ required: true, validate: { schema: envNameSchema } }),
    value: t.string({
      required: true,
      description: 'Write-only: sent to Fly and never shown again.',
      validate: { schema: secretValueSchema },
    }),
  }),
});

const DeleteSecretInput = builder.inputType('DeleteSecretInput', {
  fields: (t) => ({ app: appField(t), name: t.string({ required: true, validate: { schema: envNameSchema } }) }),
});

operationMutation('setSecret', {
  description: 'Sets one secret (one new secrets version), as `setSecrets` with one value. Needs the `secrets` scope.',
  input: SetSecretInput,
  operation: setSecret,
  toInput: ({ app, name, value }) => ({ app, name, value }),
  success: {
    type: builder.objectRef<{ secret: FlyAppSecret; version: number | null }>('SetSecretSuccess').implement({
      description: 'The secret was set.',
      fields: (t) => ({
        secret: t.field({ type: AppSecretRef, description: 'Its name and new digest.', resolve: (c) => c.secret }),
        version: t.int({ nullable: true, description: "The app's new secrets version.", resolve: (c) => c.version }),
      }),
    }),
    shape: (answer) => ({ secret: answer, version: versionOf(answer) }),
  },
  scope: 'secrets',
});

operationMutation('deleteSecret', {
  description: 'Removes one secret (one new secrets version); NOT_FOUND when the app has none of that name. Needs the `secrets` scope.',
  input: DeleteSecretInput,
  operation: deleteSecret,
  toInput: ({ app, name }) => ({ app, name }),
  success: {
    type: builder.objectRef<{ version: number | null }>('DeleteSecretSuccess').implement({
      description: 'The secret was removed.',
      fields: (t) => ({ version: t.int({ nullable: true, description: "The app's new secrets version.", resolve: (c) => c.version }) }),
    }),
    shape: (answer) => ({ version: versionOf(answer) }),
  },
  scope: 'secrets',
});

/** What storing or generating a key answers. */
interface KeyChange {
  secretKey: FlySecretKey;
  version: number | null;
}

const keyChangeType = (name: string, description: string) =>
  builder.objectRef<KeyChange>(name).implement({
    description,
    fields: (t) => ({
      secretKey: t.field({ type: SecretKeyRef, resolve: (c) => c.secretKey }),
      version: t.int({ nullable: true, description: "The app's new secrets version.", resolve: (c) => c.version }),
    }),
  });
const keyChangeOf = (answer: FlySetSecretKey): KeyChange => ({ secretKey: answer, version: versionOf(answer) });

const SetSecretKeyInput = builder.inputType('SetSecretKeyInput', {
  fields: (t) => ({
    app: appField(t),
    name: keyNameField(t),
    type: t.string({ required: true, validate: { schema: keyTypeSchema } }),
    value: bytesField(t, 'The key material (write-only)'),
  }),
});

const GenerateSecretKeyInput = builder.inputType('GenerateSecretKeyInput', {
  fields: (t) => ({ app: appField(t), name: keyNameField(t), type: t.string({ required: true, validate: { schema: keyTypeSchema } }) }),
});

const SecretKeyTargetInput = builder.inputType('DeleteSecretKeyInput', {
  fields: (t) => ({ app: appField(t), name: keyNameField(t) }),
});

operationMutation('setSecretKey', {
  description: 'Stores a key the caller made under a name (replacing one of that name). Needs the `secrets` scope.',
  input: SetSecretKeyInput,
  operation: setSecretKey,
  toInput: ({ app, name, type, value }) => ({ app, name, type, value: fromBase64(value) }),
  success: { type: keyChangeType('SetSecretKeySuccess', 'The key was stored.'), shape: keyChangeOf },
  scope: 'secrets',
});

operationMutation('generateSecretKey', {
  description: 'Has Fly make a new key of a type under a name; its material never leaves Fly. Needs the `secrets` scope.',
  input: GenerateSecretKeyInput,
  operation: generateSecretKey,
  toInput: ({ app, name, type }) => ({ app, name, type }),
  success: { type: keyChangeType('GenerateSecretKeySuccess', 'The key was made.'), shape: keyChangeOf },
  scope: 'secrets',
});

operationMutation('deleteSecretKey', {
  description: 'Deletes a secret key. Needs the `secrets` scope.',
  input: SecretKeyTargetInput,
  operation: deleteSecretKey,
  toInput: ({ app, name }) => ({ app, name }),
  success: {
    type: builder.objectRef<{ version: number | null }>('DeleteSecretKeySuccess').implement({
      description: 'The key was deleted.',
      fields: (t) => ({ version: t.int({ nullable: true, description: "The app's new secrets version.", resolve: (c) => c.version }) }),
    }),
    shape: (answer) => ({ version: versionOf(answer) }),
  },
  scope: 'secrets',
});

const EncryptInput = builder.inputType('EncryptWithSecretKeyInput', {
  fields: (t) => ({
    app: appField(t),
    name: keyNameField(t),
    plaintext: bytesField(t, 'What to encrypt (write-only)'),
    associatedData: optionalBytesField(t, 'Data authenticated with the ciphertext but not encrypted'),
  }),
});

const DecryptInput = builder.inputType('DecryptWithSecretKeyInput', {
  fields: (t) => ({
    app: appField(t),
    name: keyNameField(t),
    ciphertext: bytesField(t, 'What `encryptWithSecretKey` answered'),
    associatedData: optionalBytesField(t, 'The associated data given to the encryption'),
  }),
});

const SignInput = builder.inputType('SignWithSecretKeyInput', {
  fields: (t) => ({ app: appField(t), name: keyNameField(t), message: bytesField(t, 'What to sign (write-only)') }),
});

const VerifyInput = builder.inputType('VerifyWithSecretKeyInput', {
  fields: (t) => ({
    app: appField(t),
    name: keyNameField(t),
    message: bytesField(t, 'The signed message'),
    signature: bytesField(t, 'The signature to check'),
  }),
});

const bytesPayload = (name: string, field: string, description: string) =>
  builder.objectRef<{ bytes: Uint8Array }>(name).implement({
    description,
    fields: (t) => ({ [field]: t.string({ description: 'Base64.', resolve: (p) => toBase64(p.bytes) }) }),
  });

const optionalBytes = (text: string | null | undefined) => (text ? fromBase64(text) : undefined);

operationMutation('encryptWithSecretKey', {
  description: "Encrypts bytes with one of the app's keys (an AEAD key). Needs the `secrets` scope.",
  input: EncryptInput,
  operation: encryptWithSecretKey,
  toInput: ({ app, name, plaintext, associatedData }) => ({
    app,
    name,
    data: fromBase64(plaintext),
    associatedData: optionalBytes(associatedData),
  }),
  success: { type: bytesPayload('EncryptWithSecretKeySuccess', 'ciphertext', 'The ciphertext.'), shape: (bytes) => ({ bytes }) },
  scope: 'secrets',
});

operationMutation('decryptWithSecretKey', {
  description:
    'Decrypts what `encryptWithSecretKey` made. The plaintext is answered to this caller only: never cached, logged or traced. Needs the `secrets` scope.',
  input: DecryptInput,
  operation: decryptWithSecretKey,
  toInput: ({ app, name, ciphertext, associatedData }) => ({
    app,
    name,
    data: fromBase64(ciphertext),
    associatedData: optionalBytes(associatedData),
  }),
  success: { type: bytesPayload('DecryptWithSecretKeySuccess', 'plaintext', 'The plaintext, shown once.'), shape: (bytes) => ({ bytes }) },
  scope: 'secrets',
});

operationMutation('signWithSecretKey', {
  description: "Signs bytes with one of the app's signing keys. Needs the `secrets` scope.",
  input: SignInput,
  operation: signWithSecretKey,
  toInput: ({ app, name, message }) => ({ app, name, data: fromBase64(message) }),
  success: { type: bytesPayload('SignWithSecretKeySuccess', 'signature', 'The signature.'), shape: (bytes) => ({ bytes }) },
  scope: 'secrets',
});

const VerifySuccess = builder.objectRef<{ valid: boolean }>('VerifyWithSecretKeySuccess').implement({
  description: 'Whether the signature holds.',
  fields: (t) => ({ valid: t.exposeBoolean('valid', { description: 'False when the message or the signature was changed.' }) }),
});

builder.mutationField('verifyWithSecretKey', (t) =>
  t.field({
    type: VerifySuccess,
    description:
      "Checks a signature made with one of the app's signing keys. Fly answers a signature that does not hold with 400: that is `valid: false`, not an error. Needs the `secrets` scope.",
    extensions: { scope: 'secrets' },
    errors: machineMutationErrors('VerifyWithSecretKeyResult'),
    args: { input: t.arg({ type: VerifyInput, required: true }) },
    resolve: async (_root, { input }, ctx) =>
      runMachineMutation(
        ctx,
        input.app,
        async () => {
          const call = { app: input.app, name: input.name, data: fromBase64(input.message), signature: fromBase64(input.signature) };
          try {
            await asCallerWrite(ctx, input.app, () => ctx.services.fly.call(verifyWithSecretKey, call, { signal: ctx.signal }));
            return { valid: true };
          } catch (error) {
            if (isFlyApiError(error) && error.httpStatus === 400) return { valid: false };
            rethrowAsUserFacing(error);
          }
        },
        () => undefined,
      ),
  }),
);
