/**
 * The thin machine writes answered with the machine as it now is: a signal, routing (cordon, uncordon) and one
 * metadata key. Each sends its declared operation through `machines.act` and reads the machine.
 */
import { builder } from '../../builder.js';
import { SignalEnum } from '../enums.js';
import { metadataKeySchema, metadataValueSchema } from '../inputs.js';
import {
  cordonMachine,
  deleteMachineMetadata,
  setMachineMetadata,
  signalMachine,
  uncordonMachine,
} from '../../../flyio/machine-actions.js';
import {
  leaseNonceField,
  leaseOf,
  machineMutation,
  machineOf,
  machineOnly,
  machineOnlyPayloadType,
  machineTargetFields,
} from './mutation-support.js';

const SignalMachineInput = builder.inputType('SignalMachineInput', {
  fields: (t) => ({ ...machineTargetFields(t), leaseNonce: leaseNonceField(t), signal: t.field({ type: SignalEnum, required: true }) }),
});

const CordonMachineInput = builder.inputType('CordonMachineInput', {
  fields: (t) => ({ ...machineTargetFields(t), leaseNonce: leaseNonceField(t) }),
});

machineMutation('signalMachine', {
  description: "Sends a Unix signal to the machine's main process.",
  input: SignalMachineInput,
  success: machineOnlyPayloadType('SignalMachineSuccess', 'The signal was delivered.'),
  run: (machines, input, options) =>
    machineOnly(machines.act(signalMachine, { ...machineOf(input), signal: input.signal }, leaseOf(input), options)),
});

machineMutation('cordonMachine', {
  description: 'Takes the machine out of Fly Proxy routing; it keeps running.',
  input: CordonMachineInput,
  success: machineOnlyPayloadType('CordonMachineSuccess', 'The machine no longer receives traffic from Fly Proxy.'),
  run: (machines, input, options) => machineOnly(machines.act(cordonMachine, machineOf(input), leaseOf(input), options)),
});

machineMutation('uncordonMachine', {
  description: 'Puts a cordoned machine back into Fly Proxy routing.',
  input: CordonMachineInput,
  success: machineOnlyPayloadType('UncordonMachineSuccess', 'The machine receives traffic from Fly Proxy again.'),
  run: (machines, input, options) => machineOnly(machines.act(uncordonMachine, machineOf(input), leaseOf(input), options)),
});

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
