import { FlyApiError, FlyErrorCode } from '../../flyio/errors.js';
import type { AcquireLeaseInput as FlyAcquireLeaseInput, FlyClient } from '../../flyio/types.js';
import type { FlyLease } from '../../flyio/wire/machine.js';
import type { LeaseOutcome, UseCaseOptions } from './types.js';

/** Input of {@link acquireLease}. */
export type AcquireLeaseInput = FlyAcquireLeaseInput;

/** A lease body without a nonce is useless to its holder: treat it as a broken answer, not a success. */
export function requireNonce(lease: FlyLease, operation: string): string {
  if (lease.nonce) return lease.nonce;
  throw new FlyApiError({ code: FlyErrorCode.InvalidResponse, operation, message: `${operation}: Fly returned a lease without a nonce` });
}

/** Takes the machine's lease; the nonce in the result is the only proof of holding it. */
export async function acquireLease(fly: FlyClient, input: AcquireLeaseInput, options: UseCaseOptions = {}): Promise<LeaseOutcome> {
  const target = { app: input.app, machineId: input.machineId };
  const lease = await fly.machines.acquireLease(
    { ...target, ttlSeconds: input.ttlSeconds, description: input.description },
    { signal: options.signal },
  );
  const nonce = requireNonce(lease, 'machines.acquireLease');
  const machine = await fly.machines.get({ ...target, includeLeases: true }, { signal: options.signal });
  return { lease, nonce, machine };
}
