import { z } from 'zod';
import { restartMachine, startMachine, stopMachine, suspendMachine } from '../../../flyio/machine-actions.js';
import type { WaitState } from '../../../flyio/types.js';
import type { DestroyOutcome } from '../../../services/machines/destroy-machine.js';
import type { WaitReport } from '../../../services/machines/types.js';
import { builder } from '../../builder.js';
import { SignalEnum } from '../enums.js';
import { orUndefined, toWait, WaitInput } from '../inputs.js';
import {
  leasedTarget,
  leaseNonceField,
  machineMutation,
  machineOf,
  machinePayloadType,
  machineTargetFields,
  WaitReportRef,
  type MachinePayload,
} from './mutation-support.js';
import { MachineRef, type MachineParent } from './machine.js';

const killTimeoutSchema = z
  .number()
  .int('must be a whole number of seconds')
  .min(1, 'must be at least 1 second')
  .max(300, 'must be at most 300 seconds');

/** The machine, the caller's lease nonce and an optional wait: all that starting or suspending takes. */
function waitingInput(name: string) {
  return builder.inputType(name, {
    fields: (t) => ({ ...machineTargetFields(t), leaseNonce: leaseNonceField(t), wait: t.field({ type: WaitInput, required: false }) }),
  });
}

/** As {@link waitingInput}, plus how to stop the running process: stopping and restarting take these. */
function stoppingInput(name: string, signalDescription: string) {
  return builder.inputType(name, {
    fields: (t) => ({
      ...machineTargetFields(t),
      leaseNonce: leaseNonceField(t),
      signal: t.field({ type: SignalEnum, required: false, description: signalDescription }),
      timeoutSeconds: t.int({
        required: false,
        description: 'Seconds between the signal and a forced kill.',
        validate: { schema: killTimeoutSchema },
      }),
      wait: t.field({ type: WaitInput, required: false }),
    }),
  });
}

type StoppingArgs = ReturnType<typeof stoppingInput>['$inferInput'];

/** What a stop or restart sends: the machine, and how to stop its process. */
function stopRequest(input: StoppingArgs) {
  return {
    app: input.app,
    machineId: input.machineId,
    signal: orUndefined(input.signal),
    timeoutSeconds: orUndefined(input.timeoutSeconds),
  };
}

/** The caller's lease nonce, and its wait for `state`. */
function waitingFor(state: WaitState, input: { leaseNonce?: string | null; wait?: { timeoutSeconds?: number | null } | null }) {
  return { leaseNonce: orUndefined(input.leaseNonce), wait: toWait(input.wait), waitFor: state };
}

const DestroyMachineInput = builder.inputType('DestroyMachineInput', {
  fields: (t) => ({
    ...machineTargetFields(t),
    leaseNonce: leaseNonceField(t),
    force: t.boolean({ required: false, description: 'Destroy even if the machine is running.' }),
    wait: t.field({ type: WaitInput, required: false }),
  }),
});

type DestroyPayload = { machineId: string; machine?: MachineParent; wait?: WaitReport };

/** Fly may stop showing a destroyed machine, so the payload names it by id and carries the body only while there is one. */
const DestroyMachineSuccess: MachinePayload<DestroyOutcome, DestroyPayload, { app: string; machineId: string }> = {
  type: builder.objectRef<DestroyPayload>('DestroyMachineSuccess').implement({
    description: 'The machine was asked to be destroyed.',
    fields: (t) => ({
      machineId: t.exposeString('machineId'),
      machine: t.field({
        type: MachineRef,
        nullable: true,
        description: 'The machine, while Fly still returns it.',
        resolve: (p) => p.machine ?? null,
      }),
      wait: t.field({ type: WaitReportRef, nullable: true, description: 'Null unless `wait` was given.', resolve: (p) => p.wait ?? null }),
    }),
  }),
  machineOf: (r) => r.machine,
  shape: (r, input) => ({
    machineId: input.machineId,
    machine: r.machine ? { appName: input.app, machine: r.machine } : undefined,
    wait: r.wait,
  }),
};

machineMutation('startMachine', {
  description: 'Starts (or resumes) a machine; with `wait`, returns once it is started.',
  input: waitingInput('StartMachineInput'),
  success: machinePayloadType('StartMachineSuccess', 'The machine was asked to start.'),
  run: (machines, input, options) => machines.act(startMachine, machineOf(input), waitingFor('started', input), options),
});

machineMutation('stopMachine', {
  description: 'Stops a machine; with `wait`, returns once it is stopped.',
  input: stoppingInput('StopMachineInput', "Signal to send first (default: the image's stop signal, else SIGINT)."),
  success: machinePayloadType('StopMachineSuccess', 'The machine was asked to stop.'),
  run: (machines, input, options) => machines.act(stopMachine, stopRequest(input), waitingFor('stopped', input), options),
});

machineMutation('restartMachine', {
  description: 'Restarts a started machine; with `wait`, returns once it is started again.',
  input: stoppingInput('RestartMachineInput', 'Signal used to stop the process before starting it again.'),
  success: machinePayloadType('RestartMachineSuccess', 'The machine was asked to restart.'),
  run: (machines, input, options) => machines.act(restartMachine, stopRequest(input), waitingFor('started', input), options),
});

machineMutation('suspendMachine', {
  description: 'Suspends (snapshots) a started machine; with `wait`, returns once it is suspended.',
  input: waitingInput('SuspendMachineInput'),
  success: machinePayloadType('SuspendMachineSuccess', 'The machine was asked to suspend.'),
  run: (machines, input, options) => machines.act(suspendMachine, machineOf(input), waitingFor('suspended', input), options),
});

machineMutation('destroyMachine', {
  description: 'Destroys a machine (for good); with `wait`, returns once it is destroyed.',
  input: DestroyMachineInput,
  success: DestroyMachineSuccess,
  run: (machines, input, options) =>
    machines.destroy({ ...leasedTarget(input), force: orUndefined(input.force), wait: toWait(input.wait) }, options),
});
