import type { FlyClient } from '../../flyio/types.js';
import { waitThenRead } from './read-after.js';
import type { MachineOutcome, MachineTarget, UseCaseOptions, WaitOptions } from './types.js';

/** Input of {@link restartMachine}. */
export interface RestartMachineInput extends MachineTarget {
  leaseNonce?: string;
  signal?: string;
  timeoutSeconds?: number;
  wait?: WaitOptions;
}

/** Restarts a machine, optionally waits until it is `started` again, and returns it. */
export async function restartMachine(fly: FlyClient, input: RestartMachineInput, options: UseCaseOptions = {}): Promise<MachineOutcome> {
  const target = { app: input.app, machineId: input.machineId };
  const timeout = input.timeoutSeconds === undefined ? undefined : `${input.timeoutSeconds}s`;
  await fly.machines.restart({ ...target, signal: input.signal, timeout }, { signal: options.signal, leaseNonce: input.leaseNonce });
  return waitThenRead(fly, target, { state: 'started' }, input.wait, options);
}
