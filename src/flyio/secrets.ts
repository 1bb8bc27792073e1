/**
 * App secrets and secret keys (`/v1/apps/{app}/secrets`, `/v1/apps/{app}/secretkeys`), each a declared operation.
 * Values, key material, plaintexts and messages go out in request bodies only; no declaration puts one in a path or
 * query (which spans and logs show), and the wire schemas drop values from what comes back.
 */
import { defineOperation } from './operation.js';
import {
  flyAppSecretSchema,
  flyAppSecretsSchema,
  flyDecryptSchema,
  flyEncryptSchema,
  flySecretKeySchema,
  flySecretKeysSchema,
  flySecretsUpdateSchema,
  flySecretsVersionSchema,
  flySetSecretKeySchema,
  flySetSecretSchema,
  flySignSchema,
  type FlyAppSecret,
  type FlySecretKey,
  type FlySecretsUpdate,
  type FlySecretsVersion,
  type FlySetSecret,
  type FlySetSecretKey,
} from './wire/secrets.js';

const SECRETS = '/apps/{app}/secrets';
const KEYS = '/apps/{app}/secretkeys';
/** Every secrets operation reads or changes the app's `secrets` collection (its own cache tag). */
const onApp = ({ app }: { app: string }) => ({ app, collection: 'secrets' as const });

/** An app, and the secrets version a read must see at least (read-your-writes after a change). */
export interface SecretsReadInput {
  app: string;
  minVersion?: number;
}

/** One named secret or key of an app. */
export interface NamedSecretInput extends SecretsReadInput {
  name: string;
}

/** `GET …/secrets`: names, digests and times; values are never asked for. Cached as long as the app. */
export const listSecrets = defineOperation<SecretsReadInput, FlyAppSecret[]>({
  name: 'secrets.list',
  method: 'GET',
  path: SECRETS,
  query: ({ minVersion }) => ({ min_version: minVersion }),
  response: flyAppSecretsSchema.transform((body) => body.secrets ?? []),
  target: onApp,
  cache: 'app',
});

/** Input of {@link updateSecrets}: a value to set, or null to unset, per name. */
export interface UpdateSecretsInput {
  app: string;
  values: Record<string, string | null>;
}

/** `POST …/secrets`: sets and unsets several secrets at once, as one new secrets version. */
export const updateSecrets = defineOperation<UpdateSecretsInput, FlySecretsUpdate>({
  name: 'secrets.update',
  method: 'POST',
  path: SECRETS,
  body: ({ values }) => ({ values }),
  response: flySecretsUpdateSchema,
  target: onApp,
});

/** `GET …/secrets/{name}`: one secret's name, digest and times. */
export const getSecret = defineOperation<NamedSecretInput, FlyAppSecret>({
  name: 'secrets.get',
  method: 'GET',
  path: `${SECRETS}/{name}`,
  query: ({ minVersion }) => ({ min_version: minVersion }),
  response: flyAppSecretSchema,
  target: onApp,
  cache: 'app',
});

/** Input of {@link setSecret}. */
export interface SetSecretInput {
  app: string;
  name: string;
  value: string;
}

/** `POST …/secrets/{name}`: sets one secret (a new secrets version). */
export const setSecret = defineOperation<SetSecretInput, FlySetSecret>({
  name: 'secrets.set',
  method: 'POST',
  path: `${SECRETS}/{name}`,
  body: ({ value }) => ({ value }),
  response: flySetSecretSchema,
  target: onApp,
});

/** `DELETE …/secrets/{name}`: unsets one secret (a new secrets version). */
export const deleteSecret = defineOperation<{ app: string; name: string }, FlySecretsVersion>({
  name: 'secrets.delete',
  method: 'DELETE',
  path: `${SECRETS}/{name}`,
  response: flySecretsVersionSchema,
  target: onApp,
});

/** `GET …/secretkeys`: the app's keys (names, types, public keys). Cached as long as the app. */
export const listSecretKeys = defineOperation<SecretsReadInput & { types?: readonly string[] }, FlySecretKey[]>({
  name: 'secretkeys.list',
  method: 'GET',
  path: KEYS,
  query: ({ minVersion, types }) => ({ min_version: minVersion, types: types && types.length > 0 ? types : undefined }),
  response: flySecretKeysSchema.transform((body) => body.secret_keys ?? []),
  target: onApp,
  cache: 'app',
});

