/**
 * App secrets and secret keys (MACHINES-API.md §2.5): `/v1/apps/{app}/secrets` and `/v1/apps/{app}/secretkeys`.
 * Values are answered only with `show_secrets=true`; key material never. Crypto is real (node:crypto), so a
 * signature over a changed message does not verify and a changed ciphertext does not decrypt.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createPrivateKey,
  createPublicKey,
  randomBytes,
  sign,
  timingSafeEqual,
  verify,
} from 'node:crypto';
import type { Handlers, RouteContext } from '../context.js';
import { flyError } from '../http-error.js';
import { flag, objectBody } from '../request-helpers.js';
import { SECRET_KEY_TYPES, secretDigest, type SecretKeyRecord, type SecretKeyType, type SecretRecord } from '../secrets-store.js';

const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,255}$/;
const KEY_NAME = /^[A-Za-z0-9_.-]{1,128}$/;
const MAX_VALUE_BYTES = 64 * 1024;
/** DER prefix of a PKCS#8 Ed25519 private key; the 32-byte seed follows. */
const ED25519_PKCS8 = Buffer.from('302e020100300506032b657004220420', 'hex');

const rfc = (ms: number): string => new Date(ms).toISOString();

function secretToWire(s: SecretRecord, showValue: boolean): Record<string, unknown> {
  const wire: Record<string, unknown> = {
    name: s.name,
    digest: secretDigest(s.value),
    created_at: rfc(s.createdAtMs),
    updated_at: rfc(s.updatedAtMs),
  };
  if (showValue) wire.value = s.value;
  return wire;
}

function keyToWire(k: SecretKeyRecord): Record<string, unknown> {
  const wire: Record<string, unknown> = { name: k.name, type: k.type, created_at: rfc(k.createdAtMs), updated_at: rfc(k.updatedAtMs) };
  if (k.publicKey) wire.public_key = [...k.publicKey];
  return wire;
}

function secretName(raw: string): string {
  if (!SECRET_NAME.test(raw)) throw flyError(400, 'secret names must be letters, digits and underscores, not starting with a digit');
  return raw;
}

function keyName(raw: string): string {
  if (!KEY_NAME.test(raw)) throw flyError(400, 'secret key names must be 1-128 letters, digits, ".", "_" or "-"');
  return raw;
}

function secretValue(raw: unknown, name: string): string {
  if (typeof raw !== 'string') throw flyError(400, `the value of ${name} must be a string`);
  if (Buffer.byteLength(raw) > MAX_VALUE_BYTES) throw flyError(400, `the value of ${name} is longer than ${MAX_VALUE_BYTES} bytes`);
  return raw;
}

/** A JSON array of integers 0-255 as bytes (the spec's byte arrays); `what` names the field in errors. */
function bytes(raw: unknown, what: string, required = true): Buffer {
  if (raw === undefined || raw === null) {
    if (required) throw flyError(400, `${what} is required`);
    return Buffer.alloc(0);
  }
  if (!Array.isArray(raw) || !raw.every((b) => Number.isInteger(b) && (b as number) >= 0 && (b as number) <= 255)) {
    throw flyError(400, `${what} must be an array of bytes (integers 0-255)`);
  }
  return Buffer.from(raw as number[]);
}

function keyType(raw: unknown): SecretKeyType {
  if (typeof raw === 'string' && (SECRET_KEY_TYPES as readonly string[]).includes(raw)) return raw as SecretKeyType;
  throw flyError(400, `type must be one of ${SECRET_KEY_TYPES.join(', ')}`);
}

/** The material a key of `type` needs (32 bytes for each known type) and its public half, when it has one. */
function keyMaterial(type: SecretKeyType, material: Buffer): { material: Buffer; publicKey?: Buffer } {
  if (material.length !== 32) throw flyError(400, `a ${type} key is 32 bytes`);
  if (type !== 'ed25519') return { material };
  const publicKey = createPublicKey(ed25519Private(material)).export({ format: 'der', type: 'spki' }).subarray(-32);
  return { material, publicKey };
}

const ed25519Private = (seed: Buffer) => createPrivateKey({ key: Buffer.concat([ED25519_PKCS8, seed]), format: 'der', type: 'pkcs8' });

function encrypt(key: SecretKeyRecord, plaintext: Buffer, aad: Buffer): Buffer {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key.material, nonce);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]);
}

