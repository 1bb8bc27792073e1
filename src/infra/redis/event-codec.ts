import { z } from 'zod';
import { GATEWAY_EVENT_TYPES, RESOURCE_KINDS, type GatewayEvent } from '../../services/events/types.js';

/**
 * How a {@link GatewayEvent} is stored in a shared transport (Redis stream entries). Another instance, possibly
 * running a different version, reads it back, so it is validated on the way in rather than trusted.
 */
const storedEventSchema = z.object({
  id: z.string().min(1),
  type: z.enum(GATEWAY_EVENT_TYPES as [GatewayEvent['type'], ...GatewayEvent['type'][]]),
  timestamp: z.string(),
  app: z.string(),
  machineId: z.string(),
  from: z.string().optional(),
  to: z.string().optional(),
  version: z.string().optional(),
  event: z
    .object({
      id: z.string(),
      type: z.string(),
      status: z.string().optional(),
      source: z.string().optional(),
      timestamp: z.number(),
      request: z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
  resource: z
    .object({
      kind: z.enum(RESOURCE_KINDS),
      id: z.string(),
      state: z.string().optional(),
      version: z.string().optional(),
      org: z.string().optional(),
    })
    .optional(),
  source: z.enum(['webhook', 'sync']),
});

/** Serialises an event for storage. */
export function encodeEvent(event: GatewayEvent): string {
  return JSON.stringify(event);
}

/** Parses a stored event; throws with the offending path when it is not one. */
export function decodeEvent(text: string): GatewayEvent {
  const result = storedEventSchema.safeParse(JSON.parse(text));
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`stored event is invalid at ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  return result.data as GatewayEvent;
}
