import type { GraphQLResolveInfo } from 'graphql';
import { z } from 'zod';
import { connectionNeedsFullBodies } from './body-selection.js';
import { fetchedAtField } from '../fetched-at.js';
import { isNotFound } from '../../../flyio/errors.js';
import type { FlyMachine } from '../../../flyio/wire/machine.js';
import { machineKey, splitKey, type MachineFilter } from '../../../services/loaders.js';
import { builder } from '../../builder.js';
import type { GraphQLContext } from '../../context.js';
import { CheckStatusRef } from './check-status.js';
import { MachineState, toMachineState } from '../enums.js';
import { resolveFlyConnection, type ConnectionArgs } from '../fly-connection.js';
import { appNameSchema, machineIdSchema, MetadataFilterInput, regionSchema, toRecord } from '../inputs.js';
import { LeaseRef } from './lease.js';
import { MachineConfigRef, MetadataEntryRef, toEntries } from './machine-config.js';
import { MachineEventRef } from './machine-event.js';
import { parseTimestamp } from '../scalars.js';

/** A machine together with the app it belongs to (Fly's machine body does not name its app). */
export interface MachineParent {
  appName: string;
  machine: FlyMachine;
}

/** How many events Fly embeds in a machine body; asking for more reads the full log (one call per machine). */
export const EMBEDDED_EVENTS = 10;
/** Fly keeps at most this many events per machine. */
export const MAX_EVENTS = 50;

/** GraphQL `Machine`, backed by a Fly machine body and the app it belongs to. */
export const MachineRef = builder.objectRef<MachineParent>('Machine');

/** Turns a Fly NOT_FOUND into `null` for nullable lookups; rethrows anything else. */
export function nullOnNotFound(error: unknown): null {
  if (isNotFound(error)) return null;
  throw error;
}

builder.node(MachineRef, {
  description: 'A Fly Machine: a fast-booting VM of one app in one region.',
  id: { resolve: (p) => machineKey(p.appName, p.machine.id) },
  loadOne: async (key, ctx) => {
    const parts = splitKey(key);
    if (!parts) return null;
    const machine = await ctx.loaders.machine.load(key).catch(nullOnNotFound);
    return machine ? { appName: parts.app, machine } : null;
  },
  fields: (t) => ({
    machineId: t.string({ description: "Fly's machine id (14 hex characters).", resolve: (p) => p.machine.id }),
    appName: t.exposeString('appName'),
    name: t.string({ nullable: true, resolve: (p) => p.machine.name ?? null }),
    state: t.field({ type: MachineState, resolve: (p) => toMachineState(p.machine.state) }),
    region: t.string({ nullable: true, resolve: (p) => p.machine.region ?? null }),
    image: t.string({ nullable: true, resolve: (p) => p.machine.config?.image ?? imageFromRef(p.machine) }),
    version: t.string({ nullable: true, resolve: (p) => p.machine.version ?? p.machine.instance_id ?? null }),
    privateIp: t.string({ nullable: true, description: '6PN private IPv6 address.', resolve: (p) => p.machine.private_ip ?? null }),
    cordoned: t.boolean({ description: 'Taken out of Fly Proxy routing.', resolve: (p) => p.machine.cordoned ?? false }),
    hostStatus: t.string({
      nullable: true,
      description: 'Health of the host: ok, unknown or unreachable.',
      resolve: (p) => p.machine.host_status ?? null,
    }),
    cpus: t.int({ nullable: true, resolve: (p) => p.machine.config?.guest?.cpus ?? null }),
    cpuKind: t.string({ nullable: true, resolve: (p) => p.machine.config?.guest?.cpu_kind ?? null }),
    memoryMb: t.int({ nullable: true, resolve: (p) => p.machine.config?.guest?.memory_mb ?? null }),
    createdAt: t.field({ type: 'DateTime', nullable: true, resolve: (p) => parseTimestamp(p.machine.created_at) }),
    updatedAt: t.field({ type: 'DateTime', nullable: true, resolve: (p) => parseTimestamp(p.machine.updated_at) }),
    fetchedAt: fetchedAtField(t, 'machine', (p) => p.machine),
    config: t.field({ type: MachineConfigRef, resolve: (p) => p.machine.config ?? {} }),
    metadata: t.field({ type: [MetadataEntryRef], resolve: (p) => toEntries(p.machine.config?.metadata) }),
    lease: t.field({
      type: LeaseRef,
      nullable: true,
      description: 'The lease, when one is held (who and until when; the nonce only goes to its holder).',
      resolve: (p) => p.machine.lease ?? null,
    }),
    events: t.field({
      type: [MachineEventRef],
      description: `Recent events, newest first. Up to ${EMBEDDED_EVENTS} come with the machine at no cost; a larger limit reads the full log (at most ${MAX_EVENTS}).`,
      args: {
        limit: t.arg.int({
          required: false,
          description: 'At most this many.',
          validate: {
            schema: z.number().int().min(0, 'must be 0 or more').max(MAX_EVENTS, `must be at most ${MAX_EVENTS} (Fly keeps no more)`),
          },
        }),
      },
      resolve: async (p, args, ctx) => {
        const limit = args.limit ?? EMBEDDED_EVENTS;
        const embedded = p.machine.events;
        const events =
          embedded && limit <= EMBEDDED_EVENTS ? embedded : await ctx.loaders.machineEvents.load(machineKey(p.appName, p.machine.id));
        return events.slice(0, limit);
      },
    }),
    checks: t.field({ type: [CheckStatusRef], description: 'Latest result of each health check.', resolve: (p) => p.machine.checks ?? [] }),
  }),
});

