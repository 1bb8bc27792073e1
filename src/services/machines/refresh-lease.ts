import type { FlyClient } from '../../flyio/types.js';
import type { LeaseOutcome, MachineTarget, UseCaseOptions } from './types.js';

/** Input of {@link refreshLease}. */
export interface RefreshLeaseInput extends MachineTarget {
  /** The nonce the caller received when acquiring. */
  nonce: string;
  ttlSeconds?: number;
}

/** Extends the caller's lease (Fly reads an acquire that carries the holder's nonce as a refresh). */
export async function refreshLease(fly: FlyClient, input: RefreshLeaseInput, options: UseCaseOptions = {}): Promise<LeaseOutcome> {
  const target = { app: input.app, machineId: input.machineId };
  const lease = await fly.machines.acquireLease(
    { ...target, ttlSeconds: input.ttlSeconds },
    { signal: options.signal, leaseNonce: input.nonce },
  );
  // Some Fly versions omit the nonce on refresh; the caller's own nonce is still the valid one.
  const nonce = lease.nonce ?? input.nonce;
  const machine = await fly.machines.get({ ...target, includeLeases: true }, { signal: options.signal });
  return { lease, nonce, machine };
}
