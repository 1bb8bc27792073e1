import { z } from 'zod';
import { optionalBool, optionalString } from './common.js';

/** One region of `GET /v1/platform/regions`. */
export const flyRegionSchema = z
  .object({
    code: z.string(),
    name: optionalString,
    latitude: z.number().optional(),
    longitude: z.number().optional(),
    gateway_available: optionalBool,
    requires_paid_plan: optionalBool,
    deprecated: optionalBool,
    geo_region: optionalString,
  })
  .loose();
export type FlyRegion = z.infer<typeof flyRegionSchema>;

/** `GET /v1/platform/regions`. */
export const flyRegionsResponseSchema = z.object({ nearest: optionalString, regions: z.array(flyRegionSchema).default([]) }).loose();
export type FlyRegionsResponse = z.infer<typeof flyRegionsResponseSchema>;

/** `GET /v1/tokens/current`. */
export const flyCurrentTokenResponseSchema = z
  .object({
    tokens: z
      .array(z.object({ org_slug: optionalString, organization: optionalString, token_id: optionalString, user: optionalString }).loose())
      .default([]),
  })
  .loose();
export type FlyCurrentTokenResponse = z.infer<typeof flyCurrentTokenResponseSchema>;
