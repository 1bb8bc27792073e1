import type { Server } from 'node:http';
import type { ExecutionArgs } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { systemClock, type Clock, type TimerHandle } from '../infra/clock.js';
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
  /** Drives the pings. @default systemClock */
  clock?: Clock;
  /** Browser origins that may open a socket (403 otherwise); an upgrade without Origin is not from a browser. */
  isOriginAllowed?: (origin: string) => boolean;
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
  clock = systemClock,
  isOriginAllowed = () => true,
}: GraphQLWsOptions): GraphQLWsHandle {
  const verifyClient = ({ origin }: { origin?: string }, done: (ok: boolean, status?: number) => void) =>
    done(!origin || isOriginAllowed(origin), 403);
  const wss = new WebSocketServer({ server, path, maxPayload: maxPayloadBytes, verifyClient });
  const alive = new WeakMap<WebSocket, boolean>();

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
  );

  wss.on('connection', (socket) => {
    alive.set(socket, true);
    socket.on('pong', () => alive.set(socket, true));
  });
  let pinger: TimerHandle | undefined;
  const pingRound = () => {
    for (const socket of wss.clients) {
      if (!alive.get(socket)) {
        socket.terminate();
        continue;
      }
      alive.set(socket, false);
      socket.ping();
    }
    schedulePings();
  };
  const schedulePings = () => {
    pinger = clock.setTimeout(pingRound, keepAliveMs);
    // A pending ping round alone must not keep the process alive.
    (pinger as { unref?: () => void }).unref?.();
  };
  schedulePings();

  return {
    clientCount: () => wss.clients.size,
    async dispose() {
      if (pinger !== undefined) clock.clearTimeout(pinger);
      pinger = undefined;
      for (const socket of wss.clients) socket.close(GOING_AWAY, 'Server shutting down');
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
