/**
 * Wire shapes of Fly's Prometheus-compatible metrics API (`https://api.fly.io/prometheus/<org>/api/v1/...`): the
 * Prometheus HTTP API envelope with a matrix (range queries) or a vector (instant queries). Sample values are
 * strings (`"0.25"`, `"NaN"`, `"+Inf"`), timestamps Unix seconds.
 */
import { z } from 'zod';

// `[time, "value"]`: an array rather than a tuple, so the in-place checker (wire/in-place.ts) takes it as it is.
const sample = z.array(z.union([z.number(), z.string()]));

/** One series of a range answer. */
export const flyMatrixSeriesSchema = z
  .object({ metric: z.record(z.string(), z.string()).default({}), values: z.array(sample).default([]) })
  .loose();
export type FlyMatrixSeries = z.infer<typeof flyMatrixSeriesSchema>;

/** One sample of an instant answer. */
export const flyVectorSampleSchema = z.object({ metric: z.record(z.string(), z.string()).default({}), value: sample }).loose();
export type FlyVectorSample = z.infer<typeof flyVectorSampleSchema>;

/** `GET …/api/v1/query_range`. */
export const flyQueryRangeResponseSchema = z
  .object({
    status: z.string(),
    data: z.object({ resultType: z.string(), result: z.array(flyMatrixSeriesSchema) }).loose(),
  })
  .loose();
export type FlyQueryRangeResponse = z.infer<typeof flyQueryRangeResponseSchema>;

/** `GET …/api/v1/query`. */
export const flyQueryResponseSchema = z
  .object({
    status: z.string(),
    data: z.object({ resultType: z.string(), result: z.array(z.unknown()).default([]) }).loose(),
  })
  .loose();
export type FlyQueryResponse = z.infer<typeof flyQueryResponseSchema>;

/** One release of `GET https://api.fly.io/api/v1/apps/<app>/releases`. */
export const flyReleaseSchema = z
  .object({
    id: z.string(),
    version: z.number().int(),
    stable: z.boolean().optional(),
    in_progress: z.boolean().optional(),
    status: z.string().optional(),
    strategy: z.string().optional(),
    user: z.object({ email: z.string().optional() }).loose().optional(),
    created_at: z.string(),
    image_ref: z.string().optional(),
  })
  .loose();
export type FlyRelease = z.infer<typeof flyReleaseSchema>;

/** `GET https://api.fly.io/api/v1/apps/<app>/releases`. */
export const flyReleasesResponseSchema = z.object({ data: z.array(flyReleaseSchema).default([]) }).loose();
export type FlyReleasesResponse = z.infer<typeof flyReleasesResponseSchema>;
