/**
 * IP addresses assigned to apps (MACHINES-API.md §2.1): dedicated and shared anycast IPv4, anycast IPv6, Flycast
 * (private_v6) and regional egress addresses, with the refusals Fly gives for what it does not allow.
 */
import { randomBytes } from 'node:crypto';
import type { RouteContext } from './context.js';
import { flyError } from './http-error.js';
import { isKnownRegion } from './regions.js';
import type { Store } from './store.js';
import type { IpRecord, IpType } from './types.js';

/** The `type` values the allocate route accepts (`egress_pair` allocates one of each egress kind). */
export const IP_TYPES = ['v4', 'v6', 'shared_v4', 'private_v6', 'egress_v4', 'egress_v6', 'egress_pair'] as const;
type RequestedType = (typeof IP_TYPES)[number];

/** Addresses of one app, oldest first. */
export function ipsOf(store: Store, app: string): IpRecord[] {
  return [...store.ips.values()].filter((ip) => ip.app === app).sort((a, b) => a.createdAtMs - b.createdAtMs || (a.ip < b.ip ? -1 : 1));
}

const byte = () => randomBytes(1)[0];
const hex4 = () =>
  randomBytes(2)
    .toString('hex')
    .replace(/^0+(?=.)/, '');

/** A fresh address of `type`, unique in the store. */
function newAddress(store: Store, type: IpType, app: string): string {
  for (;;) {
    let ip: string;
    if (type === 'v4') ip = `137.66.${byte()}.${(byte() % 253) + 1}`;
    else if (type === 'egress_v4') ip = `209.38.${byte()}.${(byte() % 253) + 1}`;
    else if (type === 'shared_v4') ip = `66.241.125.${(byte() % 253) + 1}`;
    else if (type === 'v6') ip = `2a09:8280:1::${hex4()}:${hex4()}`;
    else if (type === 'egress_v6') ip = `2a09:8280:e::${hex4()}:${hex4()}`;
    // Flycast addresses live in the org's 6PN prefix; the app's own ones share a stable middle part.
    else
      ip = `fdaa:0:${Buffer.from(app)
        .reduce((sum, b) => (sum * 31 + b) % 0xffff, 7)
        .toString(16)}:0:1::${hex4()}`;
    if (!store.ips.has(ip)) return ip;
  }
}

/** What an allocate request asks for, validated. */
export interface AllocateIpInput {
  app: string;
  type: RequestedType;
  region?: string;
  network?: string;
  serviceName?: string;
}

/** Checks an allocate request against what Fly refuses; 422 with a reason. */
export function validateAllocate(ctx: RouteContext, body: Record<string, unknown>, app: string): AllocateIpInput {
  const { type, region, network, service_name: serviceName, org_slug: orgSlug } = body;
  if (typeof type !== 'string' || !(IP_TYPES as readonly string[]).includes(type)) {
    throw flyError(422, `type must be one of ${IP_TYPES.join(', ')}`);
  }
  const requested = type as RequestedType;
  for (const [name, value] of Object.entries({ region, network, service_name: serviceName, org_slug: orgSlug })) {
    if (value !== undefined && value !== null && typeof value !== 'string') throw flyError(422, `${name} must be a string`);
  }
  if (orgSlug && ctx.store.resolveOrg(orgSlug as string) === undefined) throw flyError(422, `unknown organization: ${String(orgSlug)}`);
  const regional = requested === 'v4' || requested === 'v6' || requested.startsWith('egress');
  if (region && !regional) throw flyError(422, `${requested} addresses are global: region cannot be given`);
  if (region && !isKnownRegion(region as string)) throw flyError(422, `unknown region: ${String(region)}`);
  if (requested.startsWith('egress') && !region) throw flyError(422, 'egress addresses are regional: region is required');
  if ((network || serviceName) && requested !== 'private_v6') {
    throw flyError(422, 'network and service_name are only for private_v6 (Flycast) addresses');
  }
  if (requested === 'shared_v4' && ipsOf(ctx.store, app).some((ip) => ip.type === 'shared_v4')) {
    throw flyError(422, 'app already has a shared IPv4 address');
  }
  return {
    app,
    type: requested,
    region: (region as string) || undefined,
    network: (network as string) ?? undefined,
    serviceName: (serviceName as string) || undefined,
  };
}

/** Assigns the addresses of a validated request (two for `egress_pair`). */
export function allocateIps(ctx: RouteContext, input: AllocateIpInput): IpRecord[] {
  const types: IpType[] = input.type === 'egress_pair' ? ['egress_v4', 'egress_v6'] : [input.type];
  return types.map((type) => {
    const record: IpRecord = {
      app: input.app,
      ip: newAddress(ctx.store, type, input.app),
      type,
      region: input.region ?? 'global',
      createdAtMs: ctx.clock.now(),
      ...(type === 'private_v6' ? { network: input.network ?? '', serviceName: input.serviceName } : {}),
    };
    ctx.store.ips.set(record.ip, record);
    ctx.store.emitResource('ip.allocated', input.app, { kind: 'ip', id: record.ip, state: type });
    return record;
  });
}

/** Releases one address of an app; 404 when the app has no such address. */
export function releaseIp(ctx: RouteContext, app: string, ip: string): void {
  const record = ctx.store.ips.get(ip);
  if (!record || record.app !== app) throw flyError(404, `IP address not found: ${ip}`);
  ctx.store.ips.delete(ip);
  ctx.store.emitResource('ip.released', app, { kind: 'ip', id: ip, state: record.type });
}

/** `IPAssignment` of the spec. */
export function ipToWire(ip: IpRecord, org: string): Record<string, unknown> {
  return {
    ip: ip.ip,
    region: ip.region,
    created_at: new Date(ip.createdAtMs).toISOString(),
    shared: ip.type === 'shared_v4',
    egress: ip.type.startsWith('egress'),
    ...(ip.type === 'private_v6' ? { network: { name: ip.network ?? '', org_slug: org } } : {}),
    ...(ip.serviceName ? { service_name: ip.serviceName } : {}),
  };
}
