import { createHash } from 'node:crypto';
import type { Tracer } from '@opentelemetry/api';
import { startCacheSpan } from './cache-span.js';
import { markFetched } from './freshness.js';
import { FlyErrorCode, isFlyApiError } from '../../flyio/errors.js';
import type { FlyCollection } from '../../flyio/operation.js';
import type { Clock } from '../../lib/clock.js';
import type { CacheStore } from '../ports.js';

/**
 * What a cache tag names: an app, its machine list, one machine, an org's app list, the regions, or one of an app's
 * collections (volumes, secrets, certificates, IP addresses, Postgres clusters; see `FlyTarget.collection`).
 */
export type CacheTagKind = 'app' | 'machines' | 'machine' | 'apps' | 'regions' | FlyCollection;

/** The kinds of Fly reads the gateway caches; each has its own TTL. */
export type CacheEntity = 'apps' | 'app' | 'machines' | 'machine' | 'events' | 'volumes' | 'volume' | 'snapshots' | 'regions' | 'metrics';

/** How a read was answered. */
export type CacheOutcome = 'hit' | 'miss' | 'stale' | 'bypass';

/** What the caller learns about a cached read besides the value. */
export interface CacheReadInfo {
  outcome: CacheOutcome;
  /** When the value was fetched from Fly (ms since the epoch). */
  fetchedAt: number;
}

/** Settings of {@link createReadCache}. */
export interface ReadCacheOptions {
  store: CacheStore;
  clock: Clock;
  /** Off: every read goes to Fly (identical reads in flight are still shared). */
  enabled: boolean;
  /** Fresh lifetime per entity, in ms. Events and writes drop entries long before; this is the safety net. */
  ttlMs: Record<CacheEntity, number>;
  /** How long past its TTL an entry may still answer when Fly refuses with RATE_LIMITED. */
  staleMs: number;
  /** Told about every read (metrics, the per-request tally). */
  onRead?: (entity: CacheEntity, info: CacheReadInfo, tags: readonly string[]) => void;
  /** Told the tags of every read as it starts, hit or not (live queries record what an execution depends on). */
  onTags?: (tags: readonly string[]) => void;
  /** Told when the store failed and the read went on without it. */
  onStoreError?: (entity: CacheEntity) => void;
  /**
   * With a shared store: how long a miss waits for another instance that is already fetching the same entry before
   * fetching itself. @default 500
   */
  fillWaitMs?: number;
  /** One span per read when tracing is on. @default no tracing */
  tracer?: Tracer;
}

/** One cached read: what it is, which partition of the store, and what invalidates it. */
export interface CacheRead<T> {
  entity: CacheEntity;
  /** The Fly token's fingerprint: entries never cross tenants. */
  tenant: string;
  /** The app the read belongs to (the hash tag every key and tag of that app shares); the org for app lists. */
  scope: string;
  /** Distinguishes reads of one entity and scope (an id, a filter, a page). */
  id: string;
  /** Tags (see {@link cacheTag}) whose invalidation drops this entry. */
  tags: readonly string[];
  fetch: () => Promise<T>;
  /** False: the read only joins an identical fetch in flight; no entry is read or stored. @default true */
  keep?: boolean;
}

/** The read cache in front of the Fly client. */
export interface ReadCache {
  read<T>(read: CacheRead<T>): Promise<{ value: T; info: CacheReadInfo }>;
  /** Drops every entry under any of `tags`, in every instance. Never rejects: a failed drop is counted and logged by the store. */
  invalidate(tags: readonly string[]): Promise<void>;
  /**
   * Calls `listener` after every invalidation, made here (once the store dropped the entries) or by another instance
   * sharing the store. Returns the function that removes it.
   */
  onInvalidate(listener: (tags: readonly string[]) => void): () => void;
}

/** A short, stable, non-reversible name for a token: the tenant part of every key. */
export function tokenFingerprint(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 16);
}

/**
 * The tag of one thing a read depends on. Tags of one app share a `{app}` hash tag with that app's keys, so on a
 * Redis Cluster an invalidation touches one slot.
 */
export function cacheTag(kind: CacheTagKind, scope: string, id = ''): string {
  return `{${scope}}:${kind}${id ? `:${id}` : ''}`;
}

interface StoredEntry {
  v: 1;
  /** Fetched at, ms. */
  t: number;
  d: unknown;
}

function decode(text: string | undefined): StoredEntry | undefined {
  if (text === undefined) return undefined;
  try {
    const entry = JSON.parse(text) as StoredEntry;
    // Anything else under our key (an older version, a foreign writer, a torn value) is a miss, never an error.
    if (entry === null || typeof entry !== 'object' || entry.v !== 1 || typeof entry.t !== 'number' || !('d' in entry)) return undefined;
    return entry;
  } catch {
    return undefined;
  }
}

/**
 * Creates the read cache: an entry answers while fresh; a miss fetches once however many callers ask at the same
 * time (single flight, also with the cache off); when Fly refuses with RATE_LIMITED an entry past its TTL, but
 * within `staleMs`, answers instead and says so. A store that fails is treated as a miss, never as an error.
 */
