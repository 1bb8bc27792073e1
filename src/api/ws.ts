import type { Server } from 'node:http';
import type { ExecutionArgs } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { silentLogger, type Logger } from '../lib/logger.js';
import type { UpstreamTracker } from '../services/upstream-tracker.js';
import type { GatewayYoga } from './yoga.js';

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
}: GraphQLWsOptions): GraphQLWsHandle {
  const wss = new WebSocketServer({ server, path, maxPayload: maxPayloadBytes });

  const disposable = useServer(
    {
      connectionInitWaitTimeout: 3_000,
      execute: (args) => tracker.run(() => (args.rootValue as EnvelopedRoot).execute(args)) as never,
      subscribe: (args) => tracker.run(() => (args.rootValue as EnvelopedRoot).subscribe(args)) as never,
      onSubscribe: async (ctx, _id, payload) => {
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params: payload,
        });
        let document;
        try {
          document = parse(payload.query);
        } catch (error) {
          return [error as never];
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
        return args;
      },
    },
    wss,
    // graphql-ws pings every socket this often and drops one that has not answered by the next ping.
    keepAliveMs,
  );

  wss.on('connection', (socket) => {
    // graphql-ws prints socket errors with their stack to the console; ws has already closed the socket with the
    // right code (1009 for an oversized message), so one log line through our logger is all that is left to do.
    socket.removeAllListeners('error');
    socket.once('error', (error: Error & { code?: string }) => {
      const tooLarge = error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH';
      logger[tooLarge ? 'info' : 'warn']({ code: error.code, err: error.message }, tooLarge ? 'websocket message over the size limit' : 'websocket error');
    });
  });

  return {
    clientCount: () => wss.clients.size,
    async dispose() {
      for (const socket of wss.clients) socket.close(GOING_AWAY, 'Server shutting down');
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
