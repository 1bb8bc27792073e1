import type { FlyClient, RestartMachineInput as FlyRestartMachineInput } from '../../flyio/types.js';
import { waitThenRead } from './read-after.js';
import type { MachineOutcome, UseCaseExtras, UseCaseOptions } from './types.js';

/** Input of {@link restartMachine}: the client's, plus lease nonce and wait. */
export interface RestartMachineInput extends FlyRestartMachineInput, UseCaseExtras {}

/** Restarts a machine, optionally waits until it is `started` again, and returns it. */
export async function restartMachine(fly: FlyClient, input: RestartMachineInput, options: UseCaseOptions = {}): Promise<MachineOutcome> {
  const target = { app: input.app, machineId: input.machineId };
  await fly.machines.restart(
    { ...target, signal: input.signal, timeoutSeconds: input.timeoutSeconds },
    { signal: options.signal, leaseNonce: input.leaseNonce },
  );
  return waitThenRead(fly, target, { state: 'started' }, input.wait, options);
}
