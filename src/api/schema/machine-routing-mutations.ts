import { builder } from '../builder.js';
import { SignalEnum } from './enums.js';
import { orUndefined } from './inputs.js';
import { leaseNonceField, machineMutationErrors, machineOnlyPayloadType, machineTargetFields, runMachineMutation } from './machine-mutation-support.js';

const SignalMachineInput = builder.inputType('SignalMachineInput', {
  fields: (t) => ({ ...machineTargetFields(t), leaseNonce: leaseNonceField(t), signal: t.field({ type: SignalEnum, required: true }) }),
});

const CordonMachineInput = builder.inputType('CordonMachineInput', {
  fields: (t) => ({ ...machineTargetFields(t), leaseNonce: leaseNonceField(t) }),
});

const SignalMachineSuccess = machineOnlyPayloadType('SignalMachineSuccess', 'The signal was delivered.');
const CordonMachineSuccess = machineOnlyPayloadType('CordonMachineSuccess', 'The machine no longer receives traffic from Fly Proxy.');
const UncordonMachineSuccess = machineOnlyPayloadType('UncordonMachineSuccess', 'The machine receives traffic from Fly Proxy again.');

builder.mutationFields((t) => ({
  signalMachine: t.field({
    type: SignalMachineSuccess,
    description: "Sends a Unix signal to the machine's main process.",
    errors: machineMutationErrors('SignalMachineResult'),
    args: { input: t.arg({ type: SignalMachineInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const machine = await runMachineMutation(ctx, input.app, () =>
        ctx.services.machines.signal({ app: input.app, machineId: input.machineId, signal: input.signal, leaseNonce: orUndefined(input.leaseNonce) }, { signal: ctx.signal }),
        (m) => m,
      );
      return { machine: { appName: input.app, machine } };
    },
  }),
  cordonMachine: t.field({
    type: CordonMachineSuccess,
    description: 'Takes the machine out of Fly Proxy routing; it keeps running.',
    errors: machineMutationErrors('CordonMachineResult'),
    args: { input: t.arg({ type: CordonMachineInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const machine = await runMachineMutation(ctx, input.app, () =>
        ctx.services.machines.cordon({ app: input.app, machineId: input.machineId, leaseNonce: orUndefined(input.leaseNonce) }, { signal: ctx.signal }),
        (m) => m,
      );
      return { machine: { appName: input.app, machine } };
    },
  }),
  uncordonMachine: t.field({
    type: UncordonMachineSuccess,
    description: 'Puts a cordoned machine back into Fly Proxy routing.',
    errors: machineMutationErrors('UncordonMachineResult'),
    args: { input: t.arg({ type: CordonMachineInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const machine = await runMachineMutation(ctx, input.app, () =>
        ctx.services.machines.uncordon({ app: input.app, machineId: input.machineId, leaseNonce: orUndefined(input.leaseNonce) }, { signal: ctx.signal }),
        (m) => m,
      );
      return { machine: { appName: input.app, machine } };
    },
  }),
}));
