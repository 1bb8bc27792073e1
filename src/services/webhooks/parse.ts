import { z } from 'zod';
import {
  fromFlyMachineEvent,
  GATEWAY_EVENT_TYPES,
  isResourceEventType,
  machineChangeId,
  RESOURCE_EVENT_TYPES,
  RESOURCE_KINDS,
  resourceEvent,
  type GatewayEvent,
  type ResourceEventType,
} from '../events/types.js';

const nonEmpty = (what: string) =>
  z.string({ error: `expected ${what} (a non-empty string)` }).min(1, `expected ${what} (a non-empty string)`);

const machineRef = {
  app: nonEmpty('the app name'),
  machine_id: nonEmpty('the machine id'),
};

const flyEventSchema = z
  .object({
    id: nonEmpty('the Fly event id'),
    type: nonEmpty('the Fly event type'),
    status: z.string().optional(),
    source: z.string().optional(),
    timestamp: z.number({ error: 'expected Unix time in milliseconds (a number)' }).int().nonnegative(),
    request: z.record(z.string(), z.unknown(), { error: 'expected an object' }).optional(),
  })
  .loose();

const rfc3339 = (error: string) => z.iso.datetime({ offset: true, error });

const envelope = <T extends string, D extends z.ZodRawShape>(type: T, data: D) =>
  z.object({
    type: z.literal(type),
    timestamp: rfc3339('expected an RFC 3339 date-time, e.g. 2026-01-01T12:00:00Z'),
    data: z.object({ ...machineRef, ...data }, { error: 'expected an object' }).loose(),
  });

const optionalText = (what: string) => z.string({ error: `expected ${what} (a string)` }).optional();

/** A resource change: `data` names the app and the resource; `machine_id` may be absent or empty. */
const resourceEnvelope = (type: ResourceEventType) =>
  z.object({
    type: z.literal(type),
    timestamp: rfc3339('expected an RFC 3339 date-time, e.g. 2026-01-01T12:00:00Z'),
    data: z
      .object(
        {
          app: nonEmpty('the app name'),
          resource: z.object(
            {
              kind: z.enum(RESOURCE_KINDS, { error: `expected one of ${RESOURCE_KINDS.join(', ')}` }),
              id: nonEmpty('the resource id'),
              state: optionalText('the state after the change'),
              version: optionalText('the version after the change'),
              org: optionalText('the organization slug'),
            },
            { error: 'expected an object {kind, id, state?, version?, org?}' },
          ),
        },
        { error: 'expected an object' },
      )
      .loose(),
  });

/** The webhook body: `{type, timestamp, data}`, one shape per event type. Unknown extra fields are allowed. */
export const webhookBodySchema = z.discriminatedUnion(
  'type',
  [
    envelope('machine.created', { state: z.string().optional() }),
    envelope('machine.state_changed', {
      from: nonEmpty('the previous state'),
      to: nonEmpty('the new state'),
      // Optional: with it the change gets the id the sync job derives for it too (see machineChangeId).
      updated_at: rfc3339("expected the machine's updated_at after the change, an RFC 3339 date-time").optional(),
    }),
    envelope('machine.updated', {
      version: nonEmpty('the new machine version'),
      // Optional: when it differs from `version`, the update gets the id the sync job derives for it too.
      previous_version: z.string({ error: 'expected the machine version before the update (a string)' }).optional(),
    }),
    envelope('machine.destroyed', {}),
    envelope('machine.event', { event: flyEventSchema }),
    ...RESOURCE_EVENT_TYPES.map(resourceEnvelope),
  ],
  { error: `expected one of ${GATEWAY_EVENT_TYPES.join(', ')}` },
);

/** A parsed webhook body. */
export type WebhookBody = z.infer<typeof webhookBodySchema>;

/** Outcome of {@link parseWebhookBody}; `errors` are "path: expectation" lines for the sender. */
export type ParseResult = { ok: true; event: GatewayEvent } | { ok: false; errors: string[] };

/**
 * Parses a verified webhook body into a {@link GatewayEvent}. The dedupe id is the one the sync job computes for the
 * same fact whenever the body says enough: `fly:<event id>` for Fly machine events, {@link machineChangeId} for
 * creations, destructions, state changes with `data.updated_at` and updates with a different `data.previous_version`.
 * Otherwise it is `webhook:<webhook-id>`. A redelivery carries the same id and body, so it gets the same id either way.
 */
export function parseWebhookBody(rawText: string, webhookId: string): ParseResult {
  let json: unknown;
  try {
    json = JSON.parse(rawText);
  } catch (error) {
    return { ok: false, errors: [`body is not valid JSON: ${(error as Error).message}`] };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { ok: false, errors: ['(body): expected a JSON object {type, timestamp, data}'] };
  }
  const result = webhookBodySchema.safeParse(json);
  if (!result.success) {
    return {
      ok: false,
      errors: result.error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(body)'}: ${issue.message}`),
    };
  }
  return { ok: true, event: toGatewayEvent(result.data, webhookId) };
}

type ResourceBody = Extract<WebhookBody, { type: ResourceEventType }>;

function isResourceBody(body: WebhookBody): body is ResourceBody {
  return isResourceEventType(body.type);
}

function toGatewayEvent(body: WebhookBody, webhookId: string): GatewayEvent {
  if (isResourceBody(body)) {
    const { data } = body;
    return resourceEvent({ type: body.type, app: data.app, resource: data.resource, source: 'webhook', timestamp: body.timestamp });
  }
  const base = {
    type: body.type,
    timestamp: body.timestamp,
    app: body.data.app,
    machineId: body.data.machine_id,
    source: 'webhook' as const,
  };
  const ref = { type: body.type, app: base.app, machineId: base.machineId };
  const byWebhook = `webhook:${webhookId}`;
  switch (body.type) {
    case 'machine.created':
      return { ...base, id: machineChangeId(ref) ?? byWebhook, ...(body.data.state ? { to: body.data.state } : {}) };
    case 'machine.state_changed': {
      const { from, to, updated_at: updatedAt } = body.data;
      return { ...base, id: (updatedAt && machineChangeId({ ...ref, to, updatedAt })) || byWebhook, from, to };
    }
    case 'machine.updated': {
      const { version, previous_version: previous } = body.data;
      // Without a version change (a metadata edit keeps the version) it is not the update the sync job reports.
      const moved = previous !== undefined && previous !== version;
      return { ...base, id: (moved && machineChangeId({ ...ref, version })) || byWebhook, version };
    }
    case 'machine.destroyed':
      return { ...base, id: machineChangeId(ref) ?? byWebhook };
    case 'machine.event':
      // The envelope's timestamp is when the relay sent it; the Fly event carries when it happened.
      return { ...fromFlyMachineEvent(base.app, base.machineId, body.data.event, 'webhook'), timestamp: body.timestamp };
  }
}
