/**
 * What the services need from the world outside the process, as interfaces. Services depend on these only; the
 * in-memory implementations live in `src/infra/memory/`, the Redis ones in `src/infra/redis/`, and the composition
 * root (`src/gateway.ts`) picks one set.
 */
import type { DeploymentRecord } from './deploy/types.js';
import type { BusItem, DeliveredEvent, GatewayEvent } from './events/types.js';
import type { MachineSnapshot } from './sync/machine-snapshot.js';

/** Options for {@link EventBus.subscribe}. */
export interface SubscribeOptions {
  /** Resume after this sequence number (replaying what the bus still holds); without it, live events only. */
  afterSeq?: number;
  /** Epoch `afterSeq` belongs to; a different current epoch yields a resync instead of a replay. */
  epoch?: string;
  /** Ends the subscription. */
  signal?: AbortSignal;
}

/**
 * Carries accepted events to every subscriber on every instance. Delivery is at-least-once into the bus and
 * exactly-once-in-order per subscription within an epoch; anything a subscription could not receive becomes a
 * {@link ResyncSignal}, never a silent skip.
 */
export interface EventBus {
  /** Anchors the live reader so events published after it resolves reach subscriptions opened at any time. */
  start(): Promise<void>;
  /** Appends the event; resolves once it is durably handed on, rejects when it could not be. */
  publish(event: GatewayEvent): Promise<DeliveredEvent>;
  /** Opens a subscription; it ends when `signal` aborts, the consumer calls `return()`, or the bus closes. */
  subscribe(options?: SubscribeOptions): AsyncIterableIterator<BusItem>;
  /** Ends every subscription and stops reading. Does not close injected connections. */
  close(): Promise<void>;
}

/** Standard Webhooks senders retry for days with the same id; 72 h outlives their retry schedules. */
export const DEFAULT_DEDUPE_TTL_MS = 72 * 60 * 60 * 1000;

/**
 * How long an uncommitted claim blocks other attempts. Above an ingest's worst case (claim, publish and commit at
 * most ~2 s each on the bus connection, the cache hook fails fast), so a concurrent delivery never takes an id
 * that is still being published; short, because it is also how long a claimant that died mid-publish blocks
 * redeliveries (a claimant that is alive takes its claim back on failure).
 */
export const DEFAULT_CLAIM_TTL_MS = 10_000;

/** Outcome of {@link DedupeStore.claim}. */
export type ClaimResult =
  /** First time: the caller now holds the id (briefly) and must `commit` or `release` it. */
  | 'claimed'
  /** Already published within the retention window. */
  | 'duplicate'
  /** Another attempt holds the id right now and has not finished; its outcome is unknown. */
  | 'in-flight';

/**
 * Remembers event ids so redeliveries are not published twice. A claim is held for a short time only until it is
 * committed: if the holder dies or cannot release it (Redis went away mid-flight), the id frees itself quickly
 * instead of turning the sender's retries into silent "duplicates" for days.
 */
export interface DedupeStore {
  claim(id: string): Promise<ClaimResult>;
  /** The event was published: remember the id for the full retention window. */
  commit(id: string): Promise<void>;
  /** Publishing failed: forget a held claim so a retry is accepted. Never forgets a committed id. */
  release(id: string): Promise<void>;
}

/**
 * A lease-style mutual exclusion lock: held for `ttlMs` after each successful `acquire`, so a holder that dies
 * loses it within one TTL and another instance takes over. Holders call `acquire` again (it renews) well within
 * the TTL.
 */
export interface Lock {
  /** Takes the lock, or renews it when this owner already holds it. False when someone else holds it. */
  acquire(): Promise<boolean>;
  /** Gives the lock up if this owner holds it. */
  release(): Promise<void>;
  /** Whether this owner holds the lock, by its own conservative reckoning (from before the last acquire). */
  readonly held: boolean;
}

/** What the sync job carries from one poll to the next. */
export interface SyncState {
  /** Largest `updated_at` seen (RFC 3339): the feed is asked for changes after this, minus the overlap. */
  cursor: string;
  /** When the last successful poll started (ms, job clock): Fly events older than this, minus the overlap, are old news. */
  polledAt: number;
  machines: MachineSnapshot[];
}

/**
 * Where the sync job keeps its state. Shared (Redis) state lets the instance that takes the lock over continue
 * from where the previous holder stopped instead of starting a fresh baseline and missing the changes in between.
 */
