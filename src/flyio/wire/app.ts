import { z } from 'zod';
import { optionalInt, optionalString } from './common.js';

/** `App` as `GET /v1/apps/{app}` and `GET /v1/apps` return it. */
export const flyAppSchema = z
  .object({
    id: optionalString,
    name: z.string(),
    status: optionalString,
    network: optionalString,
    network_cidr: optionalString,
    machine_count: optionalInt,
    volume_count: optionalInt,
    internal_numeric_id: optionalInt,
    organization: z.object({ name: optionalString, slug: optionalString, internal_numeric_id: optionalInt }).loose().optional(),
  })
  .loose();
export type FlyApp = z.infer<typeof flyAppSchema>;

/** `ListAppsResponse`. */
export const flyListAppsResponseSchema = z
  .object({
    apps: z.array(flyAppSchema).default([]),
    total_apps: optionalInt,
    next_cursor: optionalString,
  })
  .loose();
export type FlyListAppsResponse = z.infer<typeof flyListAppsResponseSchema>;

/** `CreateAppResponse`. */
export const flyCreateAppResponseSchema = z
  .object({ id: optionalString, created_at: z.union([z.number(), z.string()]).optional() })
  .loose();
export type FlyCreateAppResponse = z.infer<typeof flyCreateAppResponseSchema>;
