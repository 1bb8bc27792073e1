import { createHash } from 'node:crypto';
import type { FlyMachineEvent } from '../../flyio/wire/machine.js';

/**
 * The event vocabulary shared by the webhook endpoint, the sync job and the subscription layer. Both event sources
 * end in one ingest call (event-ingest.ts); the bus hands accepted events to every gateway instance.
 */

/** The machine event types the gateway publishes. */
export type GatewayEventType = 'machine.created' | 'machine.state_changed' | 'machine.updated' | 'machine.destroyed' | 'machine.event';

/** All event types, in a stable order (for schemas and docs). */
export const GATEWAY_EVENT_TYPES: readonly GatewayEventType[] = [
  'machine.created',
  'machine.state_changed',
  'machine.updated',
  'machine.destroyed',
  'machine.event',
];

/** A Fly `MachineEvent` as carried inside `machine.event`: the wire type itself. `timestamp` is Unix milliseconds. */
export type FlyEventPayload = FlyMachineEvent;

/** One accepted machine event, before it has a place in the stream. */
export interface GatewayEvent {
  /**
   * Dedupe key, stable across redeliveries and shared by both paths where they can agree: `fly:<Fly event id>` for
   * Fly machine events, `change:<hash>` ({@link machineChangeId}) for a machine change both a relay and the sync job
   * can describe, otherwise `webhook:<webhook-id>` or `sync:<hash>`.
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
  | 'replay-failed'
  /** The resume cursor is further behind than one resume may replay (`EVENTS_MAX_REPLAY`). */
  | 'replay-too-long';

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

/**
 * The one conversion of a Fly machine event into a gateway event, whichever path found it. The dedupe id is
 * `fly:<Fly event id>`, so a webhook relay and the sync job reporting the same Fly event publish it once. Only the
 * fields the gateway documents are kept.
 */
export function fromFlyMachineEvent(app: string, machineId: string, event: FlyMachineEvent, source: GatewayEvent['source']): GatewayEvent {
  const { id, type, status, source: flySource, timestamp, request } = event;
  return {
    id: `fly:${id}`,
    type: 'machine.event',
    timestamp: new Date(timestamp).toISOString(),
    app,
    machineId,
    source,
    event: {
      id,
      type,
      timestamp,
      ...(status ? { status } : {}),
      ...(flySource ? { source: flySource } : {}),
      ...(request ? { request } : {}),
    },
  };
}

/** What {@link machineChangeId} needs to know about a change; the fields a type does not use are ignored. */
export interface MachineChange {
  type: GatewayEventType;
  app: string;
  machineId: string;
  /** `machine.state_changed`: the new state. */
  to?: string;
  /** `machine.updated`: the new machine version. */
  version?: string;
  /** `machine.state_changed`: the machine's `updated_at` after the change (RFC 3339, any offset or precision). */
  updatedAt?: string;
}

/** The same instant always as the same string; a value that is not a date is kept as it is. */
function instant(value: string): string {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : new Date(ms).toISOString();
}

/**
 * The dedupe id of a machine change that a webhook relay and the sync job compute alike, so the change is published
 * once whichever path reports it first. Built only from what both paths know about the change itself:
 *
 * - `machine.created`, `machine.destroyed`: app and machine id (a Fly machine id is created and destroyed once);
 * - `machine.updated`: app, machine id and the new version (every update makes a new version);
 * - `machine.state_changed`: app, machine id, the new state and the machine's `updated_at` after the change, as an
 *   instant (the previous state is left out: a poll sees `started → stopped` where a relay saw `stopping → stopped`).
 *
 * `undefined` when the facts are missing (no version, no new state or no `updated_at`): the caller then keeps its own
 * path-specific id. Two different changes differ in at least one of these facts.
 */
export function machineChangeId(change: MachineChange): string | undefined {
  const { type, app, machineId } = change;
  let parts: string[];
  switch (type) {
    case 'machine.created':
    case 'machine.destroyed':
      parts = [app, machineId, type];
      break;
    case 'machine.updated':
      if (!change.version) return undefined;
      parts = [app, machineId, type, change.version];
      break;
    case 'machine.state_changed':
      if (!change.to || !change.updatedAt) return undefined;
      parts = [app, machineId, type, change.to, instant(change.updatedAt)];
      break;
    case 'machine.event':
      return undefined;
  }
  return `change:${createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 32)}`;
}
