/**
 * What a machine runs and holds beyond its body: config versions, processes and memory, with the two memory
 * mutations. Each is one declared Fly operation (src/flyio/machine-info.ts) exposed as it is: no use case, no
 * binding (docs/ARCHITECTURE.md, "Adding a Fly operation").
 */
import { z } from 'zod';
import { isNotFound } from '../../../flyio/errors.js';
import {
  machineMemory,
  machineMetadataValue,
  machineProcesses,
  machineVersions,
  reclaimMachineMemory,
  setMachineMemoryLimit,
} from '../../../flyio/machine-info.js';
import type { FlyMachineVersion, FlyMemory, FlyProcessStat } from '../../../flyio/wire/machine.js';
import { builder } from '../../builder.js';
import { leaseNonceField, machineTargetFields, operationMutation } from './mutation-support.js';
import { MachineConfigRef } from './machine-config.js';
import { MachineRef } from './machine.js';

const MachineVersionRef = builder.objectRef<FlyMachineVersion>('MachineVersion').implement({
  description: 'One version of a machine: the config it was given then.',
  fields: (t) => ({
    version: t.string({ resolve: (v) => v.version }),
    config: t.field({ type: MachineConfigRef, resolve: (v) => v.user_config ?? {} }),
  }),
});

const ListenSocketRef = builder.objectRef<{ address?: string; proto?: string }>('ListenSocket').implement({
  fields: (t) => ({
    address: t.string({ nullable: true, resolve: (s) => s.address ?? null }),
    proto: t.string({ nullable: true, resolve: (s) => s.proto ?? null }),
  }),
});

const MachineProcessRef = builder.objectRef<FlyProcessStat>('MachineProcess').implement({
  description: 'A process running in the machine (`fly machine ps`).',
  fields: (t) => ({
    pid: t.int({ nullable: true, resolve: (p) => p.pid ?? null }),
    command: t.string({ nullable: true, resolve: (p) => p.command ?? null }),
    cpu: t.int({ nullable: true, description: 'CPU use, as Fly reports it.', resolve: (p) => p.cpu ?? null }),
    rssBytes: t.int({ nullable: true, description: 'Resident memory, in bytes.', resolve: (p) => p.rss ?? null }),
    runSeconds: t.int({ nullable: true, description: 'Time it has run, in seconds (`rtime`).', resolve: (p) => p.rtime ?? null }),
    systemSeconds: t.int({
      nullable: true,
      description: 'CPU time spent in the kernel, in seconds (`stime`).',
      resolve: (p) => p.stime ?? null,
    }),
    directory: t.string({ nullable: true, resolve: (p) => p.directory ?? null }),
    listenSockets: t.field({ type: [ListenSocketRef], resolve: (p) => p.listen_sockets ?? [] }),
  }),
});

const MachineMemoryRef = builder.objectRef<FlyMemory>('MachineMemory').implement({
  description: "The memory the machine may use now (the balloon device's limit, up to its guest's size) and what is free under it.",
  fields: (t) => ({
    limitMb: t.int({ nullable: true, resolve: (m) => m.limit_mb ?? null }),
    availableMb: t.int({ nullable: true, resolve: (m) => m.available_mb ?? null }),
  }),
});

const ProcessSortEnum = builder.enumType('ProcessSort', {
  values: {
    CPU: { value: 'cpu' },
    RSS: { value: 'rss' },
    PID: { value: 'pid' },
    RUN_TIME: { value: 'rtime' },
    SYSTEM_TIME: { value: 'stime' },
  } as const,
});
const SortOrderEnum = builder.enumType('SortOrder', { values: { ASC: { value: 'asc' }, DESC: { value: 'desc' } } as const });

builder.objectFields(MachineRef, (t) => ({
  metadataValue: t.string({
    nullable: true,
    description: 'One metadata value (null when the key is not set): one Fly call, cached as long as the machine.',
    args: { key: t.arg.string({ required: true }) },
    resolve: (p, args, ctx) =>
      ctx.loaders.call(machineMetadataValue, { app: p.appName, machineId: p.machine.id, key: args.key }).then(
        (answer) => answer.value,
        (error: unknown) => {
          if (isNotFound(error)) return null;
          throw error;
        },
      ),
  }),
  versions: t.field({
    type: [MachineVersionRef],
    description: 'Every config version of the machine, newest first (one Fly call per machine; cached as long as the machine).',
    resolve: (p, _args, ctx) => ctx.loaders.call(machineVersions, { app: p.appName, machineId: p.machine.id }),
  }),
  processes: t.field({
    type: [MachineProcessRef],
    description: 'The processes running in the machine now (empty unless it is started; asked of Fly every time).',
    args: {
      sortBy: t.arg({ type: ProcessSortEnum, required: false }),
      order: t.arg({ type: SortOrderEnum, required: false }),
    },
    resolve: (p, args, ctx) =>
      ctx.loaders.call(machineProcesses, {
        app: p.appName,
        machineId: p.machine.id,
        sortBy: args.sortBy ?? undefined,
        order: args.order ?? undefined,
      }),
  }),
  memory: t.field({
    type: MachineMemoryRef,
    description: 'Its memory limit and what is available under it (one Fly call per machine; cached as long as the machine).',
    resolve: (p, _args, ctx) => ctx.loaders.call(machineMemory, { app: p.appName, machineId: p.machine.id }),
  }),
}));

const megabytes = (what: string) =>
  z.number().int(`${what} must be a whole number of MB`).min(1, `${what} must be at least 1 MB`).max(1_048_576);

const SetMachineMemoryLimitInput = builder.inputType('SetMachineMemoryLimitInput', {
  fields: (t) => ({
    ...machineTargetFields(t),
    leaseNonce: leaseNonceField(t),
    limitMb: t.int({
      required: true,
      description: "The new limit, in MB (at most the guest's memory).",
      validate: { schema: megabytes('limitMb') },
    }),
  }),
});

const ReclaimMachineMemoryInput = builder.inputType('ReclaimMachineMemoryInput', {
  fields: (t) => ({
    ...machineTargetFields(t),
    leaseNonce: leaseNonceField(t),
    amountMb: t.int({ required: true, description: 'How much to take back, in MB.', validate: { schema: megabytes('amountMb') } }),
  }),
});

operationMutation('setMachineMemoryLimit', {
  description: "Sets the memory the machine may use (the balloon device's limit), up to its guest's size; it keeps running.",
  input: SetMachineMemoryLimitInput,
  operation: setMachineMemoryLimit,
  toInput: ({ app, machineId, limitMb }) => ({ app, machineId, limitMb }),
  success: {
    type: builder.objectRef<{ memory: FlyMemory }>('SetMachineMemoryLimitSuccess').implement({
      description: 'The limit was set.',
      fields: (t) => ({ memory: t.field({ type: MachineMemoryRef, resolve: (p) => p.memory }) }),
    }),
    shape: (memory) => ({ memory }),
  },
});

operationMutation('reclaimMachineMemory', {
  description: 'Asks the balloon device to take memory back from the machine now.',
  input: ReclaimMachineMemoryInput,
  operation: reclaimMachineMemory,
  toInput: ({ app, machineId, amountMb }) => ({ app, machineId, amountMb }),
  success: {
    type: builder.objectRef<{ reclaimedMb: number | null }>('ReclaimMachineMemorySuccess').implement({
      description: 'What the balloon device took back.',
      fields: (t) => ({ reclaimedMb: t.int({ nullable: true, resolve: (p) => p.reclaimedMb }) }),
    }),
    shape: (answer) => ({ reclaimedMb: answer.actual_mb ?? null }),
  },
});