function decrypt(key: SecretKeyRecord, ciphertext: Buffer, aad: Buffer): Buffer {
  if (ciphertext.length < 28) throw flyError(400, 'ciphertext is too short');
  const decipher = createDecipheriv('aes-256-gcm', key.material, ciphertext.subarray(0, 12));
  decipher.setAAD(aad);
  decipher.setAuthTag(ciphertext.subarray(-16));
  try {
    return Buffer.concat([decipher.update(ciphertext.subarray(12, -16)), decipher.final()]);
  } catch {
    throw flyError(400, 'decryption failed: the ciphertext or associated data was altered, or another key made it');
  }
}

function signWith(key: SecretKeyRecord, message: Buffer): Buffer {
  if (key.type === 'hs256') return createHmac('sha256', key.material).update(message).digest();
  return sign(null, message, ed25519Private(key.material));
}

function verifies(key: SecretKeyRecord, message: Buffer, signature: Buffer): boolean {
  if (key.type === 'hs256') {
    const expected = signWith(key, message);
    return signature.length === expected.length && timingSafeEqual(signature, expected);
  }
  return verify(null, message, createPublicKey(ed25519Private(key.material)), signature);
}

function requireKind(key: SecretKeyRecord, kinds: readonly SecretKeyType[], action: string): void {
  if (!kinds.includes(key.type)) throw flyError(400, `a ${key.type} key cannot ${action}`);
}

/** `min_version`: a read asking for a newer version than the app has is refused (the caller wrote to another app?). */
function checkMinVersion(query: URLSearchParams, current: number): void {
  const raw = query.get('min_version');
  if (raw === null || raw === '') return;
  const wanted = Number(raw);
  if (!Number.isInteger(wanted) || wanted < 0) throw flyError(400, `invalid min_version: ${raw}`);
  if (wanted > current) throw flyError(400, `secrets version ${wanted} does not exist yet (the app is at ${current})`);
}

/**
 * The secrets version a machine create or update runs with: `min_secrets_version` when given (422 when the app
 * has no such version yet), none with `skip_secrets`, else the app's current version.
 */
export function machineSecretsVersion(ctx: RouteContext, app: string, input: Record<string, unknown>): number | undefined {
  if (input.skip_secrets === true) return undefined;
  const current = ctx.secrets.of(app).version;
  const wanted = input.min_secrets_version;
  if (wanted === undefined || wanted === null) return current;
  if (typeof wanted !== 'number' || !Number.isInteger(wanted) || wanted < 0)
    throw flyError(400, 'min_secrets_version must be a non-negative integer');
  if (wanted > current) throw flyError(422, `secrets version ${wanted} not found for app ${app} (it is at ${current})`);
  return current;
}

