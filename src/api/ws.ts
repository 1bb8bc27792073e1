import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { getOperationAST, GraphQLError, type ExecutionArgs } from 'graphql';
import type { Context, SubscribePayload } from 'graphql-ws';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { silentLogger, type Logger } from '../lib/logger.js';
import type { UpstreamTracker } from '../services/upstream-tracker.js';
import type { WsAccess } from './auth/ws-access.js';
import { createKeyedLimiter } from './keyed-limiter.js';
import { refusalError, type StreamLimits, type StreamSlot } from './stream-limits.js';
import type { DirectNextContext } from './plugins/shared-subscription-results.js';
import { directNext, TurnBatcher } from './ws-direct.js';
import type { GatewayYoga } from './yoga.js';
import type { GraphQLContext } from './context.js';
import { isLiveOperation } from './live/use-live-query.js';

/** Options for {@link attachGraphQLWs}. */
export interface GraphQLWsOptions {
  server: Server;
  yoga: GatewayYoga;
  tracker: UpstreamTracker;
  /** Path shared with HTTP GraphQL. @default '/graphql' */
  path?: string;
  /** Largest accepted WebSocket message, in bytes (ws would accept 100 MiB). */
  maxPayloadBytes: number;
  /** Interval of protocol-level pings; a client that misses one is dropped. @default 12000 */
  keepAliveMs?: number;
  /** Where socket errors go (graphql-ws would print them to the console). @default silentLogger */
  logger?: Logger;
  /** Most operations open at once on one socket; one more is refused with {@link SUBSCRIPTION_LIMIT}. */
  maxSubscriptionsPerSocket: number;
  /** Most sockets open at once from one client address; one more is closed with {@link TOO_MANY_CONNECTIONS}. */
  maxSocketsPerAddress: number;
  /** Browser origins that may open a socket (403 otherwise); an upgrade without Origin is not from a browser. */
  isOriginAllowed?: (origin: string) => boolean;
  /** Who the socket is (`connectionParams.authorization`, else close 4401) and what each operation may do (4403). */
  access?: WsAccess;
  /** The process-wide cap on open operations (with SSE streams) and the heap guard; each operation takes a slot. */
  limits?: StreamLimits;
}

/** What the gateway holds to close the WebSocket side. */
export interface GraphQLWsHandle {
  /** Closes every socket with 1001 (going away) and stops accepting new ones. */
  dispose(): Promise<void>;
  /** Open sockets right now. */
  clientCount(): number;
}

/** WebSocket close code 1001: the server is going away (RFC 6455). */
const GOING_AWAY = 1001;
/**
 * Close code for a socket over the per-address cap. graphql-ws clients do not retry it on their own; graphql-ws
 * also sends 4429 for a second `connection_init`, so the reason text tells the two apart (docs/RUNBOOK.md).
 */
export const TOO_MANY_CONNECTIONS = { code: 4429, reason: 'too many connections from this address' } as const;
/** `extensions.code` of the error a subscribe over the per-socket cap gets. */
export const SUBSCRIPTION_LIMIT = 'SUBSCRIPTION_LIMIT';

/** Headers of the upgrade request that the socket's operations still read: the client's trace (tracing plugin). */
const KEPT_HEADERS = ['traceparent', 'tracestate', 'baggage'] as const;

/**
 * What a socket keeps of its upgrade request for as long as it is open (graphql-ws holds it as `extra.request`):
 * the headers above and the URL. The IncomingMessage itself, its raw headers and the rest are let go, which is a
 * good part of what an idle subscriber costs.
 */
function keptOfUpgrade(request: IncomingMessage): IncomingMessage {
  const headers: Record<string, string | string[]> = {};
  for (const name of KEPT_HEADERS) {
    const value = request.headers[name];
    if (value !== undefined) headers[name] = value;
  }
  return { headers, url: request.url } as IncomingMessage;
}

/** graphql-ws's per-socket context as this server has it. */
type WsContext = Context<Record<string, unknown> | undefined, Extra>;

type EnvelopedRoot = { execute: (args: ExecutionArgs) => unknown; subscribe: (args: ExecutionArgs) => unknown };

/**
 * graphql-ws (`graphql-transport-ws`) on the same path as HTTP GraphQL. Every operation goes through yoga's
 * envelop (`getEnveloped`), so parsing, validation, graphql-armor limits, context and error masking are the same
 * as over HTTP.
 */
