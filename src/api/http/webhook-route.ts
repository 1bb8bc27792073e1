import type { IncomingMessage, ServerResponse } from 'node:http';
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

/** One answer of the webhook route, for either transport. */
interface WebhookAnswer {
  status: number;
  headers: Record<string, string>;
  body?: string;
}

function errorAnswer(
  status: number,
  code: WebhookErrorCode,
  message: string,
  extra: { details?: string[]; headers?: Record<string, string> } = {},
): WebhookAnswer {
  const body = { error: { code, message, ...(extra.details ? { details: extra.details } : {}) } };
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...extra.headers }, body: JSON.stringify(body) };
}

const toResponse = (answer: WebhookAnswer): Response =>
  new Response(answer.body ?? null, { status: answer.status, headers: answer.headers });

/**
 * `POST /webhooks/fly` as a Fetch API handler. In order: method (405), size limit (413), then the receiver's
 * outcome: 401 for a bad signature, 400 for a bad body, 204 once handed on, 503 with `Retry-After` so the sender
 * retries.
 */
export function createWebhookHandler(options: WebhookHandlerOptions): (request: Request) => Promise<Response> {
  const answers = webhookAnswers(options);
  return async (request) => {
    let answer: WebhookAnswer;
    if (!options.receiver) answer = answers.disabled();
    else if (request.method !== 'POST') answer = answers.wrongMethod();
    else {
      const body = await readBodyWithLimit(request, answers.maxBodyBytes);
      answer = body.ok ? answers.of(await options.receiver.receive(body.bytes, request.headers)) : answers.tooLarge();
    }
    options.metrics?.webhookRequests.inc({ status: String(answer.status) });
    return toResponse(answer);
  };
}

/**
 * The same route served straight from node:http, past yoga's request pipeline (relays post in bursts; the pipeline
 * is most of a webhook's cost). Same answers as {@link createWebhookHandler}; never rejects.
 */
export function createNodeWebhookHandler(options: WebhookHandlerOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const answers = webhookAnswers(options);
  const send = (res: ServerResponse, answer: WebhookAnswer, close = false) => {
    options.metrics?.webhookRequests.inc({ status: String(answer.status) });
    const body = answer.body === undefined ? undefined : Buffer.from(answer.body);
    res.writeHead(answer.status, {
      ...answer.headers,
      ...(body ? { 'content-length': String(body.length) } : {}),
      ...(close ? { connection: 'close' } : {}),
    });
    res.end(body);
  };
  return async (req, res) => {
    try {
      if (!options.receiver) return send(res, answers.disabled());
      if (req.method !== 'POST') return send(res, answers.wrongMethod());
      const declared = req.headers['content-length'];
      if (declared !== undefined && /^\d+$/.test(declared) && Number(declared) > answers.maxBodyBytes) {
        // Not read: the socket is closed after the answer rather than made to swallow the body.
        return send(res, answers.tooLarge(), true);
      }
      const chunks: Buffer[] = [];
      let total = 0;
      for await (const chunk of req) {
        total += (chunk as Buffer).length;
        if (total > answers.maxBodyBytes) return send(res, answers.tooLarge(), true);
        chunks.push(chunk as Buffer);
      }
      const headers: Record<string, string | undefined> = {};
      for (const [name, value] of Object.entries(req.headers)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      send(res, answers.of(await options.receiver.receive(Buffer.concat(chunks, total), headers)));
    } catch {
      if (res.headersSent || res.destroyed) res.destroy();
      else send(res, answers.unavailable());
    }
  };
}

/** What the route answers, by case (shared by both transports). */
function webhookAnswers(options: WebhookHandlerOptions) {
  const maxBodyBytes = options.maxBodyBytes ?? 256 * 1024;
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes <= 0) {
    throw new RangeError(`createWebhookHandler: maxBodyBytes must be a positive integer, got ${maxBodyBytes}`);
  }
  const retryAfter = { 'retry-after': String(options.retryAfterSeconds ?? 5) };
  return {
    maxBodyBytes,
    disabled: () => errorAnswer(404, WebhookErrorCode.Disabled, 'webhooks are disabled: set WEBHOOK_SECRET to enable POST /webhooks/fly'),
    wrongMethod: () => errorAnswer(405, WebhookErrorCode.MethodNotAllowed, 'use POST', { headers: { allow: 'POST' } }),
    tooLarge: () => errorAnswer(413, WebhookErrorCode.PayloadTooLarge, `body exceeds ${maxBodyBytes} bytes`),
    unavailable: () =>
      errorAnswer(503, WebhookErrorCode.Unavailable, 'the event could not be handed on; retry later', { headers: retryAfter }),
    of(outcome: WebhookOutcome): WebhookAnswer {
      switch (outcome.kind) {
        case 'accepted':
          return { status: 204, headers: {} };
        case 'unauthenticated':
          return errorAnswer(401, WebhookErrorCode.InvalidSignature, outcome.reason);
        case 'invalid':
          return errorAnswer(400, WebhookErrorCode.InvalidBody, outcome.errors.join('; '), { details: outcome.errors });
        case 'in-flight':
          return errorAnswer(
            503,
            WebhookErrorCode.EventInFlight,
            'an earlier delivery of this event is still being processed; retry later',
            {
              headers: retryAfter,
            },
          );
        case 'unavailable':
          return errorAnswer(503, WebhookErrorCode.Unavailable, 'the event could not be handed on; retry later', { headers: retryAfter });
      }
    },
  };
}

/** Mounts {@link createWebhookHandler} on `/webhooks/fly`. */
/** Where relays post signed machine events. */
export const WEBHOOK_PATH = '/webhooks/fly';

export function webhookRoute(handler: (request: Request) => Promise<Response>): Route {
  return (request, url) => (url.pathname === WEBHOOK_PATH ? handler(request) : undefined);
}
