import type { FlyClient } from '../../flyio/types.js';
import { waitThenRead } from './read-after.js';
import type { MachineOutcome, MachineTarget, UseCaseExtras, UseCaseOptions } from './types.js';

/** Input of {@link suspendMachine}. */
export interface SuspendMachineInput extends MachineTarget, UseCaseExtras {}

/** Suspends (snapshots) a machine, optionally waits until it is `suspended`, and returns it. */
export async function suspendMachine(fly: FlyClient, input: SuspendMachineInput, options: UseCaseOptions = {}): Promise<MachineOutcome> {
  const target = { app: input.app, machineId: input.machineId };
  await fly.machines.suspend(target, { signal: options.signal, leaseNonce: input.leaseNonce });
  return waitThenRead(fly, target, { state: 'suspended' }, input.wait, options);
}
