import { z } from 'zod';
import { optionalString } from './common.js';

/** One line of `GET /api/v1/apps/{app}/logs` (api.fly.io). */
export const flyLogEntrySchema = z
  .object({
    id: z.string(),
    attributes: z
      .object({
        timestamp: z.string(),
        message: z.string().default(''),
        level: z.string().default('info'),
        instance: z.string().default(''),
        region: z.string().default(''),
        meta: z.record(z.string(), z.unknown()).optional(),
      })
      .loose(),
  })
  .loose();
export type FlyLogEntry = z.infer<typeof flyLogEntrySchema>;

/** The answer: lines oldest first, and the cursor to ask after them. */
export const flyLogsResponseSchema = z
  .object({
    data: z.array(flyLogEntrySchema).default([]),
    meta: z.object({ next_token: optionalString }).loose().default({}),
  })
  .loose();
export type FlyLogsResponse = z.infer<typeof flyLogsResponseSchema>;
