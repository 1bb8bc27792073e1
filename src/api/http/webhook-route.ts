import type { Metrics } from '../../lib/metrics.js';
import type { WebhookOutcome, WebhookReceiver } from '../../services/webhooks/receive-webhook.js';
import { readBodyWithLimit } from './read-body.js';
import type { Route } from './routes.js';

/** Machine-readable codes in webhook error responses (`{"error": {"code", "message", "details"?}}`). */
export enum WebhookErrorCode {
  MethodNotAllowed = 'METHOD_NOT_ALLOWED',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  InvalidSignature = 'INVALID_SIGNATURE',
  InvalidBody = 'INVALID_BODY',
  EventInFlight = 'EVENT_IN_FLIGHT',
  Unavailable = 'UNAVAILABLE',
  Disabled = 'WEBHOOKS_DISABLED',
}

/** Options for {@link createWebhookHandler}. */
export interface WebhookHandlerOptions {
  /** Absent when no `WEBHOOK_SECRET` is configured: the route then answers a clear 404. */
  receiver: WebhookReceiver | undefined;
  /** Largest accepted body. @default 262144 (256 KiB) */
  maxBodyBytes?: number;
  /** `Retry-After` sent with 503 answers, in seconds. @default 5 */
  retryAfterSeconds?: number;
  /** Counts answers by status. */
  metrics?: Pick<Metrics, 'webhookRequests'>;
}

function errorResponse(
  status: number,
  code: WebhookErrorCode,
  message: string,
  extra: { details?: string[]; headers?: Record<string, string> } = {},
): Response {
  const body = { error: { code, message, ...(extra.details ? { details: extra.details } : {}) } };
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...extra.headers },
  });
}

/**
 * `POST /webhooks/fly` as a Fetch API handler. In order: method (405), size limit (413), then the receiver's
 * outcome: 401 for a bad signature, 400 for a bad body, 204 once handed on, 503 with `Retry-After` so the sender
 * retries.
 */
export function createWebhookHandler(options: WebhookHandlerOptions): (request: Request) => Promise<Response> {
  const maxBodyBytes = options.maxBodyBytes ?? 256 * 1024;
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes <= 0) {
    throw new RangeError(`createWebhookHandler: maxBodyBytes must be a positive integer, got ${maxBodyBytes}`);
  }
  const retryAfter = { 'retry-after': String(options.retryAfterSeconds ?? 5) };

  async function answer(request: Request): Promise<Response> {
    if (!options.receiver) {
      return errorResponse(404, WebhookErrorCode.Disabled, 'webhooks are disabled: set WEBHOOK_SECRET to enable POST /webhooks/fly');
    }
    if (request.method !== 'POST') return errorResponse(405, WebhookErrorCode.MethodNotAllowed, 'use POST', { headers: { allow: 'POST' } });
    const body = await readBodyWithLimit(request, maxBodyBytes);
    if (!body.ok) return errorResponse(413, WebhookErrorCode.PayloadTooLarge, `body exceeds ${maxBodyBytes} bytes`);
    return toResponse(await options.receiver.receive(body.bytes, request.headers));
  }

  function toResponse(outcome: WebhookOutcome): Response {
    switch (outcome.kind) {
      case 'accepted':
        return new Response(null, { status: 204 });
      case 'unauthenticated':
        return errorResponse(401, WebhookErrorCode.InvalidSignature, outcome.reason);
      case 'invalid':
        return errorResponse(400, WebhookErrorCode.InvalidBody, outcome.errors.join('; '), { details: outcome.errors });
      case 'in-flight':
        return errorResponse(
          503,
          WebhookErrorCode.EventInFlight,
          'an earlier delivery of this event is still being processed; retry later',
          {
            headers: retryAfter,
          },
        );
      case 'unavailable':
        return errorResponse(503, WebhookErrorCode.Unavailable, 'the event could not be handed on; retry later', { headers: retryAfter });
    }
  }

  return async (request) => {
    const response = await answer(request);
    options.metrics?.webhookRequests.inc({ status: String(response.status) });
    return response;
  };
}

/** Mounts {@link createWebhookHandler} on `/webhooks/fly`. */
export function webhookRoute(handler: (request: Request) => Promise<Response>): Route {
  return (request, url) => (url.pathname === '/webhooks/fly' ? handler(request) : undefined);
}
