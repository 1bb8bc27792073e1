import { createHash } from 'node:crypto';
import type { FlyMachineEvent } from '../../flyio/wire/machine.js';

/**
 * The event vocabulary shared by the webhook endpoint, the sync job and the subscription layer. Both event sources
 * end in one ingest call (event-ingest.ts); the bus hands accepted events to every gateway instance.
 */

/** The machine event types the gateway publishes. */
export type MachineEventType = 'machine.created' | 'machine.state_changed' | 'machine.updated' | 'machine.destroyed' | 'machine.event';

/** The machine event types, in a stable order. */
export const MACHINE_EVENT_TYPES: readonly MachineEventType[] = [
  'machine.created',
  'machine.state_changed',
  'machine.updated',
  'machine.destroyed',
  'machine.event',
];

/**
 * Changes of an app's other resources (the app itself, volumes, secrets, certificates, IPs, Postgres clusters). They
 * travel the same bus as machine events, with `machineId: ''` and a {@link ResourceRef}.
 */
export const RESOURCE_EVENT_TYPES = [
  'app.created',
  'app.destroyed',
  'volume.created',
  'volume.updated',
  'volume.extended',
  'volume.destroyed',
  'volume.snapshot_created',
  'secrets.changed',
  'certificate.changed',
  'ip.allocated',
  'ip.released',
  'postgres.changed',
] as const;

/** A resource event type (`volume.extended`, …). */
export type ResourceEventType = (typeof RESOURCE_EVENT_TYPES)[number];

/** Every event type the gateway publishes. */
export type GatewayEventType = MachineEventType | ResourceEventType;

/** All event types, in a stable order (for schemas and docs). */
export const GATEWAY_EVENT_TYPES: readonly GatewayEventType[] = [...MACHINE_EVENT_TYPES, ...RESOURCE_EVENT_TYPES];

/** The kinds of resource a resource event is about. */
export const RESOURCE_KINDS = ['app', 'volume', 'snapshot', 'secrets', 'certificate', 'ip', 'postgres'] as const;

/** A resource kind. */
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/** What a resource event is about: never a secret value, only names, ids, states and versions. */
export interface ResourceRef {
  kind: ResourceKind;
  /** The volume or snapshot id, the hostname, the IP address, the cluster id; the app name for `app.*` and secrets. */
  id: string;
  /** The state after the change, when the resource has one (`created`, `issued`, `ready`, …). */
  state?: string;
  /** A version after the change (the secrets version, a volume's new size in GB for `volume.extended`). */
  version?: string;
  /** The organization slug, when the change affects an organization's lists (an app created or destroyed). */
  org?: string;
}

/** True for the event types of resources other than machines. */
export function isResourceEventType(type: string): type is ResourceEventType {
  return (RESOURCE_EVENT_TYPES as readonly string[]).includes(type);
}

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
  /** The machine; '' for resource events. */
  machineId: string;
  /** `machine.state_changed`: previous state. */
  from?: string;
  /** `machine.state_changed`: new state; `machine.created`: the state it was first seen in, when known. */
  to?: string;
  /** `machine.updated`: the new machine version. */
  version?: string;
  /** `machine.event`: the Fly event. */
  event?: FlyEventPayload;
  /** Resource events: what changed (their `machineId` is ''). */
  resource?: ResourceRef;
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
  type: MachineEventType;
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

/** What {@link resourceEvent} needs: the change, and which path found it. */
export interface ResourceChange {
  type: ResourceEventType;
  app: string;
  resource: ResourceRef;
  source: GatewayEvent['source'];
  /** When it happened, RFC 3339. @default now */
  timestamp?: string;
}

/**
 * The one way to build a resource event, whichever path found it. Its dedupe id is derived from the change itself
 * (type, app, kind, id, state, version), so a relay's webhook and the sync job reporting the same change publish it
 * once, and two different changes of one resource differ in a state or a version.
 */
export function resourceEvent({ type, app, resource, source, timestamp }: ResourceChange): GatewayEvent {
  const { kind, id, state, version, org } = resource;
  const parts = [app, type, kind, id, state ?? '', version ?? ''];
  return {
    id: `change:${createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 32)}`,
    type,
    timestamp: timestamp ?? new Date().toISOString(),
    app,
    machineId: '',
    resource: { kind, id, ...(state ? { state } : {}), ...(version ? { version } : {}), ...(org ? { org } : {}) },
    source,
  };
}
