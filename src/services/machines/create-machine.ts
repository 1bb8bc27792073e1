import type { CreateMachineInput as FlyCreateMachineInput, FlyClient } from '../../flyio/types.js';
import { applyConfigPatch, type MachineConfigPatch } from './config-patch.js';
import { waitThenRead } from './read-after.js';
import type { MachineOutcome, UseCaseExtras, UseCaseOptions } from './types.js';

/** Input of {@link createMachine}. */
export interface CreateMachineInput extends Omit<FlyCreateMachineInput, 'config' | 'leaseTtlSeconds'>, Pick<UseCaseExtras, 'wait'> {
  /** Fields to set over an empty config; `image` is required. */
  config: MachineConfigPatch & { image: string };
}

/**
 * Creates a machine. Create is a POST: it is sent once and never retried, so a timeout surfaces as an unknown
 * outcome. With `wait`, blocks until the machine is `started` (or settled, when it was not launched).
 */
export async function createMachine(fly: FlyClient, input: CreateMachineInput, options: UseCaseOptions = {}): Promise<MachineOutcome> {
  const config = applyConfigPatch({}, input.config);
  const created = await fly.machines.create(
    { app: input.app, config, name: input.name, region: input.region, skipLaunch: input.skipLaunch },
    { signal: options.signal },
  );
  if (!input.wait) return { machine: created };
  const target = { app: input.app, machineId: created.id };
  return waitThenRead(fly, target, { state: input.skipLaunch ? 'settled' : 'started', version: created.version }, input.wait, options);
}
