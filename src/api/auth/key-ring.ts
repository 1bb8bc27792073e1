import { createKeyVerifier, entryIdentity, type KeyEntry } from './keys.js';

/** A key a request presented, found among the accepted entries, with the signal that ends what it opened. */
export interface AcceptedKey {
  entry: KeyEntry;
  /**
   * Aborts when a reload removes the entry (or changes its scopes or apps): its open streams end then. Absent for
   * the fixed entries of `API_KEYS`, which only a restart removes.
   */
  revoked?: AbortSignal;
}

/** What one {@link KeyRing.replace} did, by count (never names or hashes: this is logged). */
export interface KeyReload {
  kept: number;
  added: number;
  removed: number;
}

/**
 * The API keys a gateway accepts now: the fixed entries of `API_KEYS` and the reloadable ones of `API_KEYS_FILE`.
 * A reload swaps the file's entries at once; an entry that stays (same key, name, scopes and apps) keeps its
 * streams open, one that goes (or changes) has its revocation signal aborted, which ends them.
 */
export interface KeyRing {
  /** The entry a presented key belongs to (constant-time comparison with every entry), or undefined. */
  verify(key: string): AcceptedKey | undefined;
  /** Replaces the reloadable entries. */
  replace(entries: readonly KeyEntry[]): KeyReload;
  /** How many entries are accepted now. */
  size(): number;
}

/** Builds a {@link KeyRing} from the fixed entries and the first reloadable ones. */
export function createKeyRing(fixed: readonly KeyEntry[], reloadable: readonly KeyEntry[] = []): KeyRing {
  // One controller per reloadable identity: duplicates of an entry share it.
  let live = new Map<string, AbortController>();
  let current: KeyEntry[] = [];
  let verify = createKeyVerifier(fixed);
  const fixedSet = new Set(fixed);

  const replace = (entries: readonly KeyEntry[]): KeyReload => {
    const next = new Map<string, AbortController>();
    let kept = 0;
    let added = 0;
    for (const entry of entries) {
      const id = entryIdentity(entry);
      if (next.has(id)) continue;
      const existing = live.get(id);
      if (existing) kept += 1;
      else added += 1;
      next.set(id, existing ?? new AbortController());
    }
    let removed = 0;
    for (const [id, controller] of live) {
      if (next.has(id)) continue;
      removed += 1;
      controller.abort(new Error('API key removed'));
    }
    live = next;
    current = [...entries];
    verify = createKeyVerifier([...fixed, ...current]);
    return { kept, added, removed };
  };
  replace(reloadable);

  return {
    verify(key) {
      const entry = verify(key);
      if (!entry) return undefined;
      const revoked = fixedSet.has(entry) ? undefined : live.get(entryIdentity(entry))?.signal;
      return revoked ? { entry, revoked } : { entry };
    },
    replace,
    size: () => fixed.length + current.length,
  };
}
