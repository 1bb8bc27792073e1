import type { FlyClient } from '../../flyio/types.js';
import type { FlyMachine } from '../../flyio/wire/machine.js';
import type { MachineTarget, UseCaseExtras, UseCaseOptions } from './types.js';

/** Input of {@link deleteMetadata}. */
export interface DeleteMetadataInput extends MachineTarget, Pick<UseCaseExtras, 'leaseNonce'> {
  key: string;
}

/** Removes one metadata key and returns the machine. */
export async function deleteMetadata(fly: FlyClient, input: DeleteMetadataInput, options: UseCaseOptions = {}): Promise<FlyMachine> {
  const target = { app: input.app, machineId: input.machineId };
  await fly.machines.deleteMetadata({ ...target, key: input.key }, { signal: options.signal, leaseNonce: input.leaseNonce });
  return fly.machines.get({ ...target, includeLeases: true }, { signal: options.signal });
}
