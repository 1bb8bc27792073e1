import type { MachineRef, WaitState } from '../../flyio/types.js';
import type { FlyLease, FlyMachine } from '../../flyio/wire/machine.js';

/** Identifies one machine: the client's own reference. */
export type MachineTarget = MachineRef;

/** Ask a mutation to block until the machine reaches its target state, for at most `timeoutSeconds`. */
export interface WaitOptions {
  timeoutSeconds: number;
}

/**
 * What a use case adds to the client's input of the same action: the caller's lease nonce (needed while the
 * machine is leased) and, for actions with a target state, an optional wait.
 */
export interface UseCaseExtras {
  leaseNonce?: string;
  wait?: WaitOptions;
}

/** Per-call context of a use case: the caller's abort signal. */
export interface UseCaseOptions {
  signal?: AbortSignal;
}

/** What a wait achieved. */
export interface WaitReport {
  targetState: WaitState;
  reached: boolean;
  timeoutSeconds: number;
}

/** A mutation's result: the machine as it is after the change (and the optional wait). */
export interface MachineOutcome {
  machine: FlyMachine;
  wait?: WaitReport;
}

/** A lease mutation's result; `nonce` goes only to the caller that acquired or refreshed the lease. */
export interface LeaseOutcome {
  lease: FlyLease;
  nonce: string;
  machine: FlyMachine;
}
