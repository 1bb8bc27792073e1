/**
 * The front door for repeated reads: a request whose exact bytes were answered before, for the same tenant, and whose
 * reads have not changed since, gets the stored answer without entering yoga (no Request object, no parse, no
 * validation, no execution). Everything else goes to yoga unchanged; a cacheable miss is marked so the fill plugin
 * can keep its answer.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../lib/clock.js';
import type { ResponseCache, StoredResponse } from '../../services/cache/response-cache.js';

/** Requests larger than this are never looked up (dashboards are a few hundred bytes). */
const MAX_KEYED_BODY_BYTES = 16 * 1024;

/** What a marked miss carries from the front door to the fill plugin and back. */
export interface FillTicket {
  key: string;
  started: ReturnType<ResponseCache['begin']>;
  /** Set by the fill plugin when the answer may be kept. */
  captured?: Omit<StoredResponse, 'contentType'>;
}

export interface ResponseCacheFrontOptions {
  cache: ResponseCache;
  clock: Clock;
  /**
   * Admits the caller and names the partition its answers live in (spending its request allowance, as the pipeline
   * would); undefined when the request must go through the full pipeline instead (no or an unknown key, no read
   * scope, over its limit: the pipeline gives the right answer for each).
   */
  admit(authorization: string | undefined, address: string): string | undefined | Promise<string | undefined>;
  /** Add the `extensions.upstreamCalls` / `extensions.cache` tally to hits, as the pipeline would. */
  exposeUpstreamCalls: boolean;
  onLookup?: (outcome: 'hit' | 'miss') => void;
  /** Told about every answer given here, with the request's headers (tracing records a span for it). */
  onHit?: (headers: (name: string) => string | undefined) => void;
  /**
   * Where marked misses are kept, keyed by the request yoga sees: shared with the fill plugin, which reads a
   * request's ticket (so the front door and yoga can be built in either order).
   */
  tickets: WeakMap<Request, FillTicket>;
  /** yoga's fetch entry point, for misses over node:http whose body this front door has already read. */
  yogaFetch(request: Request, serverContext: { req: IncomingMessage; res: ServerResponse }): Promise<Response>;
}

type HeaderValue = string | string[] | undefined;
const one = (value: HeaderValue): string | undefined => (Array.isArray(value) ? value[0] : value);

/**
 * Which requests may be answered from the cache: GraphQL over POST with a small JSON body that wants a single JSON
 * answer (a GET keeps the pipeline, where its CSRF rule lives). Browsers' cross-origin requests (an Origin header) keep the full pipeline,
 * where CORS and CSRF rules live; streams (SSE, multipart) and anything else too.
 */
function keyBase(method: string, path: string, header: (name: string) => HeaderValue, bodyInMemory = false): string | undefined {
  if (path !== '/graphql') return undefined;
  if (header('origin') !== undefined || header('upgrade') !== undefined) return undefined;
  const accept = one(header('accept')) ?? '';
  if (accept.includes('text/event-stream') || accept.includes('multipart/') || accept.includes('text/html')) return undefined;
  if (method === 'POST') {
    const type = one(header('content-type')) ?? '';
    if (!type.startsWith('application/json') || header('content-encoding') !== undefined) return undefined;
    // Over a socket the body is read here only when it is known to be small; in process it is in memory already.
    const length = Number(one(header('content-length')));
    if (!bodyInMemory && (!Number.isInteger(length) || length <= 0 || length > MAX_KEYED_BODY_BYTES)) return undefined;
  } else return undefined;
  return `${method}\n${accept}\n`;
}

/**
 * The whole body of a request, by its events: an async iterator over the stream cost more per warm hit than all the
 * lookup work. Rejects when the stream fails or the client goes away before the end.
 */
function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.once('error', reject);
    req.once('close', () => {
      if (!req.complete) reject(new Error('the client went away'));
    });
  });
}