export interface SyncStateStore {
  load(): Promise<SyncState | undefined>;
  save(state: SyncState): Promise<void>;
}

/**
 * Where cached Fly reads live. Values are opaque text (the read cache encodes and validates them); every entry
 * carries tags naming what it was read from (`machine:<app>/<id>`, `machines:<app>`, ...), and an event or a write
 * drops every entry of a tag at once, in every instance, without scanning keys.
 */
export interface CacheStore {
  /** The stored text, or undefined on a miss. Rejects when the store cannot be reached (the caller fails open). */
  get(key: string): Promise<string | undefined>;
  /** Stores `value` for `ttlMs` under `key`, listed under each of `tags`. */
  set(key: string, value: string, ttlMs: number, tags: readonly string[]): Promise<void>;
  /** Drops every entry listed under any of `tags`, here and in every other instance sharing the store. */
  invalidate(tags: readonly string[]): Promise<void>;
  /**
   * Claims the right to fill `key` from Fly for `ms`, so instances sharing the store refresh an entry once. False
   * when another instance holds it. Absent on stores no other instance shares.
   */
  claimFill?(key: string, ms: number): Promise<boolean>;
  /** Gives a fill claim up once the entry is stored (or the fetch failed). */
  releaseFill?(key: string): Promise<void>;
  /**
   * Calls `listener` with the tags of every invalidation, made here or (through a shared store) by another instance;
   * returns the function that stops it. Listeners must be quick and must not throw.
   */
  onInvalidate(listener: (tags: readonly string[]) => void): () => void;
  /**
   * Starts listening for other instances' invalidations and resolves once it does (or could not: the store then
   * retries on first use). Called by the gateway's `start()`, so nothing read after start misses an invalidation.
   */
  start?(): Promise<void>;
  /**
   * Tells `listener` about invalidations made by other instances sharing the store (its own are not echoed). Absent
   * on stores no other instance shares.
   */
  onRemoteInvalidate?(listener: (tags: readonly string[]) => void): void;
  /**
   * Calls `listener` when this instance's copies can no longer be trusted as a whole: the shared store came back
   * after its connection was lost (invalidations may have been missed meanwhile, and a restarted store is empty).
   * The store has dropped its own copies already; whatever keeps answers derived from them must drop them too.
   * Returns the function that stops it. Absent on stores no other instance shares.
   */
  onReset?(listener: () => void): () => void;
  /** Stops background work (invalidation listeners); does not close injected connections. */
  close(): Promise<void>;
}

/** How a deployment was settled to end: cancelled, or finished by its runner. */
export type DeploymentEnd = 'cancel' | 'finish';

/**
 * Where deployments are kept, so any instance can report one (Redis when configured). Records are whole JSON
 * documents written by the one instance that runs the deployment.
 */
export interface DeploymentStore {
  save(record: DeploymentRecord): Promise<void>;
  get(id: string): Promise<DeploymentRecord | undefined>;
  /**
   * Settles, once for every instance, how a deployment ends: `cancel` (asked by any instance) or `finish` (its runner,
   * about to report success). The first to ask wins; the answer is the end that holds. Kept apart from the record,
   * which only the runner writes.
   */
  decideEnd(id: string, end: DeploymentEnd): Promise<DeploymentEnd>;
  /** The end settled so far, if any (the runner polls it for a cancel from another instance). */
  endOf(id: string): Promise<DeploymentEnd | undefined>;
  /**
   * An app's deployments, newest first, at most `limit`. Each store keeps the newest `historyPerApp` of an app and
   * drops older ones when a new one is saved (`DEPLOYMENTS_HISTORY_PER_APP`).
   */
  list(app: string, limit: number): Promise<DeploymentRecord[]>;
}

/** The answer of a {@link CallerLimiter}: go ahead, or come back in `retryAfterMs`. */
export type CallerLimitResult = { ok: true } | { ok: false; retryAfterMs: number };

/**
 * Per-caller request limits (per API key name or Fly token fingerprint): a rate with a burst, kept apart from
 * Fly's own budget. In process, or shared through Redis so every instance spends one allowance per caller.
 */
export interface CallerLimiter {
  /** Spends one request of `caller`'s allowance, or says how long until one is free (nothing is spent then). */
  take(caller: string): Promise<CallerLimitResult>;
}

/** The allowance of every caller: `ratePerSecond` on average, `burst` at once. */
export interface CallerLimitRule {
  ratePerSecond: number;
  burst: number;
}