/** `GET …/secretkeys/{name}`: one key. */
export const getSecretKey = defineOperation<NamedSecretInput, FlySecretKey>({
  name: 'secretkeys.get',
  method: 'GET',
  path: `${KEYS}/{name}`,
  query: ({ minVersion }) => ({ min_version: minVersion }),
  response: flySecretKeySchema,
  target: onApp,
  cache: 'app',
});

/** Input of {@link setSecretKey}: the key's type and its material. */
export interface SetSecretKeyInput {
  app: string;
  name: string;
  type: string;
  value: Uint8Array;
}

/** `POST …/secretkeys/{name}`: stores a key the caller made (a new secrets version). */
export const setSecretKey = defineOperation<SetSecretKeyInput, FlySetSecretKey>({
  name: 'secretkeys.set',
  method: 'POST',
  path: `${KEYS}/{name}`,
  body: ({ type, value }) => ({ type, value: [...value] }),
  response: flySetSecretKeySchema,
  target: onApp,
});

/** `POST …/secretkeys/{name}/generate`: Fly makes a key of the type (a new secrets version). */
export const generateSecretKey = defineOperation<{ app: string; name: string; type: string }, FlySetSecretKey>({
  name: 'secretkeys.generate',
  method: 'POST',
  path: `${KEYS}/{name}/generate`,
  body: ({ type }) => ({ type }),
  response: flySetSecretKeySchema,
  target: onApp,
});

/** `DELETE …/secretkeys/{name}` (a new secrets version). */
export const deleteSecretKey = defineOperation<{ app: string; name: string }, FlySecretsVersion>({
  name: 'secretkeys.delete',
  method: 'DELETE',
  path: `${KEYS}/{name}`,
  response: flySecretsVersionSchema,
  target: onApp,
});

/** Input of the cipher operations: the bytes and, for AEAD, the associated data. */
export interface CipherInput {
  app: string;
  name: string;
  data: Uint8Array;
  associatedData?: Uint8Array;
}

const bytesOut = (bytes: number[]) => Uint8Array.from(bytes);

/** `POST …/secretkeys/{name}/encrypt`. */
export const encryptWithSecretKey = defineOperation<CipherInput, Uint8Array>({
  name: 'secretkeys.encrypt',
  method: 'POST',
  path: `${KEYS}/{name}/encrypt`,
  body: ({ data, associatedData }) => ({ plaintext: [...data], associated_data: associatedData && [...associatedData] }),
  response: flyEncryptSchema.transform((body) => bytesOut(body.ciphertext)),
  target: onApp,
});

/** `POST …/secretkeys/{name}/decrypt`: the plaintext goes to the caller only (never cached: not a GET). */
export const decryptWithSecretKey = defineOperation<CipherInput, Uint8Array>({
  name: 'secretkeys.decrypt',
  method: 'POST',
  path: `${KEYS}/{name}/decrypt`,
  body: ({ data, associatedData }) => ({ ciphertext: [...data], associated_data: associatedData && [...associatedData] }),
  response: flyDecryptSchema.transform((body) => bytesOut(body.plaintext)),
  target: onApp,
});

/** `POST …/secretkeys/{name}/sign`. */
export const signWithSecretKey = defineOperation<CipherInput, Uint8Array>({
  name: 'secretkeys.sign',
  method: 'POST',
  path: `${KEYS}/{name}/sign`,
  body: ({ data }) => ({ plaintext: [...data] }),
  response: flySignSchema.transform((body) => bytesOut(body.signature)),
  target: onApp,
});

/** Input of {@link verifyWithSecretKey}. */
export interface VerifyInput extends CipherInput {
  signature: Uint8Array;
}

/** `POST …/secretkeys/{name}/verify`: 204 when the signature holds; Fly answers 400 when it does not. */
export const verifyWithSecretKey = defineOperation<VerifyInput, void>({
  name: 'secretkeys.verify',
  method: 'POST',
  path: `${KEYS}/{name}/verify`,
  body: ({ data, signature }) => ({ plaintext: [...data], signature: [...signature] }),
  target: onApp,
});

/** The new secrets version from a write's answer (`Version` is the deprecated spelling). */
export function versionOf(answer: { version?: number; Version?: number }): number | null {
  return answer.version ?? answer.Version ?? null;
}
