import { z } from 'zod';
import { optionalBool, optionalString } from './common.js';

/** `IPAssignment`: an address of an app. Fly does not name its type; `shared`, `egress`, `network` and the family tell it. */
export const flyIpAssignmentSchema = z
  .object({
    ip: z.string().nullish(),
    region: optionalString,
    created_at: optionalString,
    shared: optionalBool,
    egress: optionalBool,
    service_name: optionalString,
    network: z.object({ name: optionalString, org_slug: optionalString }).loose().nullish(),
    ip_pair: z.object({ v4: optionalString, v6: optionalString }).loose().nullish(),
  })
  .loose();
export type FlyIpAssignment = z.infer<typeof flyIpAssignmentSchema>;

/** `listIPAssignmentsResponse`. */
export const flyIpAssignmentListSchema = z.object({ ips: z.array(flyIpAssignmentSchema).nullish() }).loose();
