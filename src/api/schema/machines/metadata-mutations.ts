import { builder } from '../../builder.js';
import { metadataKeySchema, metadataValueSchema } from '../inputs.js';
import { deleteMachineMetadata, setMachineMetadata } from '../../../flyio/machine-actions.js';
import {
  leaseNonceField,
  leaseOf,
  machineMutation,
  machineOf,
  machineOnly,
  machineOnlyPayloadType,
  machineTargetFields,
} from './mutation-support.js';

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
  run: (machines, input, options) =>
    machineOnly(machines.act(setMachineMetadata, { ...machineOf(input), key: input.key, value: input.value }, leaseOf(input), options)),
});

machineMutation('deleteMachineMetadata', {
  description: "Removes one key from the machine's metadata.",
  input: DeleteMachineMetadataInput,
  success: machineOnlyPayloadType('DeleteMachineMetadataSuccess', 'The metadata key was removed.'),
  run: (machines, input, options) =>
    machineOnly(machines.act(deleteMachineMetadata, { ...machineOf(input), key: input.key }, leaseOf(input), options)),
});