/** Creates the front door; `handleNode` and `handleFetch` fall through to yoga for everything not answered here. */
export function createResponseCacheFront(options: ResponseCacheFrontOptions) {
  const { cache, clock } = options;
  const { tickets } = options;

  // Per stored answer, once: the body without its closing brace when the tally can be appended, else null. Reading
  // a large body as text on every hit to find that out cost more than the rest of the hit path.
  const heads = new WeakMap<StoredResponse, Buffer | null>();
  const headOf = (entry: StoredResponse): Buffer | null => {
    let head = heads.get(entry);
    if (head === undefined) {
      const text = entry.body.toString('utf8');
      head = text.endsWith('}') && !text.includes('"extensions":') ? entry.body.subarray(0, entry.body.length - 1) : null;
      heads.set(entry, head);
    }
    return head;
  };

  /** The stored bytes, or the stored body and the tally after it, as the chunks to send in order. */
  function answer(entry: StoredResponse): Buffer[] {
    const head = options.exposeUpstreamCalls ? headOf(entry) : null;
    if (!head) return [entry.body];
    // The same tally the pipeline reports: no Fly call, every read answered by the cache, and the data's age.
    const tally = {
      upstreamCalls: { total: 0, byOperation: {} },
      cache: { hits: entry.reads, misses: 0, stale: 0, maxAgeMs: Math.max(0, clock.now() - entry.oldestFetchedAt), response: 'hit' },
    };
    return [head, Buffer.from(`,"extensions":${JSON.stringify(tally)}}`)];
  }
  const lengthOf = (chunks: Buffer[]) => chunks.reduce((sum, chunk) => sum + chunk.length, 0);

  async function lookup(
    base: string,
    authorization: string | undefined,
    address: string,
    payload: string,
  ): Promise<{ key: string; entry?: StoredResponse } | undefined> {
    const tenant = await options.admit(authorization, address);
    if (tenant === undefined) return undefined;
    const key = `${tenant}\n${base}${payload}`;
    const entry = cache.get(key);
    options.onLookup?.(entry ? 'hit' : 'miss');
    return { key, entry };
  }

  function finish(ticket: FillTicket, status: number, contentType: string | null): void {
    if (status !== 200 || !ticket.captured || !contentType?.includes('json')) return;
    cache.set(ticket.key, { ...ticket.captured, contentType }, ticket.started);
  }

  return {
    /** The ticket of a marked miss (read by the fill plugin). */
    ticketOf: (request: Request | undefined) => (request ? tickets.get(request) : undefined),

    async handleFetch(request: Request, next: (request: Request) => Promise<Response>): Promise<Response> {
      const url = new URL(request.url);
      const base = keyBase(request.method, url.pathname, (name) => request.headers.get(name) ?? undefined, true);
      if (base === undefined) return next(request);
      const body = await request.text();
      const found =
        body.length > MAX_KEYED_BODY_BYTES
          ? undefined
          : await lookup(base, request.headers.get('authorization') ?? undefined, 'in-process', body);
      if (found?.entry) {
        options.onHit?.((name) => request.headers.get(name) ?? undefined);
        const bytes = Buffer.concat(answer(found.entry));
        return new Response(new Uint8Array(bytes), {
          status: 200,
          headers: { 'content-type': found.entry.contentType, 'content-length': String(bytes.length) },
        });
      }
      const forwarded = new Request(request.url, {
        method: request.method,
        headers: request.headers,
        signal: request.signal,
        body,
      });
      if (!found) return next(forwarded);
      const ticket: FillTicket = { key: found.key, started: cache.begin() };
      tickets.set(forwarded, ticket);
      const response = await next(forwarded);
      finish(ticket, response.status, response.headers.get('content-type'));
      return response;
    },

    /** Never rejects: a client that goes away mid-request ends its own response, anything else is a plain 500. */
    async handleNode(
      req: IncomingMessage,
      res: ServerResponse,
      next: (req: IncomingMessage, res: ServerResponse) => unknown,
    ): Promise<void> {
      try {
        await serveNode(req, res, next);
      } catch {
        if (res.destroyed || req.destroyed || res.writableEnded) return;
        if (res.headersSent) {
          res.destroy();
          return;
        }
        const body = JSON.stringify({ errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
        res.writeHead(500, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      }
    },
  };

  async function serveNode(
    req: IncomingMessage,
    res: ServerResponse,
    next: (req: IncomingMessage, res: ServerResponse) => unknown,
  ): Promise<void> {
    const method = req.method ?? 'GET';
    const rawUrl = req.url ?? '/';
    const queryAt = rawUrl.indexOf('?');
    const path = queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt);
    const base = keyBase(method, path, (name) => req.headers[name]);
    if (base === undefined) {
      await next(req, res);
      return;
    }
    const body = (await readBody(req)).toString('utf8');
    const found = await lookup(base, req.headers.authorization, req.socket.remoteAddress ?? 'unknown', body);
    if (found?.entry) {
      options.onHit?.((name) => one(req.headers[name]));
      // The stored body goes out as it is, never copied: the tally follows it in the same write.
      const chunks = answer(found.entry);
      res.writeHead(200, { 'content-type': found.entry.contentType, 'content-length': lengthOf(chunks) });
      res.cork();
      for (const chunk of chunks.slice(0, -1)) res.write(chunk);
      res.end(chunks.at(-1));
      return;
    }
    // The body is read already: the rest of the way is yoga's fetch API, with the same bytes.
    const aborted = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) aborted.abort(new Error('the client went away'));
    });
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined) continue;
      for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
    }
    const request = new Request(`http://${req.headers.host ?? 'localhost'}${rawUrl}`, {
      method,
      headers,
      signal: aborted.signal,
      body,
    });
    const ticket: FillTicket | undefined = found ? { key: found.key, started: cache.begin() } : undefined;
    if (ticket) tickets.set(request, ticket);
    const response = await options.yogaFetch(request, { req, res });
    const bytes = Buffer.from(await response.arrayBuffer());
    if (ticket) finish(ticket, response.status, response.headers.get('content-type'));
    const outHeaders: Record<string, string | string[]> = {};
    response.headers.forEach((value, name) => {
      if (name === 'set-cookie' || name === 'transfer-encoding' || name === 'content-length') return;
      outHeaders[name] = value;
    });
    const cookies = response.headers.getSetCookie();
    if (cookies.length > 0) outHeaders['set-cookie'] = cookies;
    outHeaders['content-length'] = String(bytes.length);
    res.writeHead(response.status, outHeaders);
    res.end(bytes);
  }
}