export function attachGraphQLWs({
  server,
  yoga,
  tracker,
  path = '/graphql',
  maxPayloadBytes,
  keepAliveMs = 12_000,
  logger = silentLogger,
  maxSubscriptionsPerSocket,
  maxSocketsPerAddress,
  isOriginAllowed = () => true,
  access,
  limits,
}: GraphQLWsOptions): GraphQLWsHandle {
  const verifyClient = ({ origin }: { origin?: string }, done: (ok: boolean, status?: number) => void) =>
    done(!origin || isOriginAllowed(origin), 403);
  // noServer: the upgrade is ours to take, so a socket over the per-address cap is closed before graphql-ws sees it.
  const wss = new WebSocketServer({ noServer: true, path, maxPayload: maxPayloadBytes, verifyClient });
  const perAddress = createKeyedLimiter(maxSocketsPerAddress);
  // One for the server: the frames each socket gets in one turn of the event loop go out in one write.
  const batcher = new TurnBatcher();
  // The client address of each socket, for the per-address caps of what its operations open (live queries).
  const addressOf = new WeakMap<object, string>();
  // The slots of each socket's open operations, by operation id. graphql-ws calls onComplete when an operation ends
  // (completed by either side, failed, or its socket closed); a refused or failed subscribe, or a socket closed by an
  // internal error, never reaches it, so those paths give the slot back themselves.
  // A live query holds a second slot (taken here, handed to the live-query plugin); releasing a slot twice is harmless.
  const slotsOf = new WeakMap<object, Map<string, StreamSlot[]>>();
  const holdSlot = (ctx: object, id: string, slot: StreamSlot) => {
    let slots = slotsOf.get(ctx);
    if (!slots) slotsOf.set(ctx, (slots = new Map()));
    slots.set(id, [...(slots.get(id) ?? []), slot]);
  };
  const releaseSlot = (ctx: object, id: string) => {
    const slots = slotsOf.get(ctx);
    for (const slot of slots?.get(id) ?? []) slot.release();
    slots?.delete(id);
  };
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // handleUpgrade answers 400 itself for another path or a malformed handshake.
    wss.handleUpgrade(request, socket, head, (ws) => {
      const address = request.socket.remoteAddress ?? 'unknown';
      if (!perAddress.acquire(address)) {
        ws.close(TOO_MANY_CONNECTIONS.code, TOO_MANY_CONNECTIONS.reason);
        return;
      }
      // Made apart from this closure, which holds the whole upgrade request; the socket keeps only what it needs.
      ws.once('close', releaseOnClose(address));
      addressOf.set(ws, address);
      wss.emit('connection', ws, keptOfUpgrade(request));
    });
  };
  const releaseOnClose = (address: string) => () => perAddress.release(address);
  server.on('upgrade', onUpgrade);

  const disposable = useServer(
    {
      connectionInitWaitTimeout: 3_000,
      onConnect: (ctx) => access?.connect(ctx.connectionParams, ctx.extra.socket, addressOf.get(ctx.extra.socket) ?? 'unknown') ?? true,
      execute: (args) => tracker.run(() => (args.rootValue as EnvelopedRoot).execute(args)) as never,
      subscribe: (args) => tracker.run(() => (args.rootValue as EnvelopedRoot).subscribe(args)) as never,
      onSubscribe: async (ctx, id, payload) => {
        // ctx.subscriptions already holds this one (as a placeholder), so more than the cap means one too many.
        if (Object.keys(ctx.subscriptions).length > maxSubscriptionsPerSocket) {
          return [
            new GraphQLError(`At most ${maxSubscriptionsPerSocket} operations may be open at once on one socket; complete one first.`, {
              extensions: { code: SUBSCRIPTION_LIMIT, limit: maxSubscriptionsPerSocket },
            }),
          ];
        }
        const slot = limits?.openWsOperation();
        if (slot && !slot.ok) return [refusalError(slot.refusal, { http: false })];
        if (slot) holdSlot(ctx, id, slot);
        try {
          const prepared = await prepare(ctx, id, payload);
          if (Array.isArray(prepared)) releaseSlot(ctx, id);
          return prepared;
        } catch (error) {
          releaseSlot(ctx, id);
          throw error;
        }
      },
      onComplete: (ctx, id) => releaseSlot(ctx, id),
      onClose: (ctx) => {
        for (const slots of slotsOf.get(ctx)?.values() ?? []) for (const slot of slots) slot.release();
        slotsOf.delete(ctx);
      },
    },
    wss,
    // graphql-ws pings every socket this often and drops one that has not answered by the next ping.
    keepAliveMs,
  );

  /** What graphql-ws runs for one subscribe message: the execution arguments, or the errors that refuse it. */
  async function prepare(ctx: WsContext, id: string, payload: SubscribePayload): Promise<ExecutionArgs | readonly GraphQLError[]> {
    const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
      ...ctx,
      req: ctx.extra.request,
      socket: ctx.extra.socket,
      clientAddress: addressOf.get(ctx.extra.socket),
      params: payload,
      directNext: directNext(ctx.extra.socket, id, batcher),
    } satisfies DirectNextContext & Record<string, unknown>);
    // With trusted documents the message names a manifest entry instead of carrying its own text.
    const query = access ? access.queryOf(payload as typeof payload & { documentId?: unknown }) : payload.query;
    if (query instanceof GraphQLError) return [query];
    let document;
    try {
      document = parse(query);
    } catch (error) {
      return [error as never];
    }
    const operation = getOperationAST(document, payload.operationName)?.operation;
    if (access && operation) {
      const verdict = await access.admit(ctx.extra.socket, operation);
      if (!verdict.ok) return verdict.errors;
    }
    const args: ExecutionArgs = {
      schema,
      operationName: payload.operationName,
      document,
      variableValues: payload.variables,
      contextValue: await contextFactory(),
      rootValue: { execute, subscribe } satisfies EnvelopedRoot,
    };
    const errors = validate(args.schema, args.document);
    if (errors.length > 0) return errors;
    // A live query over its caps is refused here, like an operation over the socket's cap: an `error` message.
    if (limits && isLiveOperation(document, payload.operationName)) {
      const live = limits.openLive(addressOf.get(ctx.extra.socket));
      if (!live.ok) return [refusalError(live.refusal, { http: false })];
      holdSlot(ctx, id, live);
      (args.contextValue as GraphQLContext).liveSlot = live;
    }
    return args;
  }

  wss.on('connection', (socket) => {
    // graphql-ws prints socket errors with their stack to the console; ws has already closed the socket with the
    // right code (1009 for an oversized message), so one log line through our logger is all that is left to do.
    socket.removeAllListeners('error');
    socket.once('error', (error: Error & { code?: string }) => {
      const tooLarge = error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH';
      logger[tooLarge ? 'info' : 'warn'](
        { code: error.code, err: error.message },
        tooLarge ? 'websocket message over the size limit' : 'websocket error',
      );
    });
  });

  return {
    clientCount: () => wss.clients.size,
    async dispose() {
      server.off('upgrade', onUpgrade);
      for (const socket of wss.clients) socket.close(GOING_AWAY, 'Server shutting down');
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
