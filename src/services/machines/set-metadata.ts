import type { FlyClient, SetMetadataInput as FlySetMetadataInput } from '../../flyio/types.js';
import type { FlyMachine } from '../../flyio/wire/machine.js';
import type { UseCaseExtras, UseCaseOptions } from './types.js';

/** Input of {@link setMetadata}. */
export interface SetMetadataInput extends FlySetMetadataInput, Pick<UseCaseExtras, 'leaseNonce'> {}

/** Sets one metadata key (no restart) and returns the machine. */
export async function setMetadata(fly: FlyClient, input: SetMetadataInput, options: UseCaseOptions = {}): Promise<FlyMachine> {
  const target = { app: input.app, machineId: input.machineId };
  await fly.machines.setMetadata(
    { ...target, key: input.key, value: input.value },
    { signal: options.signal, leaseNonce: input.leaseNonce },
  );
  return fly.machines.get({ ...target, includeLeases: true }, { signal: options.signal });
}
