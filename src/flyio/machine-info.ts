/**
 * What a machine runs and holds, beyond its body: config versions, processes and memory. Each is a declared
 * operation (src/flyio/operation.ts); nothing else is needed for the client, the read cache or a thin GraphQL field.
 */
import { z } from 'zod';
import { defineOperation } from './operation.js';
import type { MachineRef } from './types.js';
import { flyMachineVersionSchema, flyMemorySchema, flyProcessStatSchema, flyReclaimMemorySchema } from './wire/machine.js';

const metadataValueSchema = z.looseObject({ value: z.string() });

const MACHINE = '/apps/{app}/machines/{machineId}';
const onMachine = ({ app, machineId }: MachineRef) => ({ app, machineId });

/** `GET …/versions`: every config version of the machine, newest first. Cached as long as the machine. */
export const machineVersions = defineOperation<MachineRef, z.infer<typeof flyMachineVersionSchema>[]>({
  name: 'machines.versions',
  method: 'GET',
  path: `${MACHINE}/versions`,
  response: z.array(flyMachineVersionSchema),
  target: onMachine,
  cache: 'machine',
});

/** Input of {@link machineProcesses}: sorting as Fly offers it. */
export interface MachineProcessesInput extends MachineRef {
  sortBy?: 'cpu' | 'rss' | 'pid' | 'rtime' | 'stime';
  order?: 'asc' | 'desc';
}

/** `GET …/ps`: the processes running in the machine now. Never cached: it changes by the second. */
export const machineProcesses = defineOperation<MachineProcessesInput, z.infer<typeof flyProcessStatSchema>[]>({
  name: 'machines.ps',
  method: 'GET',
  path: `${MACHINE}/ps`,
  query: ({ sortBy, order }) => ({ sort_by: sortBy, order }),
  response: z.array(flyProcessStatSchema),
  target: onMachine,
});

/** `GET …/memory`: the memory limit the balloon device keeps and what is available under it. */
export const machineMemory = defineOperation<MachineRef, z.infer<typeof flyMemorySchema>>({
  name: 'machines.memory.get',
  method: 'GET',
  path: `${MACHINE}/memory`,
  response: flyMemorySchema,
  target: onMachine,
  cache: 'machine',
});

/** Input of {@link setMachineMemoryLimit}. */
export interface SetMemoryLimitInput extends MachineRef {
  limitMb: number;
}

/** `PUT …/memory`: lowers (or restores) the memory the machine may use, up to its guest's size. */
export const setMachineMemoryLimit = defineOperation<SetMemoryLimitInput, z.infer<typeof flyMemorySchema>>({
  name: 'machines.memory.set',
  method: 'PUT',
  path: `${MACHINE}/memory`,
  body: ({ limitMb }) => ({ limit_mb: limitMb }),
  response: flyMemorySchema,
  target: onMachine,
});

/** Input of {@link reclaimMachineMemory}. */
export interface ReclaimMemoryInput extends MachineRef {
  amountMb: number;
}

/** `POST …/memory/reclaim`: asks the balloon device to take memory back from the guest now. */
export const reclaimMachineMemory = defineOperation<ReclaimMemoryInput, z.infer<typeof flyReclaimMemorySchema>>({
  name: 'machines.memory.reclaim',
  method: 'POST',
  path: `${MACHINE}/memory/reclaim`,
  body: ({ amountMb }) => ({ amount_mb: amountMb }),
  response: flyReclaimMemorySchema,
  target: onMachine,
});

/** `GET …/metadata/{key}`: one metadata value (404 when the key is not set). Cached as long as the machine. */
export const machineMetadataValue = defineOperation<MachineRef & { key: string }, z.infer<typeof metadataValueSchema>>({
  name: 'machines.metadata.get',
  method: 'GET',
  path: `${MACHINE}/metadata/{key}`,
  response: metadataValueSchema,
  target: onMachine,
  cache: 'machine',
});
