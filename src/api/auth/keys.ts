import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import { parseAppScope, type AppScope } from '../../services/app-scope.js';

/**
 * What a key may do: `read` (queries, subscriptions), `write` (mutations), `secrets` (the mutations that set or use
 * an app's secrets and secret keys: `write` alone does not reach them), `admin` (everything).
 */
export type Scope = 'read' | 'write' | 'secrets' | 'admin';

/** Every scope, in the order entries list them. */
export const SCOPES: readonly Scope[] = ['read', 'write', 'secrets', 'admin'];

/** One `name:scopes:sha256hex[:apps]` entry of `API_KEYS` (or a line of `API_KEYS_FILE`). */
export interface KeyEntry {
  name: string;
  scopes: ReadonlySet<Scope>;
  /** sha256 of the key, 32 bytes. */
  digest: Buffer;
  /** The apps the key may reach (names, prefixes ending in `*`, joined by `|`); absent: every app of the gateway. */
  apps?: AppScope;
}

/** Prefix of keys made by `npm run key:create`: easy to spot in a leaked file, and never a Fly token. */
export const KEY_PREFIX = 'fgk_';

/**
 * The sha256 of a presented key, as bytes. Every keyed request pays it (warm hits included), so it is the one-shot
 * `hash`, which costs about half of building a Hash object for one small input.
 */
export function keyDigest(key: string): Buffer {
  return hash('sha256', key, 'buffer');
}

/** Parses `read+write` into scopes; unknown words throw (the config schema already refuses them). */
export function parseScopes(text: string): Set<Scope> {
  const scopes = new Set<Scope>();
  for (const word of text.split('+')) {
    if (!(SCOPES as readonly string[]).includes(word)) throw new Error(`unknown scope "${word}" (expected read, write, secrets or admin)`);
    scopes.add(word as Scope);
  }
  return scopes;
}

/** Parses validated `API_KEYS` entries: `name:scopes:sha256hex`, optionally `:apps` (`web|api|team-a-*`). */
export function parseKeyEntries(entries: readonly string[]): KeyEntry[] {
  return entries.map((entry) => {
    const [name, scopes, hex, apps, ...rest] = entry.split(':');
    if (!name || !scopes || !hex || !/^[0-9a-f]{64}$/.test(hex) || rest.length > 0 || apps === '') {
      throw new Error('expected name:scopes:sha256hex or name:scopes:sha256hex:apps');
    }
    return { name, scopes: parseScopes(scopes), digest: Buffer.from(hex, 'hex'), ...(apps ? { apps: parseAppScope(apps) } : {}) };
  });
}

/**
 * Parses the text of a keys file: one entry per line, blank lines and `#` comments ignored. Throws naming the first
 * bad line (by number, never its text: it holds a key's hash).
 */
export function parseKeysFile(text: string): KeyEntry[] {
  const entries: KeyEntry[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    try {
      entries.push(...parseKeyEntries([line]));
    } catch (error) {
      throw new Error(`line ${index + 1}: ${(error as Error).message}`, { cause: error });
    }
  });
  return entries;
}

/** The identity of an entry: the same key with the same name, scopes and apps (what a reload keeps). */
export function entryIdentity(entry: KeyEntry): string {
  const scopes = SCOPES.filter((s) => entry.scopes.has(s)).join('+');
  return `${entry.name}:${scopes}:${entry.digest.toString('hex')}:${entry.apps?.text ?? ''}`;
}

/**
 * Finds the entry a presented key belongs to. The key is hashed once and compared with every entry's hash in
 * constant time, all of them, whether or not one already matched: neither timing nor early exit tells how close a
 * guess came or where in the list a key sits.
 */
export function createKeyVerifier(entries: readonly KeyEntry[]): (key: string) => KeyEntry | undefined {
  return (key) => {
    const presented = keyDigest(key);
    let found: KeyEntry | undefined;
    for (const entry of entries) {
      if (timingSafeEqual(presented, entry.digest) && !found) found = entry;
    }
    return found;
  };
}

/** A fresh key and the `API_KEYS` entry that accepts it (limited to `apps`, `web|api|team-a-*`, when given). */
export function createKey(name: string, scopes: ReadonlySet<Scope>, apps?: string): { key: string; entry: string } {
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new Error('the name may hold letters, digits, ".", "_" and "-" only');
  if (scopes.size === 0) throw new Error('give at least one scope: read, write, secrets or admin');
  const key = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  const ordered = SCOPES.filter((s) => scopes.has(s)).join('+');
  const suffix = apps === undefined ? '' : `:${parseAppScope(apps).text}`;
  return { key, entry: `${name}:${ordered}:${keyDigest(key).toString('hex')}${suffix}` };
}
