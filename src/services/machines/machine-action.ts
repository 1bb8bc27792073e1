import type { FlyOperation } from '../../flyio/operation.js';
import type { FlyClient, MachineRef, WaitState } from '../../flyio/types.js';
import { waitThenRead } from './read-after.js';
import type { MachineOutcome, UseCaseExtras, UseCaseOptions } from './types.js';

/** What a thin machine write adds to its operation's input: the caller's lease nonce, and a state it may wait for. */
export interface ActionExtras extends UseCaseExtras {
  /** The state `wait` waits for (start: `started`); without it the action has nothing to wait for. */
  waitFor?: WaitState;
}

/**
 * The one use case of every thin machine write (start, stop, cordon, set a metadata key…): sends the declared
 * operation once with the caller's lease nonce, then, when the caller asked and the action has a target state,
 * waits for it, and reads the machine so the caller sees it as it now is.
 */
export async function machineAction<Input extends MachineRef>(
  fly: FlyClient,
  operation: FlyOperation<Input, unknown>,
  input: Input,
  extras: ActionExtras = {},
  options: UseCaseOptions = {},
): Promise<MachineOutcome> {
  await fly.call(operation, input, { signal: options.signal, leaseNonce: extras.leaseNonce });
  const target = { app: input.app, machineId: input.machineId };
  if (!extras.waitFor) return { machine: await fly.machines.get({ ...target, includeLeases: true }, { signal: options.signal }) };
  return waitThenRead(fly, target, { state: extras.waitFor }, extras.wait, options);
}