function imageFromRef(machine: FlyMachine): string | null {
  const ref = machine.image_ref;
  if (!ref?.repository) return null;
  return `${ref.registry ? `${ref.registry}/` : ''}${ref.repository}${ref.tag ? `:${ref.tag}` : ''}`;
}

/** A page of machines. */
export const MachineConnection = builder.connectionObject({ type: MachineRef, name: 'MachineConnection' });

/** Arguments that filter a machine list (shared by Query.machines and App.machines). */
export interface MachineListArgs extends ConnectionArgs {
  state?: readonly string[] | null;
  region?: string | null;
  metadata?: readonly { key: string; value: string }[] | null;
}

/** Resolves a machine connection of one app, de-duplicated per request and following Fly's cursors. */
export async function resolveMachineConnection(app: string, args: MachineListArgs, ctx: GraphQLContext, info: GraphQLResolveInfo) {
  const filter: MachineFilter = {
    app,
    state: args.state && args.state.length > 0 ? [...args.state] : undefined,
    region: args.region ?? undefined,
    metadata: toRecord(args.metadata),
    summary: !connectionNeedsFullBodies(info),
  };
  return resolveFlyConnection(
    args,
    {
      all: () => ctx.loaders.machines.load(filter),
      page: (cursor, limit) => ctx.loaders.machinesPage.load({ filter, cursor, limit }),
    },
    (machine) => ({ appName: app, machine }),
  );
}

builder.queryFields((t) => ({
  machines: t.connection(
    {
      type: MachineRef,
      description: "Machines of one app, following Fly's cursors when `first`/`after` are given.",
      args: {
        app: t.arg.string({ required: true, description: 'App name.', validate: { schema: appNameSchema } }),
        state: t.arg({ type: [MachineState], required: false, description: 'Only machines in one of these states.' }),
        region: t.arg.string({ required: false, description: 'Only machines in this region.', validate: { schema: regionSchema } }),
        metadata: t.arg({
          type: [MetadataFilterInput],
          required: false,
          description: 'Only machines whose metadata matches all of these.',
        }),
      },
      resolve: (_root, args, ctx, info) => resolveMachineConnection(args.app, args, ctx, info),
    },
    MachineConnection,
  ),
  machine: t.field({
    type: MachineRef,
    nullable: true,
    description: 'One machine by app name and Fly machine id; null when it does not exist.',
    args: {
      app: t.arg.string({ required: true, validate: { schema: appNameSchema } }),
      machineId: t.arg.string({ required: true, validate: { schema: machineIdSchema } }),
    },
    resolve: async (_root, args, ctx) => {
      const machine = await ctx.loaders.machine.load(machineKey(args.app, args.machineId)).catch(nullOnNotFound);
      return machine ? { appName: args.app, machine } : null;
    },
  }),
}));
