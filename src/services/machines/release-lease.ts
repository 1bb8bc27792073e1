import type { FlyClient } from '../../flyio/types.js';
import type { FlyMachine } from '../../flyio/wire/machine.js';
import type { MachineTarget, UseCaseOptions } from './types.js';

/** Input of {@link releaseLease}. */
export interface ReleaseLeaseInput extends MachineTarget {
  nonce: string;
}

/** Gives the caller's lease back and returns the machine, now unleased. */
export async function releaseLease(fly: FlyClient, input: ReleaseLeaseInput, options: UseCaseOptions = {}): Promise<FlyMachine> {
  const target = { app: input.app, machineId: input.machineId };
  await fly.machines.releaseLease({ ...target, nonce: input.nonce }, { signal: options.signal });
  return fly.machines.get({ ...target, includeLeases: true }, { signal: options.signal });
}
