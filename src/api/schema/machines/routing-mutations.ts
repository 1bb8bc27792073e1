import { builder } from '../../builder.js';
import { SignalEnum } from '../enums.js';
import { cordonMachine, signalMachine, uncordonMachine } from '../../../flyio/machine-actions.js';
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
