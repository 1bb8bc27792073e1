import { z } from 'zod';
import { optionalBool, optionalInt, optionalString } from './common.js';

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

/** `placement.RegionPlacement`: how many machines of the asked size fit in a region. */
export const flyRegionPlacementSchema = z.object({ region: z.string(), count: optionalInt, concurrency: optionalInt }).loose();
export type FlyRegionPlacement = z.infer<typeof flyRegionPlacementSchema>;

/** `main.getPlacementsResponse`. */
export const flyPlacementsResponseSchema = z.object({ regions: z.array(flyRegionPlacementSchema).default([]) }).loose();
export type FlyPlacementsResponse = z.infer<typeof flyPlacementsResponseSchema>;

/** `CreateAppDeployTokenResponse`: the token, shown once. */
export const flyDeployTokenResponseSchema = z.object({ token: z.string() }).loose();
export type FlyDeployTokenResponse = z.infer<typeof flyDeployTokenResponseSchema>;

/** `root.VerifiedToken`, without its header (a token's text is never kept or shown). */
export const flyVerifiedTokenSchema = z
  .object({
    caveats: z
      .object({ caveats: z.array(z.record(z.string(), z.unknown())).default([]) })
      .loose()
      .optional(),
  })
  .loose();
export type FlyVerifiedToken = z.infer<typeof flyVerifiedTokenSchema>;

/** `authorizeResponse`: the access Fly granted and the token it verified. */
export const flyAuthorizeResponseSchema = z
  .object({
    access: z
      .object({ action: optionalInt, appid: optionalInt, machine: optionalString, command: z.array(z.string()).optional() })
      .loose()
      .optional(),
    verified_token: flyVerifiedTokenSchema.optional(),
  })
  .loose();
export type FlyAuthorizeResponse = z.infer<typeof flyAuthorizeResponseSchema>;
