import { isNotFound } from '../../flyio/errors.js';
import type { DestroyMachineInput as FlyDestroyMachineInput, FlyClient } from '../../flyio/types.js';
import type { FlyMachine } from '../../flyio/wire/machine.js';
import { boundedWaitSeconds, waitThenRead } from './read-after.js';
import type { UseCaseExtras, UseCaseOptions, WaitReport } from './types.js';

/** Input of {@link destroyMachine}. */
export interface DestroyMachineInput extends FlyDestroyMachineInput, UseCaseExtras {}

/** A destroyed machine may already be gone from Fly's reads, hence `machine` may be absent. */
export interface DestroyOutcome {
  machine?: FlyMachine;
  wait?: WaitReport;
}

/** Destroys a machine, optionally waits until it is `destroyed`, and returns what Fly still shows of it. */
export async function destroyMachine(fly: FlyClient, input: DestroyMachineInput, options: UseCaseOptions = {}): Promise<DestroyOutcome> {
  const target = { app: input.app, machineId: input.machineId };
  await fly.machines.destroy({ ...target, force: input.force }, { signal: options.signal, leaseNonce: input.leaseNonce });
  try {
    return await waitThenRead(fly, target, { state: 'destroyed' }, input.wait, options);
  } catch (error) {
    // The destroy itself succeeded; a machine that has already vanished is the expected end, not a failure.
    if (!isNotFound(error)) throw error;
    const wait = input.wait
      ? { targetState: 'destroyed' as const, reached: true, timeoutSeconds: boundedWaitSeconds(input.wait.timeoutSeconds) }
      : undefined;
    return { wait };
  }
}