/** Handlers for app secrets and secret keys. */
export function secretRoutes(ctx: RouteContext): Handlers {
  const { store, clock, secrets } = ctx;
  const appSecrets = (app: string) => {
    store.getApp(app);
    return secrets.of(app);
  };
  const findKey = (app: string, raw: string) => {
    const key = appSecrets(app).keys.get(raw);
    if (!key) throw flyError(404, `secret key not found: ${raw}`);
    return key;
  };
  const putKey = (app: string, name: string, type: SecretKeyType, material: Buffer) => {
    const entry = appSecrets(app);
    const now = clock.now();
    const record: SecretKeyRecord = {
      name,
      type,
      ...keyMaterial(type, material),
      createdAtMs: entry.keys.get(name)?.createdAtMs ?? now,
      updatedAtMs: now,
    };
    entry.keys.set(name, record);
    const version = secrets.bump(app);
    return { status: 201, body: { ...keyToWire(record), version, Version: version } };
  };

  return {
    'secrets.list': ({ params, query }) => {
      const entry = appSecrets(params.app_name);
      checkMinVersion(query, entry.version);
      const show = flag(query, 'show_secrets');
      return { status: 200, body: { secrets: [...entry.secrets.values()].map((s) => secretToWire(s, show)) } };
    },
    'secrets.update': ({ params, body }) => {
      const entry = appSecrets(params.app_name);
      const values = objectBody(body).values;
      if (typeof values !== 'object' || values === null || Array.isArray(values) || Object.keys(values).length === 0) {
        throw flyError(400, 'values must be an object of at least one NAME: value (or null to unset)');
      }
      const changes = Object.entries(values as Record<string, unknown>).map(
        ([name, value]) => [secretName(name), value === null ? null : secretValue(value, name)] as const,
      );
      const now = clock.now();
      for (const [name, value] of changes) {
        if (value === null) entry.secrets.delete(name);
        else entry.secrets.set(name, { name, value, createdAtMs: entry.secrets.get(name)?.createdAtMs ?? now, updatedAtMs: now });
      }
      const version = secrets.bump(params.app_name);
      return { status: 200, body: { version, Version: version, secrets: [...entry.secrets.values()].map((s) => secretToWire(s, false)) } };
    },
    'secrets.get': ({ params, query }) => {
      const entry = appSecrets(params.app_name);
      checkMinVersion(query, entry.version);
      const secret = entry.secrets.get(params.secret_name);
      if (!secret) throw flyError(404, `secret not found: ${params.secret_name}`);
      return { status: 200, body: secretToWire(secret, flag(query, 'show_secrets')) };
    },
    'secrets.set': ({ params, body }) => {
      const entry = appSecrets(params.app_name);
      const name = secretName(params.secret_name);
      const value = secretValue(objectBody(body).value, name);
      const now = clock.now();
      const record = { name, value, createdAtMs: entry.secrets.get(name)?.createdAtMs ?? now, updatedAtMs: now };
      entry.secrets.set(name, record);
      const version = secrets.bump(params.app_name);
      return { status: 201, body: { ...secretToWire(record, false), version, Version: version } };
    },
    'secrets.delete': ({ params }) => {
      const entry = appSecrets(params.app_name);
      if (!entry.secrets.delete(params.secret_name)) throw flyError(404, `secret not found: ${params.secret_name}`);
      const version = secrets.bump(params.app_name);
      return { status: 200, body: { version, Version: version } };
    },
    'secretkeys.list': ({ params, query }) => {
      const entry = appSecrets(params.app_name);
      checkMinVersion(query, entry.version);
      const types = (query.get('types') ?? '')
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean);
      const keys = [...entry.keys.values()].filter((k) => types.length === 0 || types.includes(k.type));
      return { status: 200, body: { secret_keys: keys.map(keyToWire) } };
    },
    'secretkeys.get': ({ params, query }) => {
      checkMinVersion(query, appSecrets(params.app_name).version);
      return { status: 200, body: keyToWire(findKey(params.app_name, params.secret_name)) };
    },
    'secretkeys.set': ({ params, body }) => {
      const input = objectBody(body);
      const type = keyType(input.type);
      return putKey(params.app_name, keyName(params.secret_name), type, bytes(input.value, 'value'));
    },
    'secretkeys.generate': ({ params, body }) => {
      const type = keyType(objectBody(body).type);
      return putKey(params.app_name, keyName(params.secret_name), type, randomBytes(32));
    },
    'secretkeys.delete': ({ params }) => {
      const entry = appSecrets(params.app_name);
      if (!entry.keys.delete(params.secret_name)) throw flyError(404, `secret key not found: ${params.secret_name}`);
      const version = secrets.bump(params.app_name);
      return { status: 200, body: { version, Version: version } };
    },
    'secretkeys.encrypt': ({ params, body, query }) => {
      checkMinVersion(query, appSecrets(params.app_name).version);
      const key = findKey(params.app_name, params.secret_name);
      requireKind(key, ['aes256gcm'], 'encrypt');
      const input = objectBody(body);
      const ciphertext = encrypt(key, bytes(input.plaintext, 'plaintext'), bytes(input.associated_data, 'associated_data', false));
      return { status: 200, body: { ciphertext: [...ciphertext] } };
    },
    'secretkeys.decrypt': ({ params, body, query }) => {
      checkMinVersion(query, appSecrets(params.app_name).version);
      const key = findKey(params.app_name, params.secret_name);
      requireKind(key, ['aes256gcm'], 'decrypt');
      const input = objectBody(body);
      const plaintext = decrypt(key, bytes(input.ciphertext, 'ciphertext'), bytes(input.associated_data, 'associated_data', false));
      return { status: 200, body: { plaintext: [...plaintext] } };
    },
    'secretkeys.sign': ({ params, body, query }) => {
      checkMinVersion(query, appSecrets(params.app_name).version);
      const key = findKey(params.app_name, params.secret_name);
      requireKind(key, ['hs256', 'ed25519'], 'sign');
      return { status: 200, body: { signature: [...signWith(key, bytes(objectBody(body).plaintext, 'plaintext'))] } };
    },
    'secretkeys.verify': ({ params, body, query }) => {
      checkMinVersion(query, appSecrets(params.app_name).version);
      const key = findKey(params.app_name, params.secret_name);
      requireKind(key, ['hs256', 'ed25519'], 'verify');
      const input = objectBody(body);
      if (!verifies(key, bytes(input.plaintext, 'plaintext'), bytes(input.signature, 'signature')))
        throw flyError(400, 'signature verification failed');
      return { status: 204 };
    },
  };
}
