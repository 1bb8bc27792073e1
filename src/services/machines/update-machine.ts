import type { FlyClient, UpdateMachineInput as FlyUpdateMachineInput } from '../../flyio/types.js';
import { applyConfigPatch, type MachineConfigPatch } from './config-patch.js';
import { waitThenRead } from './read-after.js';
import type { MachineOutcome, UseCaseExtras, UseCaseOptions } from './types.js';

/** Input of {@link updateMachine}. */
export interface UpdateMachineInput extends Omit<FlyUpdateMachineInput, 'config'>, UseCaseExtras {
  /** Fields to change over the current config. */
  config: MachineConfigPatch;
}

/**
 * Changes a machine's config. Fly replaces configs whole, so the current config is read, patched and sent back
 * guarded by the version read (or the caller's `currentVersion`): a concurrent change becomes a version conflict
 * instead of being silently overwritten. With `wait`, blocks until the new version is up.
 */
export async function updateMachine(fly: FlyClient, input: UpdateMachineInput, options: UseCaseOptions = {}): Promise<MachineOutcome> {
  const target = { app: input.app, machineId: input.machineId };
  const current = await fly.machines.get(target, { signal: options.signal });
  const config = applyConfigPatch(current.config ?? {}, input.config);
  const updated = await fly.machines.update(
    { ...target, config, currentVersion: input.currentVersion ?? current.version, skipLaunch: input.skipLaunch },
    { signal: options.signal, leaseNonce: input.leaseNonce },
  );
  if (!input.wait) return { machine: updated };
  return waitThenRead(fly, target, { state: input.skipLaunch ? 'settled' : 'started', version: updated.version }, input.wait, options);
}
