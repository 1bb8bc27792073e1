import { z } from 'zod';
import type { WaitReport } from '../../services/machines/types.js';
import { builder } from '../builder.js';
import { SignalEnum } from './enums.js';
import { orUndefined, toWait, WaitInput } from './inputs.js';
import { leaseNonceField, machineMutationErrors, machinePayloadType, machineTargetFields, runMachineMutation, WaitReportRef } from './machine-mutation-support.js';
import { MachineRef, type MachineParent } from './machine.js';

const killTimeoutSchema = z.number().int('must be a whole number of seconds').min(1, 'must be at least 1 second').max(300, 'must be at most 300 seconds');

const StartMachineInput = builder.inputType('StartMachineInput', {
  fields: (t) => ({ ...machineTargetFields(t), leaseNonce: leaseNonceField(t), wait: t.field({ type: WaitInput, required: false }) }),
});

const StopMachineInput = builder.inputType('StopMachineInput', {
  fields: (t) => ({
    ...machineTargetFields(t),
    leaseNonce: leaseNonceField(t),
    signal: t.field({ type: SignalEnum, required: false, description: 'Signal to send first (default: the image\'s stop signal, else SIGINT).' }),
    timeoutSeconds: t.int({ required: false, description: 'Seconds between the signal and a forced kill.', validate: { schema: killTimeoutSchema } }),
    wait: t.field({ type: WaitInput, required: false }),
  }),
});

const RestartMachineInput = builder.inputType('RestartMachineInput', {
  fields: (t) => ({
    ...machineTargetFields(t),
    leaseNonce: leaseNonceField(t),
    signal: t.field({ type: SignalEnum, required: false, description: 'Signal used to stop the process before starting it again.' }),
    timeoutSeconds: t.int({ required: false, description: 'Seconds between the signal and a forced kill.', validate: { schema: killTimeoutSchema } }),
    wait: t.field({ type: WaitInput, required: false }),
  }),
});

const SuspendMachineInput = builder.inputType('SuspendMachineInput', {
  fields: (t) => ({ ...machineTargetFields(t), leaseNonce: leaseNonceField(t), wait: t.field({ type: WaitInput, required: false }) }),
});

const DestroyMachineInput = builder.inputType('DestroyMachineInput', {
  fields: (t) => ({
    ...machineTargetFields(t),
    leaseNonce: leaseNonceField(t),
    force: t.boolean({ required: false, description: 'Destroy even if the machine is running.' }),
    wait: t.field({ type: WaitInput, required: false }),
  }),
});

const StartMachineSuccess = machinePayloadType('StartMachineSuccess', 'The machine was asked to start.');
const StopMachineSuccess = machinePayloadType('StopMachineSuccess', 'The machine was asked to stop.');
const RestartMachineSuccess = machinePayloadType('RestartMachineSuccess', 'The machine was asked to restart.');
const SuspendMachineSuccess = machinePayloadType('SuspendMachineSuccess', 'The machine was asked to suspend.');

const DestroyMachineSuccess = builder
  .objectRef<{ machineId: string; machine?: MachineParent; wait?: WaitReport }>('DestroyMachineSuccess')
  .implement({
    description: 'The machine was asked to be destroyed.',
    fields: (t) => ({
      machineId: t.exposeString('machineId'),
      machine: t.field({ type: MachineRef, nullable: true, description: 'The machine, while Fly still returns it.', resolve: (p) => p.machine ?? null }),
      wait: t.field({ type: WaitReportRef, nullable: true, description: 'Null unless `wait` was given.', resolve: (p) => p.wait ?? null }),
    }),
  });

builder.mutationFields((t) => ({
  startMachine: t.field({
    type: StartMachineSuccess,
    description: 'Starts (or resumes) a machine; with `wait`, returns once it is started.',
    errors: machineMutationErrors('StartMachineResult'),
    args: { input: t.arg({ type: StartMachineInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const { machine, wait } = await runMachineMutation(ctx, input.app, () =>
        ctx.services.machines.start({ app: input.app, machineId: input.machineId, leaseNonce: orUndefined(input.leaseNonce), wait: toWait(input.wait) }, { signal: ctx.signal }),
        (r) => r.machine,
      );
      return { machine: { appName: input.app, machine }, wait };
    },
  }),
  stopMachine: t.field({
    type: StopMachineSuccess,
    description: 'Stops a machine; with `wait`, returns once it is stopped.',
    errors: machineMutationErrors('StopMachineResult'),
    args: { input: t.arg({ type: StopMachineInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const { machine, wait } = await runMachineMutation(ctx, input.app, () =>
        ctx.services.machines.stop(
          { app: input.app, machineId: input.machineId, leaseNonce: orUndefined(input.leaseNonce), signal: orUndefined(input.signal), timeoutSeconds: orUndefined(input.timeoutSeconds), wait: toWait(input.wait) },
          { signal: ctx.signal },
        ),
        (r) => r.machine,
      );
      return { machine: { appName: input.app, machine }, wait };
    },
  }),
  restartMachine: t.field({
    type: RestartMachineSuccess,
    description: 'Restarts a started machine; with `wait`, returns once it is started again.',
    errors: machineMutationErrors('RestartMachineResult'),
    args: { input: t.arg({ type: RestartMachineInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const { machine, wait } = await runMachineMutation(ctx, input.app, () =>
        ctx.services.machines.restart(
          { app: input.app, machineId: input.machineId, leaseNonce: orUndefined(input.leaseNonce), signal: orUndefined(input.signal), timeoutSeconds: orUndefined(input.timeoutSeconds), wait: toWait(input.wait) },
          { signal: ctx.signal },
        ),
        (r) => r.machine,
      );
      return { machine: { appName: input.app, machine }, wait };
    },
  }),
  suspendMachine: t.field({
    type: SuspendMachineSuccess,
    description: 'Suspends (snapshots) a started machine; with `wait`, returns once it is suspended.',
    errors: machineMutationErrors('SuspendMachineResult'),
    args: { input: t.arg({ type: SuspendMachineInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const { machine, wait } = await runMachineMutation(ctx, input.app, () =>
        ctx.services.machines.suspend({ app: input.app, machineId: input.machineId, leaseNonce: orUndefined(input.leaseNonce), wait: toWait(input.wait) }, { signal: ctx.signal }),
        (r) => r.machine,
      );
      return { machine: { appName: input.app, machine }, wait };
    },
  }),
  destroyMachine: t.field({
    type: DestroyMachineSuccess,
    description: 'Destroys a machine (for good); with `wait`, returns once it is destroyed.',
    errors: machineMutationErrors('DestroyMachineResult'),
    args: { input: t.arg({ type: DestroyMachineInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const { machine, wait } = await runMachineMutation(ctx, input.app, () =>
        ctx.services.machines.destroy(
          { app: input.app, machineId: input.machineId, leaseNonce: orUndefined(input.leaseNonce), force: orUndefined(input.force), wait: toWait(input.wait) },
          { signal: ctx.signal },
        ),
        (r) => r.machine,
      );
      return { machineId: input.machineId, machine: machine ? { appName: input.app, machine } : undefined, wait };
    },
  }),
}));
