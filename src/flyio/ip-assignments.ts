/** IP addresses of an app (MACHINES-API.md §2.1), each a declared operation (src/flyio/operation.ts). */
import { z } from 'zod';
import { defineOperation } from './operation.js';
import { flyIpAssignmentListSchema, flyIpAssignmentSchema, type FlyIpAssignment } from './wire/ip-assignment.js';

const IPS = '/apps/{app}/ip_assignments';
const onApp = ({ app }: { app: string }) => ({ app, collection: 'ip-addresses' as const });

/** `GET …/ip_assignments`: every address of the app. */
export const listIpAssignments = defineOperation<{ app: string }, FlyIpAssignment[]>({
  name: 'ips.list',
  method: 'GET',
  path: IPS,
  response: flyIpAssignmentListSchema.transform((body) => body.ips ?? []),
  target: onApp,
  cache: 'app',
});

/** The address kinds the gateway allocates (Fly's egress kinds are left to flyctl). */
export type IpAllocationType = 'v4' | 'v6' | 'shared_v4' | 'private_v6';

/** Input of {@link allocateIpAssignment}. */
export interface AllocateIpInput {
  app: string;
  type: IpAllocationType;
  /** Dedicated v4 and v6 only; shared and Flycast addresses are global. */
  region?: string;
  /** Flycast (private_v6) only: the 6PN network ('' or absent: the org's default). */
  network?: string;
  /** Flycast only. */
  serviceName?: string;
}

/** `POST …/ip_assignments`: allocates one address. Never retried: a second send would allocate (and bill) another. */
export const allocateIpAssignment = defineOperation<AllocateIpInput, FlyIpAssignment>({
  name: 'ips.create',
  method: 'POST',
  path: IPS,
  body: ({ type, region, network, serviceName }) => ({ type, region, network, service_name: serviceName }),
  response: flyIpAssignmentSchema,
  target: onApp,
});

/** `DELETE …/ip_assignments/{ip}`: releases one address. */
export const releaseIpAssignment = defineOperation<{ app: string; ip: string }>({
  name: 'ips.delete',
  method: 'DELETE',
  path: `${IPS}/{ip}`,
  target: onApp,
});

/** The kinds an address can be, as told from Fly's answer. */
export const ipKindSchema = z.enum(['V4', 'V6', 'SHARED_V4', 'PRIVATE_V6', 'EGRESS_V4', 'EGRESS_V6']);
export type IpKind = z.infer<typeof ipKindSchema>;

/** Tells an address's kind from Fly's answer, which does not name it. */
export function ipKindOf(ip: FlyIpAssignment): IpKind {
  const v6 = (ip.ip ?? '').includes(':');
  if (ip.egress) return v6 ? 'EGRESS_V6' : 'EGRESS_V4';
  if (ip.shared) return 'SHARED_V4';
  if (ip.network || (v6 && /^fdaa:/i.test(ip.ip ?? ''))) return 'PRIVATE_V6';
  return v6 ? 'V6' : 'V4';
}
