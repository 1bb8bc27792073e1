import { z } from 'zod';
import { optionalInt, optionalString } from './common.js';

/*
 * Secrets and secret keys. Unlike the other wire schemas these objects are not `loose`: zod drops every field not
 * named here, so a secret's `value` (which Fly sends with `show_secrets`, and may one day send unasked) never gets
 * past the boundary, into the read cache or to a resolver.
 */

/** Bytes as Fly sends them: a JSON array of integers 0-255. */
export const flyBytesSchema = z.array(z.number().int().min(0).max(255));

/** `AppSecret`, without its value. */
export const flyAppSecretSchema = z.object({
  name: z.string(),
  digest: optionalString,
  created_at: optionalString,
  updated_at: optionalString,
});
export type FlyAppSecret = z.infer<typeof flyAppSecretSchema>;

/** `AppSecrets`: the list. */
export const flyAppSecretsSchema = z.object({ secrets: z.array(flyAppSecretSchema).nullish() });

/** `AppSecretsUpdateResp`: the new version and the secrets as they now are. */
export const flySecretsUpdateSchema = z.object({
  version: optionalInt,
  Version: optionalInt,
  secrets: z.array(flyAppSecretSchema).nullish(),
});
export type FlySecretsUpdate = z.infer<typeof flySecretsUpdateSchema>;

/** `SetAppSecretResponse`, without its value. */
export const flySetSecretSchema = flyAppSecretSchema.extend({ version: optionalInt, Version: optionalInt });
export type FlySetSecret = z.infer<typeof flySetSecretSchema>;

/** `DeleteAppSecretResponse` and `DeleteSecretkeyResponse`. */
export const flySecretsVersionSchema = z.object({ version: optionalInt, Version: optionalInt });
export type FlySecretsVersion = z.infer<typeof flySecretsVersionSchema>;

/** `SecretKey`: its name, type and (for key pairs) public key; key material is never sent. */
export const flySecretKeySchema = z.object({
  name: z.string(),
  type: optionalString,
  public_key: flyBytesSchema.nullish(),
  created_at: optionalString,
  updated_at: optionalString,
});
export type FlySecretKey = z.infer<typeof flySecretKeySchema>;

/** `SecretKeys`: the list. */
export const flySecretKeysSchema = z.object({ secret_keys: z.array(flySecretKeySchema).nullish() });

/** `SetSecretkeyResponse`: the key as stored and the new version. */
export const flySetSecretKeySchema = flySecretKeySchema.extend({ version: optionalInt, Version: optionalInt });
export type FlySetSecretKey = z.infer<typeof flySetSecretKeySchema>;

/** `EncryptSecretkeyResponse`. */
export const flyEncryptSchema = z.object({ ciphertext: flyBytesSchema });
/** `DecryptSecretkeyResponse`. */
export const flyDecryptSchema = z.object({ plaintext: flyBytesSchema });
/** `SignSecretkeyResponse`. */
export const flySignSchema = z.object({ signature: flyBytesSchema });
