import type { FlyClient } from '../../flyio/types.js';
import type { FlyMachine } from '../../flyio/wire/machine.js';
import type { MachineTarget, UseCaseExtras, UseCaseOptions } from './types.js';

/** Input of {@link cordonMachine}. */
export interface CordonMachineInput extends MachineTarget, Pick<UseCaseExtras, 'leaseNonce'> {}

/** Takes a machine out of Fly Proxy's routing (it keeps running) and returns it. */
export async function cordonMachine(fly: FlyClient, input: CordonMachineInput, options: UseCaseOptions = {}): Promise<FlyMachine> {
  const target = { app: input.app, machineId: input.machineId };
  await fly.machines.cordon(target, { signal: options.signal, leaseNonce: input.leaseNonce });
  return fly.machines.get({ ...target, includeLeases: true }, { signal: options.signal });
}
