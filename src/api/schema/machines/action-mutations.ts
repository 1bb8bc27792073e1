/**
 * The thin machine writes answered with the machine as it now is: a signal, routing (cordon, uncordon) and one
 * metadata key. Each sends its declared operation through `machines.act` and reads the machine.
 */
import { builder } from '../../builder.js';
import { SignalEnum } from '../enums.js';
import { metadataKeySchema, metadataValueSchema, MetadataEntryInput, toRecord } from '../inputs.js';
import {
  cordonMachine,
  deleteMachineMetadata,
  setMachineMetadata,
  signalMachine,
  updateMachineMetadata,
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

const UpdateMachineMetadataInput = builder.inputType('UpdateMachineMetadataInput', {
  fields: (t) => ({
    ...machineTargetFields(t),
    set: t.field({ type: [MetadataEntryInput], required: false, description: 'Keys to set (or replace).' }),
    remove: t.stringList({ required: false, description: 'Keys to remove.', validate: { items: { schema: metadataKeySchema } } }),
    machineVersion: t.string({
      required: false,
      description: 'Change only if the machine is still at this version (else a VersionConflictError).',
    }),
    leaseNonce: leaseNonceField(t),
  }),
});

machineMutation('updateMachineMetadata', {
  description: "Sets and removes several keys of the machine's metadata in one change, without restarting it.",
  input: UpdateMachineMetadataInput,
  success: machineOnlyPayloadType('UpdateMachineMetadataSuccess', 'The keys were set and removed (the machine was not restarted).'),
  run: (machines, input, options) =>
    machineOnly(
      machines.act(
        updateMachineMetadata,
        {
          ...machineOf(input),
          set: toRecord(input.set) ?? {},
          remove: input.remove ?? [],
          machineVersion: input.machineVersion ?? undefined,
        },
        leaseOf(input),
        options,
      ),
    ),
});

machineMutation('deleteMachineMetadata', {
  description: "Removes one key from the machine's metadata.",
  input: DeleteMachineMetadataInput,
  success: machineOnlyPayloadType('DeleteMachineMetadataSuccess', 'The metadata key was removed.'),
  run: (machines, input, options) =>
    machineOnly(machines.act(deleteMachineMetadata, { ...machineOf(input), key: input.key }, leaseOf(input), options)),
});
