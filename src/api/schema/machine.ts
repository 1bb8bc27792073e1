import { resolveArrayConnection } from '@pothos/plugin-relay';
import type { FlyMachine } from '../../flyio/wire/machine.js';
import { machineKey } from '../../services/loaders.js';
import { builder } from '../builder.js';
import { CheckStatusRef } from './check-status.js';
import { MachineState, toMachineState } from './enums.js';
import { MachineEventRef } from './machine-event.js';
import { parseTimestamp } from './scalars.js';

/** A machine together with the app it belongs to (Fly's machine body does not name its app). */
export interface MachineParent {
  appName: string;
  machine: FlyMachine;
}

/** Pairs Fly machines with their app for the resolvers. */
export function toMachineParents(appName: string, machines: FlyMachine[]): MachineParent[] {
  return machines.map((machine) => ({ appName, machine }));
}

export const MachineRef = builder.objectRef<MachineParent>('Machine');

builder.node(MachineRef, {
  description: 'A Fly Machine: a fast-booting VM of one app in one region.',
  id: { resolve: (p) => machineKey(p.appName, p.machine.id) },
  loadOne: async (key, ctx) => {
    const slash = key.indexOf('/');
    if (slash <= 0) return null;
    const machine = await ctx.loaders.machine.load(key);
    return { appName: key.slice(0, slash), machine };
  },
  fields: (t) => ({
    machineId: t.string({ description: "Fly's machine id (14 hex characters).", resolve: (p) => p.machine.id }),
    appName: t.exposeString('appName'),
    name: t.string({ nullable: true, resolve: (p) => p.machine.name ?? null }),
    state: t.field({ type: MachineState, resolve: (p) => toMachineState(p.machine.state) }),
    region: t.string({ nullable: true, resolve: (p) => p.machine.region ?? null }),
    image: t.string({ nullable: true, resolve: (p) => p.machine.config?.image ?? imageFromRef(p.machine) }),
    version: t.string({ nullable: true, resolve: (p) => p.machine.version ?? p.machine.instance_id ?? null }),
    privateIp: t.string({ nullable: true, resolve: (p) => p.machine.private_ip ?? null }),
    cordoned: t.boolean({ resolve: (p) => p.machine.cordoned ?? false }),
    cpus: t.int({ nullable: true, resolve: (p) => p.machine.config?.guest?.cpus ?? null }),
    cpuKind: t.string({ nullable: true, resolve: (p) => p.machine.config?.guest?.cpu_kind ?? null }),
    memoryMb: t.int({ nullable: true, resolve: (p) => p.machine.config?.guest?.memory_mb ?? null }),
    createdAt: t.field({ type: 'DateTime', nullable: true, resolve: (p) => parseTimestamp(p.machine.created_at) }),
    updatedAt: t.field({ type: 'DateTime', nullable: true, resolve: (p) => parseTimestamp(p.machine.updated_at) }),
    events: t.field({
      type: [MachineEventRef],
      description: 'Recent events, newest first. Taken from the machine body when Fly includes them.',
      args: { limit: t.arg.int({ required: false, description: 'At most this many (Fly keeps up to 50).' }) },
      resolve: async (p, args, ctx) => {
        const events = p.machine.events ?? (await ctx.loaders.machineEvents.load(machineKey(p.appName, p.machine.id)));
        return args.limit != null && args.limit >= 0 ? events.slice(0, args.limit) : events;
      },
    }),
    checks: t.field({ type: [CheckStatusRef], resolve: (p) => p.machine.checks ?? [] }),
  }),
});

function imageFromRef(machine: FlyMachine): string | null {
  const ref = machine.image_ref;
  if (!ref?.repository) return null;
  return `${ref.registry ? `${ref.registry}/` : ''}${ref.repository}${ref.tag ? `:${ref.tag}` : ''}`;
}

builder.queryFields((t) => ({
  machines: t.connection({
    type: MachineRef,
    description: 'Machines of one app.',
    args: {
      app: t.arg.string({ required: true, description: 'App name.' }),
      state: t.arg({ type: [MachineState], required: false, description: 'Only machines in one of these states.' }),
      region: t.arg.string({ required: false, description: 'Only machines in this region.' }),
    },
    resolve: async (_root, args, ctx) => {
      const machines = await ctx.loaders.machines.load({
        app: args.app,
        state: args.state ?? undefined,
        region: args.region ?? undefined,
      });
      return resolveArrayConnection({ args }, toMachineParents(args.app, machines));
    },
  }),
  machine: t.field({
    type: MachineRef,
    nullable: true,
    description: 'One machine by app name and Fly machine id; null when it does not exist.',
    args: { app: t.arg.string({ required: true }), machineId: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const machine = await ctx.loaders.machine.load(machineKey(args.app, args.machineId)).catch(nullOnNotFound);
      return machine ? { appName: args.app, machine } : null;
    },
  }),
}));

/** Turns a Fly NOT_FOUND into `null` for nullable lookups; rethrows anything else. */
export function nullOnNotFound(error: unknown): null {
  if ((error as { code?: string })?.code === 'NOT_FOUND') return null;
  throw error;
}

