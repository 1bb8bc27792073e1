import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../lib/clock.js';
import { UNAUTHORIZED_BODY, READ_ONLY_BODY } from './auth.js';
import type { EmuResponse, Handlers } from './context.js';
import type { FaultInjector } from './faults.js';
import { HttpError } from './http-error.js';
import type { IdFactory } from './ids.js';
import type { RateLimiter } from './rate-limit.js';
import { matchRoute, type RouteMatch } from './route-table.js';

/** Dependencies of the HTTP pipeline. */
export interface PipelineOptions {
  handlers: Handlers;
  clock: Clock;
  ids: IdFactory;
  faults: FaultInjector;
  /** What the request's token may see; undefined answers 401. */
  authorize: (header: string | undefined) => ((app: string) => boolean) | undefined;
  /** Whether the request's (accepted) token may change anything; a read-only token gets 401 on any other method than GET. */
  mayWrite?: (header: string | undefined) => boolean;
  /** Present only when rate limiting is on. */
  rateLimiter?: RateLimiter;
  counts: Map<string, number>;
}

const MAX_BODY = 5 * 1024 * 1024;

function send(res: ServerResponse, out: EmuResponse): void {
  if (res.destroyed || res.headersSent) return;
  for (const [k, v] of Object.entries(out.headers ?? {})) res.setHeader(k, v);
  if (out.body === undefined) {
    res.writeHead(out.status).end();
    return;
  }
  // A text answer (the OIDC and KMS tokens) goes as it is; everything else is JSON.
  const text = typeof out.body === 'string' && out.headers?.['content-type']?.startsWith('text/plain');
  const payload = text ? (out.body as string) : JSON.stringify(out.body);
  res.writeHead(out.status, {
    'content-type': text ? out.headers!['content-type']! : 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
  });
  res.end(payload);
}

/** 413 that also closes the connection: the unread rest of the body must not be parsed as the next request. */
function tooLarge(): HttpError {
  return new HttpError(413, { error: 'request body too large' }, { connection: 'close' });
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  if (Number(req.headers['content-length']) > MAX_BODY) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, { error: 'invalid JSON body' });
  }
}

/** The request target as a URL; an absolute-form or otherwise unparseable target is the client's mistake (400). */
function parseUrl(target: string | undefined): URL {
  try {
    return new URL(target ?? '/', 'http://emulator');
  } catch {
    throw new HttpError(400, { error: 'malformed request target' });
  }
}

/** Rate-limit scope: the machine or volume when the route names one, else the app, else the org or the token. */
function scopeOf(match: RouteMatch): string {
  const p = match.params;
  // The app-deletion budget (100/min) is for the caller as a whole, not per app.
  if (match.id === 'apps.delete') return 'token';
  return p.machine_id ?? p.volume_id ?? p.app_name ?? p.org_slug ?? 'token';
}

/** Builds the `node:http` request listener: request id, route match, counts, faults, auth, rate limit, handler. */
export function createRequestListener(options: PipelineOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { handlers, clock, ids, faults, counts } = options;

  async function handle(req: IncomingMessage, res: ServerResponse, signal: AbortSignal): Promise<EmuResponse | undefined> {
    const url = parseUrl(req.url);
    const match = matchRoute(req.method ?? 'GET', url.pathname);
    if (match === undefined) return { status: 404, body: { error: 'not found' } };
    if (match === 'method') return { status: 405, body: { error: 'method not allowed' } };
    counts.set(match.id, (counts.get(match.id) ?? 0) + 1);

    const fault = faults.decide(match.id);
    if (fault.reset) {
      req.socket.destroy();
      return undefined;
    }
    if (fault.latencyMs > 0) await clock.sleep(fault.latencyMs, signal).catch(() => undefined);
    if (fault.hang) {
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      return undefined;
    }
    if (signal.aborted) return undefined;
    if (fault.errorStatus !== undefined) return { status: fault.errorStatus, body: { error: `injected fault (${fault.errorStatus})` } };

    const canSee = options.authorize(req.headers.authorization);
    if (!canSee) return { status: 401, body: UNAUTHORIZED_BODY };
    if (req.method !== 'GET' && req.method !== 'HEAD' && options.mayWrite && !options.mayWrite(req.headers.authorization)) {
      return { status: 401, body: READ_ONLY_BODY };
    }
    // A token scoped to other apps gets what Fly answers for an app it cannot see: not found.
    if (match.params.app_name !== undefined && !canSee(match.params.app_name)) return { status: 404, body: { error: 'app not found' } };
    if (options.rateLimiter) {
      const wait = options.rateLimiter.take(match.id, scopeOf(match));
      if (wait > 0) return { status: 429, body: { error: 'rate limit exceeded' }, headers: { 'retry-after': String(wait) } };
    }
    const body = await readBody(req);
    const handler = handlers[match.id];
    if (!handler) return { status: 404, body: { error: 'not found' } };
    return handler({ params: match.params, query: url.searchParams, headers: req.headers, body, signal, canSee });
  }

  return (req, res) => {
    const controller = new AbortController();
    res.on('close', () => controller.abort());
    res.setHeader('fly-request-id', ids.requestId());
    handle(req, res, controller.signal)
      .then((out) => {
        if (out) send(res, out);
      })
      .catch((err: unknown) => {
        if (err instanceof HttpError) send(res, { status: err.status, body: err.body, headers: err.headers });
        else send(res, { status: 500, body: { error: 'internal emulator error' } });
      });
  };
}
