import type { FlyClient } from '../../flyio/types.js';
import type { FlyMachine } from '../../flyio/wire/machine.js';
import { acquireLease, type AcquireLeaseInput } from './acquire-lease.js';
import { cordonMachine, type CordonMachineInput } from './cordon-machine.js';
import { createMachine, type CreateMachineInput } from './create-machine.js';
import { deleteMetadata, type DeleteMetadataInput } from './delete-metadata.js';
import { destroyMachine, type DestroyMachineInput, type DestroyOutcome } from './destroy-machine.js';
import { refreshLease, type RefreshLeaseInput } from './refresh-lease.js';
import { releaseLease, type ReleaseLeaseInput } from './release-lease.js';
import { restartMachine, type RestartMachineInput } from './restart-machine.js';
import { setMetadata, type SetMetadataInput } from './set-metadata.js';
import { signalMachine, type SignalMachineInput } from './signal-machine.js';
import { startMachine, type StartMachineInput } from './start-machine.js';
import { stopMachine, type StopMachineInput } from './stop-machine.js';
import { suspendMachine, type SuspendMachineInput } from './suspend-machine.js';
import type { LeaseOutcome, MachineOutcome, UseCaseOptions } from './types.js';
import { uncordonMachine } from './uncordon-machine.js';
import { updateMachine, type UpdateMachineInput } from './update-machine.js';

/** Every machine mutation, bound to one Fly client. Each returns the machine as it is afterwards. */
export interface MachineUseCases {
  create(input: CreateMachineInput, options?: UseCaseOptions): Promise<MachineOutcome>;
  update(input: UpdateMachineInput, options?: UseCaseOptions): Promise<MachineOutcome>;
  start(input: StartMachineInput, options?: UseCaseOptions): Promise<MachineOutcome>;
  stop(input: StopMachineInput, options?: UseCaseOptions): Promise<MachineOutcome>;
  restart(input: RestartMachineInput, options?: UseCaseOptions): Promise<MachineOutcome>;
  suspend(input: SuspendMachineInput, options?: UseCaseOptions): Promise<MachineOutcome>;
  destroy(input: DestroyMachineInput, options?: UseCaseOptions): Promise<DestroyOutcome>;
  signal(input: SignalMachineInput, options?: UseCaseOptions): Promise<FlyMachine>;
  cordon(input: CordonMachineInput, options?: UseCaseOptions): Promise<FlyMachine>;
  uncordon(input: CordonMachineInput, options?: UseCaseOptions): Promise<FlyMachine>;
  acquireLease(input: AcquireLeaseInput, options?: UseCaseOptions): Promise<LeaseOutcome>;
  refreshLease(input: RefreshLeaseInput, options?: UseCaseOptions): Promise<LeaseOutcome>;
  releaseLease(input: ReleaseLeaseInput, options?: UseCaseOptions): Promise<FlyMachine>;
  setMetadata(input: SetMetadataInput, options?: UseCaseOptions): Promise<FlyMachine>;
  deleteMetadata(input: DeleteMetadataInput, options?: UseCaseOptions): Promise<FlyMachine>;
}

/** Binds the machine use cases to a Fly client. */
export function createMachineUseCases({ fly }: { fly: FlyClient }): MachineUseCases {
  return {
    create: (input, options) => createMachine(fly, input, options),
    update: (input, options) => updateMachine(fly, input, options),
    start: (input, options) => startMachine(fly, input, options),
    stop: (input, options) => stopMachine(fly, input, options),
    restart: (input, options) => restartMachine(fly, input, options),
    suspend: (input, options) => suspendMachine(fly, input, options),
    destroy: (input, options) => destroyMachine(fly, input, options),
    signal: (input, options) => signalMachine(fly, input, options),
    cordon: (input, options) => cordonMachine(fly, input, options),
    uncordon: (input, options) => uncordonMachine(fly, input, options),
    acquireLease: (input, options) => acquireLease(fly, input, options),
    refreshLease: (input, options) => refreshLease(fly, input, options),
    releaseLease: (input, options) => releaseLease(fly, input, options),
    setMetadata: (input, options) => setMetadata(fly, input, options),
    deleteMetadata: (input, options) => deleteMetadata(fly, input, options),
  };
}
