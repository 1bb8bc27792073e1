import { EventInFlightError, type EventIngest } from '../events/event-ingest.js';
import { silentLogger, type Logger } from '../events/types.js';
import { parseWebhookBody } from './parse.js';
import { readBodyWithLimit } from './read-body.js';
import type { WebhookVerifier } from './verify.js';

/** Machine-readable codes in error responses (`{"error": {"code", "message", "details"?}}`). */
export enum WebhookErrorCode {
  MethodNotAllowed = 'METHOD_NOT_ALLOWED',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  InvalidSignature = 'INVALID_SIGNATURE',
  InvalidBody = 'INVALID_BODY',
  EventInFlight = 'EVENT_IN_FLIGHT',
  Unavailable = 'UNAVAILABLE',
}

/** Dependencies of {@link createWebhookHandler}. */
export interface WebhookHandlerDeps {
  verifier: WebhookVerifier;
  ingest: EventIngest;
  /** Largest accepted body. @default 262144 (256 KiB) */
  maxBodyBytes?: number;
  /** `Retry-After` sent with 503 answers, in seconds. @default 5 */
  retryAfterSeconds?: number;
  logger?: Logger;
}

function errorResponse(status: number, code: WebhookErrorCode, message: string, extra: { details?: string[]; headers?: Record<string, string> } = {}): Response {
  const body = { error: { code, message, ...(extra.details ? { details: extra.details } : {}) } };
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...extra.headers },
  });
}

/**
 * The `POST /webhooks/fly` endpoint as a Fetch API handler (mount it on any router). In order: size limit (413),
 * signature and timestamp (401), body shape (400), hand-off (204, or 503 so the sender retries). Nothing is
 * published or remembered for a rejected request.
 */
export function createWebhookHandler(deps: WebhookHandlerDeps): (request: Request) => Promise<Response> {
  const maxBodyBytes = deps.maxBodyBytes ?? 256 * 1024;
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes <= 0) {
    throw new RangeError(`createWebhookHandler: maxBodyBytes must be a positive integer, got ${maxBodyBytes}`);
  }
  const retryAfter = String(deps.retryAfterSeconds ?? 5);
  const logger = deps.logger ?? silentLogger;
  const utf8 = new TextDecoder('utf-8', { fatal: true });

  return async (request) => {
    if (request.method !== 'POST') {
      return errorResponse(405, WebhookErrorCode.MethodNotAllowed, 'use POST', { headers: { allow: 'POST' } });
    }
    const body = await readBodyWithLimit(request, maxBodyBytes);
    if (!body.ok) {
      return errorResponse(413, WebhookErrorCode.PayloadTooLarge, `body exceeds ${maxBodyBytes} bytes`);
    }

    // Verify the exact bytes received, before parsing anything a stranger sent.
    const verified = deps.verifier.verify(body.bytes, request.headers);
    if (!verified.ok) {
      logger.info({ reason: verified.reason, webhookId: request.headers.get('webhook-id') ?? undefined }, 'webhook rejected');
      return errorResponse(401, WebhookErrorCode.InvalidSignature, verified.reason);
    }

    let text: string;
    try {
      text = utf8.decode(body.bytes);
    } catch {
      return errorResponse(400, WebhookErrorCode.InvalidBody, 'body is not valid UTF-8');
    }
    const parsed = parseWebhookBody(text, verified.id);
    if (!parsed.ok) {
      logger.info({ webhookId: verified.id, errors: parsed.errors }, 'webhook body rejected');
      return errorResponse(400, WebhookErrorCode.InvalidBody, parsed.errors.join('; '), { details: parsed.errors });
    }

    try {
      const outcome = await deps.ingest.ingest(parsed.event);
      logger.debug({ webhookId: verified.id, eventId: parsed.event.id, outcome }, 'webhook accepted');
      return new Response(null, { status: 204 });
    } catch (error) {
      const headers = { 'retry-after': retryAfter };
      if (error instanceof EventInFlightError) {
        return errorResponse(503, WebhookErrorCode.EventInFlight, 'an earlier delivery of this event is still being processed; retry later', { headers });
      }
      logger.error({ webhookId: verified.id, eventId: parsed.event.id, err: String(error) }, 'webhook event could not be handed on');
      return errorResponse(503, WebhookErrorCode.Unavailable, 'the event could not be handed on; retry later', { headers });
    }
  };
}
