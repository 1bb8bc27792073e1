import type { HealthReport } from '../../services/health.js';
import {
  isResync,
  RESOURCE_EVENT_TYPES,
  RESOURCE_KINDS,
  type DeliveredEvent,
  type ResourceEventType,
  type ResyncSignal,
} from '../../services/events/types.js';
import { appSubscription } from '../auth/guards.js';
import { builder } from '../builder.js';
import { MachineState, toMachineState } from './enums.js';
import { subscriptionSignal } from './subscription-signal.js';
import { HealthRef } from './health.js';
import { MachineEventRef } from './machines/machine-event.js';
import { MachineRef } from './machines/machine.js';

type Delivery = DeliveredEvent | ResyncSignal;

export const DeliveryKind = builder.enumType('DeliveryKind', {
  description:
    'EVENT carries an event. RESYNC means events may have been missed (a gap, a slow consumer, a reset stream): refetch what you show, then keep listening.',
  values: { EVENT: { value: 'event' }, RESYNC: { value: 'resync' } } as const,
});

/** What every delivery has: its kind, and its place in the stream so a client can resume or spot gaps. */
export const EventDelivery = builder.interfaceRef<Delivery>('EventDelivery').implement({
  description: 'One message of an event subscription.',
  fields: (t) => ({
    kind: t.field({ type: DeliveryKind, resolve: (d) => (isResync(d) ? 'resync' : 'event') }),
    seq: t.int({
      nullable: true,
      description: 'Position in the event stream (contiguous within an epoch). Pass it back as `afterSeq` to resume.',
      resolve: (d) => (isResync(d) ? null : d.seq),
    }),
    epoch: t.string({
      nullable: true,
      description: 'Stream generation; sequence numbers restart when it changes.',
      resolve: (d) => (isResync(d) ? null : d.epoch),
    }),
    resyncReason: t.string({
      nullable: true,
      description: 'Why a RESYNC was sent: gap, overflow, stream-reset, unknown-cursor, replay-failed or replay-too-long.',
      resolve: (d) => (isResync(d) ? d.reason : null),
    }),
    app: t.string({ nullable: true, resolve: (d) => (isResync(d) ? null : d.app) }),
    machineId: t.string({ nullable: true, resolve: (d) => (isResync(d) || !d.machineId ? null : d.machineId) }),
    timestamp: t.field({ type: 'DateTime', nullable: true, resolve: (d) => (isResync(d) ? null : new Date(d.timestamp)) }),
  }),
});

const MachineEventDelivery = builder.objectRef<Delivery>('MachineEventDelivery').implement({
  description: 'One Fly machine event, or a RESYNC notice.',
  interfaces: [EventDelivery],
  fields: (t) => ({
    event: t.field({
      type: MachineEventRef,
      nullable: true,
      resolve: (d) => (isResync(d) || !d.event ? null : d.event),
    }),
  }),
});

const MachineStateChange = builder.objectRef<Delivery>('MachineStateChange').implement({
  description: 'A machine changed state (or was created or destroyed), or a RESYNC notice.',
  interfaces: [EventDelivery],
  fields: (t) => ({
    from: t.field({ type: MachineState, nullable: true, resolve: (d) => (isResync(d) || !d.from ? null : toMachineState(d.from)) }),
    to: t.field({
      type: MachineState,
      nullable: true,
      resolve: (d) => (isResync(d) ? null : d.type === 'machine.destroyed' ? 'destroyed' : d.to ? toMachineState(d.to) : null),
    }),
    machine: t.field({
      type: MachineRef,
      nullable: true,
      description: 'The machine as it is now (fetched once per event and shared by all subscribers); null once destroyed.',
      resolve: async (d, _args, ctx) => {
        if (isResync(d)) return null;
        const machine = await ctx.services.events.machineAfter(d);
        return machine ? { appName: d.app, machine } : null;
      },
    }),
  }),
});

/** `volume.snapshot_created` → `VOLUME_SNAPSHOT_CREATED`: the GraphQL name of an event type or kind. */
const enumName = (value: string) => value.replace(/[.-]/g, '_').toUpperCase();

const AppEventType = builder.enumType('AppEventType', {
  description: "A change of an app's resources other than machines (machines have their own subscriptions).",
  values: Object.fromEntries(RESOURCE_EVENT_TYPES.map((type) => [enumName(type), { value: type }])) as Record<
    string,
    { value: ResourceEventType }
  >,
});

const ResourceKind = builder.enumType('ResourceKind', {
  description: 'What a resource event is about.',
  values: Object.fromEntries(RESOURCE_KINDS.map((kind) => [enumName(kind), { value: kind }])) as Record<
    string,
    { value: (typeof RESOURCE_KINDS)[number] }
  >,
});

