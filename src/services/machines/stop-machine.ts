import type { FlyClient } from '../../flyio/types.js';
import { waitThenRead } from './read-after.js';
import type { MachineOutcome, MachineTarget, UseCaseOptions, WaitOptions } from './types.js';

/** Input of {@link stopMachine}. */
export interface StopMachineInput extends MachineTarget {
  leaseNonce?: string;
  /** Signal sent first (Fly's default is SIGINT or the image's stop signal). */
  signal?: string;
  /** Seconds between the signal and a forced kill. */
  timeoutSeconds?: number;
  wait?: WaitOptions;
}

/** Stops a machine, optionally waits until it is `stopped`, and returns it. */
export async function stopMachine(fly: FlyClient, input: StopMachineInput, options: UseCaseOptions = {}): Promise<MachineOutcome> {
  const target = { app: input.app, machineId: input.machineId };
  const timeout = input.timeoutSeconds === undefined ? undefined : `${input.timeoutSeconds}s`;
  await fly.machines.stop({ ...target, signal: input.signal, timeout }, { signal: options.signal, leaseNonce: input.leaseNonce });
  return waitThenRead(fly, target, { state: 'stopped' }, input.wait, options);
}
