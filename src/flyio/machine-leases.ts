/**
 * Leases. Fly wraps lease bodies as `{status, data}` although the spec documents them flat; both are accepted.
 */
import { machinePath } from './machine-path.js';
import { requireNonEmpty } from './request-parts.js';
import type { Requester } from './request.js';
import type { MachinesApi } from './types.js';
import { flyLeaseSchema } from './wire/machine.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Returns `data` from a `{status, data}` envelope, or the body itself when it is already flat. */
export function unwrapLease(raw: unknown): unknown {
  if (isRecord(raw) && isRecord(raw.data) && 'status' in raw) return raw.data;
  return raw;
}

/** Builds the lease methods over a requester. */
export function createLeaseApi(requester: Requester): Pick<MachinesApi, 'getLease' | 'acquireLease' | 'releaseLease'> {
  return {
    async getLease(input, options) {
      const result = await requester.send({
        operation: 'machines.getLease',
        method: 'GET',
        path: machinePath('machines.getLease', input, '/lease'),
        schema: flyLeaseSchema,
        unwrap: unwrapLease,
        passStatuses: [404],
        rateScope: input.machineId,
        options,
      });
      return result.ok ? result.data : null;
    },

    async acquireLease(input, options) {
      // With `options.leaseNonce` the request path adds the nonce header, which Fly reads as a refresh.
      return requester.call({
        operation: 'machines.acquireLease',
        method: 'POST',
        path: machinePath('machines.acquireLease', input, '/lease'),
        body: { ttl: input.ttlSeconds, description: input.description },
        schema: flyLeaseSchema,
        unwrap: unwrapLease,
        rateScope: input.machineId,
        options,
      });
    },

    async releaseLease(input, options) {
      const nonce = requireNonEmpty('machines.releaseLease', 'nonce', input.nonce);
      await requester.call({
        operation: 'machines.releaseLease',
        method: 'DELETE',
        path: machinePath('machines.releaseLease', input, '/lease'),
        headers: { 'fly-machine-lease-nonce': nonce },
        rateScope: input.machineId,
        options,
      });
    },
  };
}
