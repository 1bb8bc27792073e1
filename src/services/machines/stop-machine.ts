import type { FlyClient, StopMachineInput as FlyStopMachineInput } from '../../flyio/types.js';
import { waitThenRead } from './read-after.js';
import type { MachineOutcome, UseCaseExtras, UseCaseOptions } from './types.js';

/** Input of {@link stopMachine}: the client's, plus lease nonce and wait. */
export interface StopMachineInput extends FlyStopMachineInput, UseCaseExtras {}

/** Stops a machine, optionally waits until it is `stopped`, and returns it. */
export async function stopMachine(fly: FlyClient, input: StopMachineInput, options: UseCaseOptions = {}): Promise<MachineOutcome> {
  const target = { app: input.app, machineId: input.machineId };
  await fly.machines.stop(
    { ...target, signal: input.signal, timeoutSeconds: input.timeoutSeconds },
    { signal: options.signal, leaseNonce: input.leaseNonce },
  );
  return waitThenRead(fly, target, { state: 'stopped' }, input.wait, options);
}
