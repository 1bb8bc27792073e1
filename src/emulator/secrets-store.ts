/**
 * App secrets and secret keys as the emulator keeps them: one store per emulator, one version counter per app that
 * every change of either moves on (Fly's `min_version` and `min_secrets_version` name it), and the secrets version
 * each machine was last created or updated with. Values and key material stay in this process; nothing here is
 * serialized except through the routes, which leave them out unless a caller asks with `show_secrets`.
 */
import { createHash } from 'node:crypto';

/** One secret of an app. */
export interface SecretRecord {
  name: string;
  value: string;
  createdAtMs: number;
  updatedAtMs: number;
}

/** One secret key of an app: symmetric material, or an Ed25519 seed and its public key. */
export interface SecretKeyRecord {
  name: string;
  type: SecretKeyType;
  material: Buffer;
  publicKey?: Buffer;
  createdAtMs: number;
  updatedAtMs: number;
}

/**
 * Key types the emulator knows: `hs256` (HMAC-SHA256 sign/verify), `aes256gcm` (AES-256-GCM encrypt/decrypt with a
 * random 12-byte nonce in front of the ciphertext) and `ed25519` (Ed25519 sign/verify; the public key is shown).
 */
export const SECRET_KEY_TYPES = ['hs256', 'aes256gcm', 'ed25519'] as const;
/** One of {@link SECRET_KEY_TYPES}. */
export type SecretKeyType = (typeof SECRET_KEY_TYPES)[number];

interface AppSecrets {
  version: number;
  secrets: Map<string, SecretRecord>;
  keys: Map<string, SecretKeyRecord>;
}

/** The secrets side of the emulator's state. */
export interface SecretsStore {
  /** The app's secrets and keys (created empty, at version 0, on first use). */
  of(app: string): AppSecrets;
  /** Moves the app's secrets version on and tells the listener; returns the new version. */
  bump(app: string): number;
  /** Forgets an app's secrets (the app was destroyed). */
  drop(app: string): void;
  /** Records the secrets version a machine now runs with (undefined: it skipped secrets). */
  runWith(machineId: string, version: number | undefined): void;
  /** The secrets version a machine was last created or updated with. */
  versionOf(machineId: string): number | undefined;
}

/** Fly shows a digest of each value instead of the value: a short, stable hash. */
export function secretDigest(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 16);
}

/** Creates an empty store; `changed` hears every new version (the emulator's change notices). */
export function createSecretsStore(changed: (app: string, version: number) => void = () => undefined): SecretsStore {
  const apps = new Map<string, AppSecrets>();
  const machines = new Map<string, number | undefined>();
  const store: SecretsStore = {
    of(app) {
      let entry = apps.get(app);
      if (!entry) {
        entry = { version: 0, secrets: new Map(), keys: new Map() };
        apps.set(app, entry);
      }
      return entry;
    },
    bump(app) {
      const entry = store.of(app);
      entry.version += 1;
      changed(app, entry.version);
      return entry.version;
    },
    drop: (app) => void apps.delete(app),
    runWith: (machineId, version) => void machines.set(machineId, version),
    versionOf: (machineId) => machines.get(machineId),
  };
  return store;
}
