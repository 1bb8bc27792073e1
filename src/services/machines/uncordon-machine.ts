import type { FlyClient } from '../../flyio/types.js';
import type { FlyMachine } from '../../flyio/wire/machine.js';
import type { CordonMachineInput } from './cordon-machine.js';
import type { UseCaseOptions } from './types.js';

/** Puts a cordoned machine back into Fly Proxy's routing and returns it. */
export async function uncordonMachine(fly: FlyClient, input: CordonMachineInput, options: UseCaseOptions = {}): Promise<FlyMachine> {
  const target = { app: input.app, machineId: input.machineId };
  await fly.machines.uncordon(target, { signal: options.signal, leaseNonce: input.leaseNonce });
  return fly.machines.get({ ...target, includeLeases: true }, { signal: options.signal });
}
