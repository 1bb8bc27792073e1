import type { Handlers, RouteContext } from '../context.js';
import { flyError, HttpError } from '../http-error.js';
import { nonceHeader, objectBody } from '../request-helpers.js';
import { activeLease, currentVersion, leaseToWire } from '../serialize.js';
import type { LeaseRecord, MachineRecord } from '../types.js';

const DEFAULT_TTL_S = 30;

/** Grants a fresh lease on `m` for `ttlSeconds` on the emulator clock. */
export function grantLease(ctx: RouteContext, m: MachineRecord, ttlSeconds: number, description: string): LeaseRecord {
  const lease: LeaseRecord = {
    nonce: ctx.ids.nonce(),
    expiresAtMs: ctx.clock.now() + ttlSeconds * 1000,
    owner: ctx.owner,
    description,
    version: currentVersion(m),
  };
  m.lease = lease;
  return lease;
}

/** The real API wraps lease bodies (MACHINES-API.md §3), the spec does not. */
const wrapped = (data: unknown) => ({ status: 'success', data });

/**
 * Upper bound on a lease TTL. Fly documents none; without one a TTL like 1e308 makes the expiry an invalid date,
 * which then crashes every response that prints it.
 */
export const MAX_LEASE_TTL_S = 365 * 24 * 3600;

/** Validates a TTL in seconds: a number in (0, {@link MAX_LEASE_TTL_S}]; `name` is the field reported in the 400. */
export function checkTtl(raw: unknown, name: string): number {
  const ttl = Number(raw);
  if (raw === null || raw === '' || !Number.isFinite(ttl) || ttl <= 0 || ttl > MAX_LEASE_TTL_S) {
    throw flyError(400, `invalid ${name}: ${String(raw)} (seconds, at most ${MAX_LEASE_TTL_S})`);
  }
  return ttl;
}

function ttlFrom(query: URLSearchParams, body: Record<string, unknown>): number {
  // fly-go sends the TTL as `?ttl=`, the spec and fly-admin in the JSON body.
  return checkTtl(body.ttl ?? query.get('ttl') ?? DEFAULT_TTL_S, 'ttl');
}

/** Handlers for `/lease` (MACHINES-API.md §7). */
export function leaseRoutes(ctx: RouteContext): Handlers {
  const { store, clock } = ctx;
  return {
    'machines.lease.get': ({ params }) => {
      const m = store.getMachine(params.app_name, params.machine_id, true);
      const lease = activeLease(m, clock.now());
      if (!lease) throw flyError(404, 'no active lease for this machine');
      return { status: 200, body: wrapped(leaseToWire(lease)) };
    },
    'machines.lease.acquire': ({ params, query, body, headers }) => {
      const m = store.getMachine(params.app_name, params.machine_id);
      const input = objectBody(body);
      const ttl = ttlFrom(query, input);
      const description = typeof input.description === 'string' ? input.description : '';
      const held = activeLease(m, clock.now());
      if (held && nonceHeader(headers) === held.nonce) {
        held.expiresAtMs = clock.now() + ttl * 1000;
        if (input.description !== undefined) held.description = description;
        return { status: 201, body: wrapped(leaseToWire(held)) };
      }
      if (held) {
        const message = `machine ${m.id} lease currently held by ${held.owner}, expires at ${new Date(held.expiresAtMs).toISOString()}`;
        throw new HttpError(409, { status: 'error', message, code: 'invalid' });
      }
      return { status: 201, body: wrapped(leaseToWire(grantLease(ctx, m, ttl, description))) };
    },
    'machines.lease.release': ({ params, headers }) => {
      const m = store.getMachine(params.app_name, params.machine_id);
      const nonce = nonceHeader(headers);
      if (!nonce) throw flyError(400, 'fly-machine-lease-nonce header is required to release a lease');
      const held = activeLease(m, clock.now());
      if (!held) throw flyError(404, 'no active lease for this machine');
      if (held.nonce !== nonce)
        throw new HttpError(409, { status: 'error', message: 'lease nonce does not match the lease held', code: 'invalid' });
      m.lease = undefined;
      return { status: 200, body: wrapped({ ok: true }) };
    },
  };
}
