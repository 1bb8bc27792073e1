import { z } from 'zod';
import type { FlyLease } from '../../../flyio/wire/machine.js';
import type { LeaseOutcome } from '../../../services/machines/types.js';
import { builder } from '../../builder.js';
import { nonceSchema, orUndefined } from '../inputs.js';
import { LeaseRef } from './lease.js';
import { machineMutation, machineOnlyPayloadType, machineTargetFields, type MachinePayload } from './mutation-support.js';
import { MachineRef, type MachineParent } from './machine.js';

const ttlSchema = z
  .number()
  .int('must be a whole number of seconds')
  .min(1, 'must be at least 1 second')
  .max(3600, 'must be at most 3600 seconds');

const AcquireMachineLeaseInput = builder.inputType('AcquireMachineLeaseInput', {
  fields: (t) => ({
    ...machineTargetFields(t),
    ttlSeconds: t.int({
      required: false,
      description: 'How long the lease lasts unless refreshed (Fly default 30 s).',
      validate: { schema: ttlSchema },
    }),
    description: t.string({
      required: false,
      description: 'Why the lease is held, shown to others.',
      validate: { schema: z.string().max(256, 'must be at most 256 characters') },
    }),
  }),
});

const RefreshMachineLeaseInput = builder.inputType('RefreshMachineLeaseInput', {
  fields: (t) => ({
    ...machineTargetFields(t),
    nonce: t.string({ required: true, description: 'The nonce returned when the lease was acquired.', validate: { schema: nonceSchema } }),
    ttlSeconds: t.int({ required: false, validate: { schema: ttlSchema } }),
  }),
});

const ReleaseMachineLeaseInput = builder.inputType('ReleaseMachineLeaseInput', {
  fields: (t) => ({
    ...machineTargetFields(t),
    nonce: t.string({ required: true, validate: { schema: nonceSchema } }),
  }),
});

interface LeaseGrant {
  lease: FlyLease;
  nonce: string;
  machine: MachineParent;
}

/** The only place a nonce is ever shown: in the answer to the caller who acquired or refreshed the lease. */
function leaseGrantType(name: string, description: string): MachinePayload<LeaseOutcome, LeaseGrant> {
  const type = builder.objectRef<LeaseGrant>(name).implement({
    description,
    fields: (t) => ({
      nonce: t.exposeString('nonce', {
        description: 'Proof of holding the lease: pass it as leaseNonce to change the machine, and to refresh or release.',
      }),
      lease: t.field({ type: LeaseRef, resolve: (g) => g.lease }),
      machine: t.field({ type: MachineRef, resolve: (g) => g.machine }),
    }),
  });
  return {
    type,
    machineOf: (r) => r.machine,
    shape: (r, input) => ({ lease: r.lease, nonce: r.nonce, machine: { appName: input.app, machine: r.machine } }),
  };
}

machineMutation('acquireMachineLease', {
  description: "Takes the machine's lease, so that only the holder (with the nonce) can change it.",
  input: AcquireMachineLeaseInput,
  success: leaseGrantType('AcquireMachineLeaseSuccess', 'The caller now holds the lease.'),
  run: (machines, input, options) =>
    machines.acquireLease(
      {
        app: input.app,
        machineId: input.machineId,
        ttlSeconds: orUndefined(input.ttlSeconds),
        description: orUndefined(input.description),
      },
      options,
    ),
});

machineMutation('refreshMachineLease', {
  description: "Extends the caller's lease.",
  input: RefreshMachineLeaseInput,
  success: leaseGrantType('RefreshMachineLeaseSuccess', "The caller's lease was extended."),
  run: (machines, input, options) =>
    machines.refreshLease(
      { app: input.app, machineId: input.machineId, nonce: input.nonce, ttlSeconds: orUndefined(input.ttlSeconds) },
      options,
    ),
});

machineMutation('releaseMachineLease', {
  description: "Gives the caller's lease back.",
  input: ReleaseMachineLeaseInput,
  success: machineOnlyPayloadType('ReleaseMachineLeaseSuccess', 'The lease was released.'),
  run: (machines, input, options) => machines.releaseLease({ app: input.app, machineId: input.machineId, nonce: input.nonce }, options),
});