/** GraphQL `AppEventDelivery` (also what `postgresClusterChanged` delivers). */
export const AppEventDelivery = builder.objectRef<Delivery>('AppEventDelivery').implement({
  description:
    'A change of one of an app’s resources (the app itself, a volume, its secrets, a certificate, an IP, a Postgres cluster), or a RESYNC notice. Carries names, ids, states and versions only: never a secret.',
  interfaces: [EventDelivery],
  fields: (t) => ({
    type: t.field({
      type: AppEventType,
      nullable: true,
      resolve: (d) => (isResync(d) || !d.resource ? null : (d.type as ResourceEventType)),
    }),
    resourceKind: t.field({ type: ResourceKind, nullable: true, resolve: (d) => (isResync(d) ? null : (d.resource?.kind ?? null)) }),
    resourceId: t.string({
      nullable: true,
      description: 'The volume or snapshot id, the hostname, the IP address, the cluster id; the app name for app and secrets events.',
      resolve: (d) => (isResync(d) ? null : (d.resource?.id ?? null)),
    }),
    state: t.string({
      nullable: true,
      description: 'The state after the change, when the resource has one.',
      resolve: (d) => (isResync(d) ? null : (d.resource?.state ?? null)),
    }),
    version: t.string({
      nullable: true,
      description: "A version after the change: the secrets version, or a volume's new size in GB for VOLUME_EXTENDED.",
      resolve: (d) => (isResync(d) ? null : (d.resource?.version ?? null)),
    }),
  }),
});

builder.subscriptionType({});

builder.subscriptionFields((t) => ({
  machineEvents: t.field({
    type: MachineEventDelivery,
    description: 'Each Fly machine event of an app (optionally one machine, optionally some event types), in order.',
    args: {
      app: t.arg.string({ required: true }),
      machineId: t.arg.string({ required: false }),
      types: t.arg.stringList({ required: false, description: 'Fly event types to keep, e.g. ["start", "exit"].' }),
      afterSeq: t.arg.int({ required: false, description: 'Resume after this sequence number (with `epoch`).' }),
      epoch: t.arg.string({ required: false }),
    },
    subscribe: (_root, args, ctx) =>
      appSubscription(ctx, args.app, subscriptionSignal(ctx), (signal) =>
        ctx.services.events.subscribe(
          {
            types: ['machine.event'],
            app: args.app,
            machineId: args.machineId ?? undefined,
            flyEventTypes: args.types ?? undefined,
            afterSeq: args.afterSeq ?? undefined,
            epoch: args.epoch ?? undefined,
          },
          signal,
        ),
      ),
    resolve: (delivery: Delivery) => delivery,
  }),
  machineStateChanged: t.field({
    type: MachineStateChange,
    description: "State changes, creations and destructions of an app's machines (optionally one machine), in order.",
    args: {
      app: t.arg.string({ required: true }),
      machineId: t.arg.string({ required: false }),
      afterSeq: t.arg.int({ required: false }),
      epoch: t.arg.string({ required: false }),
    },
    subscribe: (_root, args, ctx) =>
      appSubscription(ctx, args.app, subscriptionSignal(ctx), (signal) =>
        ctx.services.events.subscribe(
          {
            types: ['machine.state_changed', 'machine.created', 'machine.destroyed'],
            app: args.app,
            machineId: args.machineId ?? undefined,
            afterSeq: args.afterSeq ?? undefined,
            epoch: args.epoch ?? undefined,
          },
          signal,
        ),
      ),
    resolve: (delivery: Delivery) => delivery,
  }),
  appEvents: t.field({
    type: AppEventDelivery,
    description:
      "Changes of an app's resources other than machines (app, volumes, snapshots, secrets, certificates, IPs, Postgres), in order; optionally only some types.",
    args: {
      app: t.arg.string({ required: true }),
      types: t.arg({ type: [AppEventType], required: false }),
      afterSeq: t.arg.int({ required: false, description: 'Resume after this sequence number (with `epoch`).' }),
      epoch: t.arg.string({ required: false }),
    },
    subscribe: (_root, args, ctx) =>
      appSubscription(ctx, args.app, subscriptionSignal(ctx), (signal) =>
        ctx.services.events.subscribe(
          {
            types: args.types?.length ? args.types : RESOURCE_EVENT_TYPES,
            app: args.app,
            afterSeq: args.afterSeq ?? undefined,
            epoch: args.epoch ?? undefined,
          },
          signal,
        ),
      ),
    resolve: (delivery: Delivery) => delivery,
  }),
  health: t.field({
    type: HealthRef,
    description: "The gateway's readiness now, then again every `intervalSeconds` (1 to 300).",
    args: { intervalSeconds: t.arg.int({ required: false, defaultValue: 10 }) },
    subscribe: (_root, args, ctx) =>
      ctx.services.health.watch(Math.min(300, Math.max(1, args.intervalSeconds ?? 10)) * 1000, subscriptionSignal(ctx)),
    resolve: (report: HealthReport) => report,
  }),
}));
