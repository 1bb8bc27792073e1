import { builder } from '../../builder.js';
import { metadataKeySchema, metadataValueSchema } from '../inputs.js';
import { leasedTarget, leaseNonceField, machineMutation, machineOnlyPayloadType, machineTargetFields } from './mutation-support.js';

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

machineMutation('setMachineMetadata', {
  description: "Sets one key of the machine's metadata without restarting it.",
  input: SetMachineMetadataInput,
  success: machineOnlyPayloadType('SetMachineMetadataSuccess', 'The metadata key was set (the machine was not restarted).'),
  run: (machines, input, options) => machines.setMetadata({ ...leasedTarget(input), key: input.key, value: input.value }, options),
});

machineMutation('deleteMachineMetadata', {
  description: "Removes one key from the machine's metadata.",
  input: DeleteMachineMetadataInput,
  success: machineOnlyPayloadType('DeleteMachineMetadataSuccess', 'The metadata key was removed.'),
  run: (machines, input, options) => machines.deleteMetadata({ ...leasedTarget(input), key: input.key }, options),
});
