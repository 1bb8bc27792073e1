import type { FlyClient } from '../../flyio/types.js';
import type { FlyMachine } from '../../flyio/wire/machine.js';
import type { MachineTarget, UseCaseExtras, UseCaseOptions } from './types.js';

/** Input of {@link signalMachine}. */
export interface SignalMachineInput extends MachineTarget, Pick<UseCaseExtras, 'leaseNonce'> {
  signal: string;
}

/** Sends a Unix signal to the machine's main process and returns the machine. */
export async function signalMachine(fly: FlyClient, input: SignalMachineInput, options: UseCaseOptions = {}): Promise<FlyMachine> {
  const target = { app: input.app, machineId: input.machineId };
  await fly.machines.signal({ ...target, signal: input.signal }, { signal: options.signal, leaseNonce: input.leaseNonce });
  return fly.machines.get({ ...target, includeLeases: true }, { signal: options.signal });
}
