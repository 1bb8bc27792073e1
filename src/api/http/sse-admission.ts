import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StreamLimits } from '../stream-limits.js';

/**
 * Whether a request may be answered with an event stream: it accepts `text/event-stream` (yoga streams to such a
 * request when the operation is a subscription or `@live`). Counted as a stream whatever it turns out to be, since
 * telling would mean parsing it first; a plain query over SSE holds its slot only while it runs.
 */
function mayStream(req: IncomingMessage): boolean {
  return req.url?.startsWith('/graphql') === true && req.headers.accept?.includes('text/event-stream') === true;
}

/**
 * The node server's gate for SSE: a request that may stream takes a slot for its client address (the socket's
 * remote address) and the process, given back when its response closes; over a cap, or while the heap is high, it
 * is answered at once with 429 or 503, `Retry-After` and a GraphQL error body, before yoga parses anything.
 * Returns false when it answered.
 */
export function admitSse(limits: StreamLimits, req: IncomingMessage, res: ServerResponse): boolean {
  if (!mayStream(req)) return true;
  const admission = limits.openSse(req.socket.remoteAddress ?? 'unknown');
  if (admission.ok) {
    res.once('close', admission.release);
    return true;
  }
  const { refusal } = admission;
  const extensions = {
    code: refusal.code,
    ...(refusal.limit === undefined ? {} : { limit: refusal.limit }),
    retryAfterSeconds: refusal.retryAfterSeconds,
  };
  const body = JSON.stringify({ errors: [{ message: refusal.message, extensions }] });
  res.writeHead(refusal.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'retry-after': String(refusal.retryAfterSeconds),
  });
  res.end(body);
  // The body may still be arriving; the connection is not worth keeping for it.
  req.resume();
  return false;
}
