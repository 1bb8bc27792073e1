import { builder } from '../builder.js';
import { metadataKeySchema, metadataValueSchema, orUndefined } from './inputs.js';
import { leaseNonceField, machineMutationErrors, machineOnlyPayloadType, machineTargetFields, runMachineMutation } from './machine-mutation-support.js';

const SetMachineMetadataInput = builder.inputType('SetMachineMetadataInput', {
  fields: (t) => ({
    ...machineTargetFields(t),
    key: t.string({ required: true, validate: { schema: metadataKeySchema } }),
    value: t.string({ required: true, validate: { schema: metadataValueSchema } }),
    leaseNonce: leaseNonceField(t),
  }),
});

const DeleteMachineMetadataInput = builder.inputType('DeleteMachineMetadataInput', {
  fields: (t) => ({
    ...machineTargetFields(t),
    key: t.string({ required: true, validate: { schema: metadataKeySchema } }),
    leaseNonce: leaseNonceField(t),
  }),
});

const SetMachineMetadataSuccess = machineOnlyPayloadType('SetMachineMetadataSuccess', 'The metadata key was set (the machine was not restarted).');
const DeleteMachineMetadataSuccess = machineOnlyPayloadType('DeleteMachineMetadataSuccess', 'The metadata key was removed.');

builder.mutationFields((t) => ({
  setMachineMetadata: t.field({
    type: SetMachineMetadataSuccess,
    description: "Sets one key of the machine's metadata without restarting it.",
    errors: machineMutationErrors('SetMachineMetadataResult'),
    args: { input: t.arg({ type: SetMachineMetadataInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const machine = await runMachineMutation(ctx, input.app, () =>
        ctx.services.machines.setMetadata(
          { app: input.app, machineId: input.machineId, key: input.key, value: input.value, leaseNonce: orUndefined(input.leaseNonce) },
          { signal: ctx.signal },
        ),
        (m) => m,
      );
      return { machine: { appName: input.app, machine } };
    },
  }),
  deleteMachineMetadata: t.field({
    type: DeleteMachineMetadataSuccess,
    description: "Removes one key from the machine's metadata.",
    errors: machineMutationErrors('DeleteMachineMetadataResult'),
    args: { input: t.arg({ type: DeleteMachineMetadataInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const machine = await runMachineMutation(ctx, input.app, () =>
        ctx.services.machines.deleteMetadata({ app: input.app, machineId: input.machineId, key: input.key, leaseNonce: orUndefined(input.leaseNonce) }, { signal: ctx.signal }),
        (m) => m,
      );
      return { machine: { appName: input.app, machine } };
    },
  }),
}));
