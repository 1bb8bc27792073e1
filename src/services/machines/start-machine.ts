import type { FlyClient } from '../../flyio/types.js';
import { waitThenRead } from './read-after.js';
import type { MachineOutcome, MachineTarget, UseCaseExtras, UseCaseOptions } from './types.js';

/** Input of {@link startMachine}. */
export interface StartMachineInput extends MachineTarget, UseCaseExtras {}

/** Starts (or resumes) a machine, optionally waits until it is `started`, and returns it. */
export async function startMachine(fly: FlyClient, input: StartMachineInput, options: UseCaseOptions = {}): Promise<MachineOutcome> {
  const target = { app: input.app, machineId: input.machineId };
  await fly.machines.start(target, { signal: options.signal, leaseNonce: input.leaseNonce });
  return waitThenRead(fly, target, { state: 'started' }, input.wait, options);
}