export function createReadCache(options: ReadCacheOptions): ReadCache {
  const inflight = new Map<string, Promise<{ value: unknown; info: CacheReadInfo }>>();
  // Bumped by every invalidation of a scope: a fetch that started before it must not store what it read.
  const generations = new Map<string, number>();
  const generation = (scope: string) => generations.get(scope) ?? 0;
  const { store, clock } = options;

  const fillWaitMs = options.fillWaitMs ?? 500;
  const listeners = new Set<(tags: readonly string[]) => void>();
  const notify = (tags: readonly string[]) => {
    for (const listener of listeners) {
      try {
        listener(tags);
      } catch {
        // One listener's failure must not keep the others from hearing about the change.
      }
    }
  };

  /** Later reads must not join (or be answered by) a fetch that started before the change. */
  function forgetInFlight(tags: readonly string[]): void {
    const scopes = new Set(tags.map((tag) => `{${tag.slice(1, tag.indexOf('}'))}}`));
    for (const scope of scopes) generations.set(scope.slice(1, -1), generation(scope.slice(1, -1)) + 1);
    for (const key of inflight.keys()) if ([...scopes].some((scope) => key.includes(scope))) inflight.delete(key);
  }
  // Bumped when the store drops every copy at once (it came back after losing its connection): a fetch that started
  // before may carry what another instance changed meanwhile, and must not be stored in the store that came back.
  let resets = 0;
  store.onReset?.(() => {
    resets += 1;
    inflight.clear();
  });
  // Another instance's change makes this instance's fetches in flight just as stale as a local one would.
  store.onRemoteInvalidate?.((tags) => {
    forgetInFlight(tags);
    notify(tags);
  });

  /**
   * When another instance is already fetching this entry (it holds the fill claim), waits a little for its answer to
   * land in the shared store instead of asking Fly a second time. Gives up (and the caller fetches) after
   * `fillWaitMs`, or at once when the store has no claims or cannot be reached.
   */
  async function awaitOtherFill(entity: CacheEntity, key: string, previous: StoredEntry | undefined): Promise<StoredEntry | undefined> {
    if (!store.claimFill) return undefined;
    try {
      if (await store.claimFill(key, Math.max(fillWaitMs * 2, 1_000))) {
        // Another instance may have stored the entry and let its claim go between our miss and our claim.
        const landed = decode(await store.get(key));
        if (landed && landed.t !== previous?.t && clock.now() - landed.t <= options.ttlMs[entity]) {
          void store.releaseFill?.(key);
          return landed;
        }
        return undefined;
      }
      for (let waited = 0; waited < fillWaitMs; waited += 25) {
        // Real time, not the injected clock: this waits on another process's network round trips, like a command
        // timeout does.
        await new Promise((resolve) => setTimeout(resolve, 25));
        const entry = decode(await store.get(key));
        if (entry && entry.t !== previous?.t && clock.now() - entry.t <= options.ttlMs[entity]) return entry;
      }
    } catch {
      options.onStoreError?.(entity);
    }
    return undefined;
  }

  async function load<T>(read: CacheRead<T>, key: string): Promise<{ value: T; info: CacheReadInfo }> {
    if (!options.enabled || read.keep === false) {
      const value = await read.fetch();
      return { value, info: { outcome: 'bypass', fetchedAt: clock.now() } };
    }
    const startedIn = generation(read.scope);
    const startedAfterReset = resets;
    let entry: StoredEntry | undefined;
    try {
      entry = decode(await store.get(key));
    } catch {
      options.onStoreError?.(read.entity);
    }
    const now = clock.now();
    const ttl = options.ttlMs[read.entity];
    if (entry && now - entry.t <= ttl) return { value: entry.d as T, info: { outcome: 'hit', fetchedAt: entry.t } };
    const filled = await awaitOtherFill(read.entity, key, entry);
    if (filled) return { value: filled.d as T, info: { outcome: 'hit', fetchedAt: filled.t } };
    let value: T;
    try {
      value = await read.fetch();
    } catch (error) {
      void store.releaseFill?.(key);
      if (entry && isFlyApiError(error) && error.code === FlyErrorCode.RateLimited && now - entry.t <= ttl + options.staleMs) {
        return { value: entry.d as T, info: { outcome: 'stale', fetchedAt: entry.t } };
      }
      throw error;
    }
    const fetchedAt = clock.now();
    if (generation(read.scope) !== startedIn || resets !== startedAfterReset) {
      void store.releaseFill?.(key);
      return { value, info: { outcome: 'miss', fetchedAt } };
    }
    const stored: StoredEntry = { v: 1, t: fetchedAt, d: value };
    await store.set(key, JSON.stringify(stored), ttl + options.staleMs, read.tags).catch(() => options.onStoreError?.(read.entity));
    void store.releaseFill?.(key);
    return { value, info: { outcome: 'miss', fetchedAt } };
  }

  return {
    async read<T>(read: CacheRead<T>) {
      options.onTags?.(read.tags);
      const key = `flygate:cache:{${read.scope}}:${read.tenant}:${read.entity}:${read.id}`;
      let pending = inflight.get(key) as Promise<{ value: T; info: CacheReadInfo }> | undefined;
      const span = startCacheSpan(options.tracer, read.entity, pending !== undefined);
      if (!pending) {
        const loading = span ? span.within(() => load(read, key)) : load(read, key);
        const started: Promise<{ value: T; info: CacheReadInfo }> = loading.finally(() => {
          if (inflight.get(key) === started) inflight.delete(key);
        });
        pending = started;
        inflight.set(key, started);
      }
      const result = await (span ? span.settle(pending) : pending);
      markFetched(result.value, result.info.fetchedAt);
      options.onRead?.(read.entity, result.info, read.tags);
      return result;
    },
    async invalidate(tags) {
      forgetInFlight(tags);
      await store.invalidate(tags).catch(() => undefined);
      notify(tags);
    },
    onInvalidate(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
