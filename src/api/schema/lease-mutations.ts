import { z } from 'zod';
import type { FlyLease } from '../../flyio/wire/machine.js';
import { builder } from '../builder.js';
import { nonceSchema } from './inputs.js';
import { LeaseRef } from './lease.js';
import { machineMutationErrors, machineOnlyPayloadType, machineTargetFields, runMachineMutation } from './machine-mutation-support.js';
import { MachineRef, type MachineParent } from './machine.js';

const ttlSchema = z.number().int('must be a whole number of seconds').min(1, 'must be at least 1 second').max(3600, 'must be at most 3600 seconds');

const AcquireMachineLeaseInput = builder.inputType('AcquireMachineLeaseInput', {
  fields: (t) => ({
    ...machineTargetFields(t),
    ttlSeconds: t.int({ required: false, description: 'How long the lease lasts unless refreshed (Fly default 30 s).', validate: { schema: ttlSchema } }),
    description: t.string({ required: false, description: 'Why the lease is held, shown to others.', validate: { schema: z.string().max(256, 'must be at most 256 characters') } }),
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
function leaseGrantType(name: string, description: string) {
  return builder.objectRef<LeaseGrant>(name).implement({
    description,
    fields: (t) => ({
      nonce: t.exposeString('nonce', { description: 'Proof of holding the lease: pass it as leaseNonce to change the machine, and to refresh or release.' }),
      lease: t.field({ type: LeaseRef, resolve: (g) => g.lease }),
      machine: t.field({ type: MachineRef, resolve: (g) => g.machine }),
    }),
  });
}

const AcquireMachineLeaseSuccess = leaseGrantType('AcquireMachineLeaseSuccess', 'The caller now holds the lease.');
const RefreshMachineLeaseSuccess = leaseGrantType('RefreshMachineLeaseSuccess', "The caller's lease was extended.");
const ReleaseMachineLeaseSuccess = machineOnlyPayloadType('ReleaseMachineLeaseSuccess', 'The lease was released.');

builder.mutationFields((t) => ({
  acquireMachineLease: t.field({
    type: AcquireMachineLeaseSuccess,
    description: 'Takes the machine\'s lease, so that only the holder (with the nonce) can change it.',
    errors: machineMutationErrors('AcquireMachineLeaseResult'),
    args: { input: t.arg({ type: AcquireMachineLeaseInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const { lease, nonce, machine } = await runMachineMutation(ctx, input.app, () =>
        ctx.services.machines.acquireLease(
          { app: input.app, machineId: input.machineId, ttlSeconds: input.ttlSeconds ?? undefined, description: input.description ?? undefined },
          { signal: ctx.signal },
        ),
        (r) => r.machine,
      );
      return { lease, nonce, machine: { appName: input.app, machine } };
    },
  }),
  refreshMachineLease: t.field({
    type: RefreshMachineLeaseSuccess,
    description: "Extends the caller's lease.",
    errors: machineMutationErrors('RefreshMachineLeaseResult'),
    args: { input: t.arg({ type: RefreshMachineLeaseInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const { lease, nonce, machine } = await runMachineMutation(ctx, input.app, () =>
        ctx.services.machines.refreshLease({ app: input.app, machineId: input.machineId, nonce: input.nonce, ttlSeconds: input.ttlSeconds ?? undefined }, { signal: ctx.signal }),
        (r) => r.machine,
      );
      return { lease, nonce, machine: { appName: input.app, machine } };
    },
  }),
  releaseMachineLease: t.field({
    type: ReleaseMachineLeaseSuccess,
    description: "Gives the caller's lease back.",
    errors: machineMutationErrors('ReleaseMachineLeaseResult'),
    args: { input: t.arg({ type: ReleaseMachineLeaseInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const machine = await runMachineMutation(ctx, input.app, () =>
        ctx.services.machines.releaseLease({ app: input.app, machineId: input.machineId, nonce: input.nonce }, { signal: ctx.signal }),
        (m) => m,
      );
      return { machine: { appName: input.app, machine } };
    },
  }),
}));
