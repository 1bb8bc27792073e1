/**
 * The event vocabulary shared by the webhook endpoint, the sync job and the subscription layer. Both event sources
 * end in one ingest call (event-ingest.ts); the bus hands accepted events to every gateway instance.
 */

/** The machine event types the gateway publishes. */
export type GatewayEventType =
  | 'machine.created'
  | 'machine.state_changed'
  | 'machine.updated'
  | 'machine.destroyed'
  | 'machine.event';

/** All event types, in a stable order (for schemas and docs). */
export const GATEWAY_EVENT_TYPES: readonly GatewayEventType[] = [
  'machine.created',
  'machine.state_changed',
  'machine.updated',
  'machine.destroyed',
  'machine.event',
];

/** A Fly `MachineEvent` as carried inside `machine.event`. `timestamp` is Unix milliseconds, as Fly sends it. */
export interface FlyEventPayload {
  id: string;
  type: string;
  status?: string;
  source?: string;
  timestamp: number;
  request?: Record<string, unknown>;
}

/** One accepted machine event, before it has a place in the stream. */
export interface GatewayEvent {
  /**
   * Dedupe key, stable across redeliveries: `fly:<Fly event id>` for Fly machine events (whichever path found them),
   * `webhook:<webhook-id>` for other webhook events, `sync:<hash>` for changes the sync job derived.
   */
  id: string;
  type: GatewayEventType;
  /** When it happened, RFC 3339. */
  timestamp: string;
  app: string;
  machineId: string;
  /** `machine.state_changed`: previous state. */
  from?: string;
  /** `machine.state_changed`: new state; `machine.created`: the state it was first seen in, when known. */
  to?: string;
  /** `machine.updated`: the new machine version. */
  version?: string;
  /** `machine.event`: the Fly event. */
  event?: FlyEventPayload;
  /** Which path accepted it. */
  source: 'webhook' | 'sync';
}

/** An event as subscribers receive it: with its position in the stream. */
export interface DeliveredEvent extends GatewayEvent {
  /**
   * Position in the stream, contiguous within one epoch (1, 2, 3, ...). A subscriber that saw `n` and then sees
   * anything other than `n + 1` has missed events; the bus turns that into a {@link ResyncSignal} itself.
   */
  seq: number;
  /** Identity of the stream generation; changes when the stream is recreated (e.g. Redis lost its data). */
  epoch: string;
}

/** Why a subscriber must resynchronise. */
export type ResyncReason =
  /** Events between the last one delivered and the next were trimmed away or could not be read. */
  | 'gap'
  /** The subscriber fell too far behind and its buffer was dropped. */
  | 'overflow'
  /** The stream was recreated (new epoch); sequence numbers restarted. */
  | 'stream-reset'
  /** The resume cursor (`afterSeq`/`epoch`) does not belong to the current stream. */
  | 'unknown-cursor'
  /** Replaying from the resume cursor failed. */
  | 'replay-failed';

/**
 * Tells a subscriber that events may have been missed: it should refetch the state it shows, then keep consuming.
 * Events after the signal are delivered as usual.
 */
export interface ResyncSignal {
  kind: 'resync';
  reason: ResyncReason;
}

/** What a subscription yields. */
export type BusItem = DeliveredEvent | ResyncSignal;

/** True when `item` is a {@link ResyncSignal}. */
export function isResync(item: BusItem): item is ResyncSignal {
  return (item as ResyncSignal).kind === 'resync';
}

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

/** Structured logger (pino-compatible subset). */
export interface Logger {
  debug(obj: Record<string, unknown>, msg?: string): void;
  info(obj: Record<string, unknown>, msg?: string): void;
  warn(obj: Record<string, unknown>, msg?: string): void;
  error(obj: Record<string, unknown>, msg?: string): void;
}

/** A logger that drops everything. */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
