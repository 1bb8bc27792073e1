import type { FlyOperation } from '../../flyio/operation.js';
import type { FlyClient, MachineRef } from '../../flyio/types.js';
import { acquireLease, type AcquireLeaseInput } from './acquire-lease.js';
import { createMachine, type CreateMachineInput } from './create-machine.js';
import { destroyMachine, type DestroyMachineInput, type DestroyOutcome } from './destroy-machine.js';
import { machineAction, type ActionExtras } from './machine-action.js';
import { refreshLease, type RefreshLeaseInput } from './refresh-lease.js';
import { releaseLease, type ReleaseLeaseInput } from './release-lease.js';
import type { FlyMachine } from '../../flyio/wire/machine.js';
import type { LeaseOutcome, MachineOutcome, UseCaseOptions } from './types.js';
import { updateMachine, type UpdateMachineInput } from './update-machine.js';

/**
 * Machine mutations bound to one Fly client. The thin ones (start, stop, cordon, metadata…) are one use case,
 * {@link MachineUseCases.act}, over their declared operation; the others have logic of their own. Each returns the
 * machine as it is afterwards.
 */
export interface MachineUseCases {
  /** Sends a declared machine write, then (optionally waiting for `extras.waitFor`) reads the machine. */
  act<Input extends MachineRef>(
    operation: FlyOperation<Input, unknown>,
    input: Input,
    extras?: ActionExtras,
    options?: UseCaseOptions,
  ): Promise<MachineOutcome>;
  create(input: CreateMachineInput, options?: UseCaseOptions): Promise<MachineOutcome>;
  update(input: UpdateMachineInput, options?: UseCaseOptions): Promise<MachineOutcome>;
  destroy(input: DestroyMachineInput, options?: UseCaseOptions): Promise<DestroyOutcome>;
  acquireLease(input: AcquireLeaseInput, options?: UseCaseOptions): Promise<LeaseOutcome>;
  refreshLease(input: RefreshLeaseInput, options?: UseCaseOptions): Promise<LeaseOutcome>;
  releaseLease(input: ReleaseLeaseInput, options?: UseCaseOptions): Promise<FlyMachine>;
}

/** Binds the machine use cases to a Fly client. */
export function createMachineUseCases({ fly }: { fly: FlyClient }): MachineUseCases {
  return {
    act: (operation, input, extras, options) => machineAction(fly, operation, input, extras, options),
    create: (input, options) => createMachine(fly, input, options),
    update: (input, options) => updateMachine(fly, input, options),
    destroy: (input, options) => destroyMachine(fly, input, options),
    acquireLease: (input, options) => acquireLease(fly, input, options),
    refreshLease: (input, options) => refreshLease(fly, input, options),
    releaseLease: (input, options) => releaseLease(fly, input, options),
  };
}
