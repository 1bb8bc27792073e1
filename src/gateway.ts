import { setMaxListeners } from 'node:events';
import { createServer, type Server, type ServerOptions } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Dispatcher } from 'undici';
import { isOriginAllowed } from './api/plugins/cors.js';
import { attachGraphQLWs, type GraphQLWsHandle } from './api/ws.js';
import { createAccess } from './compose/access.js';
import { createBackends, settleWithin } from './compose/backends.js';
import { createCore, type Platform } from './compose/core.js';
import { createHttpEntry } from './compose/http-entry.js';
import { gatewayMode } from './config/derived.js';
import type { Config } from './config/schema.js';
import { createDemoMode } from './demo/demo.js';
import type { LogStreams } from './services/logs/log-streams.js';
import type { Emulator } from './emulator/emulator.js';
import { systemClock, type Clock, type TimerHandle } from './lib/clock.js';
import { createLogger, type DestinationStream, type Logger } from './lib/logger.js';
import { createMetrics, type Metrics } from './lib/metrics.js';
import { createTracing, type TracingOptions } from './lib/tracing.js';
import { redisUrlPassword } from './infra/redis/client.js';
import { tokenFingerprint } from './services/cache/read-cache.js';
import type { SyncJob } from './services/sync/sync-job.js';
import { createUpstreamTracker } from './services/upstream-tracker.js';

export { CLUSTER_EVENT_STREAM } from './compose/backends.js';

/** Infrastructure the composition root may be handed instead of creating its own (tests inject these). */
export interface GatewayDeps {
  logger?: Logger;
  clock?: Clock;
  /** undici dispatcher for Fly calls (e.g. a MockAgent). */
  dispatcher?: Dispatcher;
  /** Where the gateway's own logger writes (default stdout); ignored when `logger` is given. */
  logDestination?: DestinationStream;
  /** In demo mode, use this emulator instead of creating one (it is started and stopped by the gateway). */
  emulator?: Emulator;
  /** Export spans here (tests: an `InMemorySpanExporter`); turns tracing on whatever the config says. */
  spanExporter?: TracingOptions['exporter'];
}

/** A running (or startable) gateway. */
export interface Gateway {
  readonly mode: 'demo' | 'live';
  /** Starts the emulator (demo mode), the event parts and the HTTP server; resolves with the GraphQL URL. */
  start(): Promise<{ url: string }>;
  /** Stops accepting work, lets in-flight requests finish, and releases every resource. */
  stop(): Promise<void>;
  /**
   * In-process request, no socket: `gateway.fetch('http://gateway/graphql', init)`. Works from creation; in demo
   * mode Fly calls succeed once `start()` has started the emulator.
   */
  fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>;
  readonly metrics: Metrics;
  /** The polling sync job, when enabled (tests call `runOnce()`). */
  readonly sync: SyncJob | undefined;
  /** Open graphql-ws sockets. */
  subscriberCount(): number;
  /** The embedded emulator in demo mode. */
  readonly emulator?: Emulator;
  /** Live app logs of this instance: which streams it follows and whether it is the one polling Fly for them. */
  readonly logs: Pick<LogStreams, 'status'>;
}

/**
 * Node's own limits on slow and idle clients. headersTimeout and requestTimeout bound receiving a request (a
 * socket that sends nothing is closed after headersTimeout too); the response is not bounded, so SSE streams live
 * on, and an upgraded WebSocket leaves Node's HTTP bookkeeping altogether. Node checks these every
 * connectionsCheckingInterval (30 s by default), which is derived here so a timeout fires close to its value.
 * They run on Node's timers, not the injected clock: they guard real sockets.
 */
function serverOptions(server: Config['server']): ServerOptions {
  return {
    headersTimeout: server.headersTimeoutMs,
    requestTimeout: server.requestTimeoutMs,
    keepAliveTimeout: server.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.min(1_000, Math.max(25, Math.floor(Math.min(server.headersTimeoutMs, server.requestTimeoutMs) / 4))),
  };
}

/** The logger, metrics, tracing and clock every part uses: the injected ones, or the gateway's own. */
function createPlatform(config: Readonly<Config>, deps: GatewayDeps): Platform {
  const logger =
    deps.logger ??
    createLogger({
      level: config.log.level,
      // The password too, not only the whole URL: a driver error may quote it alone.
      secrets: [
        config.fly.token ?? '',
        ...config.webhooks.secrets,
        config.redis.url ?? '',
        redisUrlPassword(config.redis.url ?? '') ?? '',
        ...config.auth.apiKeys,
      ],
      destination: deps.logDestination,
    });
  const tracing = createTracing({ ...config.tracing, exporter: deps.spanExporter });
  return {
    clock: deps.clock ?? systemClock,
    logger,
    metrics: createMetrics({ defaultMetrics: true }),
    tracker: createUpstreamTracker(),
    tracing,
    traced: tracing.tracer ? { tracer: tracing.tracer, propagator: tracing.propagator } : undefined,
  };
}

/**
 * The composition root, in the order of docs/ARCHITECTURE.md's diagram: the platform (logs, metrics, tracing, clock),
 * demo mode when there is no Fly token, the backends (every memory-or-Redis choice), the core (Fly client, caches,
 * events, deployments, services), access (who may call), and the HTTP entrance (yoga and the whole-response cache).
 * Opens no socket and reads no environment; `start()` does the I/O and `stop()` undoes it in reverse.
 */
export function createGateway(config: Readonly<Config>, deps: GatewayDeps = {}): Gateway {
  const mode = gatewayMode(config);
  const platform = createPlatform(config, deps);
  const { clock, logger, metrics, tracker, tracing } = platform;
  const demo = mode === 'demo' ? createDemoMode({ config, clock, logger, emulator: deps.emulator }) : undefined;
  const flyToken = demo?.fly.token ?? config.fly.token!;
  const tenant = tokenFingerprint(flyToken);

  const backends = createBackends(config, { clock, logger, metrics, tenant });
  const core = createCore(config, platform, backends, { demo, dispatcher: deps.dispatcher, flyToken, tenant });
  const access = createAccess(config, { tenant, callerLimiter: backends.callerLimiter, tokenVerdicts: core.tokenVerdicts });
  const shutdown = new AbortController();
  // Every open subscription listens on this signal; thousands of listeners are expected, not a leak.
  setMaxListeners(0, shutdown.signal);
  const entry = createHttpEntry(config, platform, core, access, shutdown.signal);

  let server: Server | undefined;
  let ws: GraphQLWsHandle | undefined;

  async function listen(): Promise<{ url: string }> {
    await demo?.start();
    await backends.start();
    core.sync?.start();
    server = createServer(serverOptions(config.server), (req, res) => tracker.run(() => entry.handleNode(req, res)));
    server.keepAliveTimeout = config.server.keepAliveTimeoutMs;
    server.maxConnections = config.server.maxConnections;
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(config.server.port, config.server.host, () => resolve());
    });
    // Attached once listening: a WebSocket server on a server that failed to bind would report the bind error too.
    ws = attachGraphQLWs({
      server,
      yoga: entry.yoga,
      tracker,
      logger,
      maxPayloadBytes: config.server.bodyLimitBytes,
      maxSubscriptionsPerSocket: config.ws.maxSubscriptionsPerSocket,
      maxSocketsPerAddress: config.ws.maxSocketsPerAddress,
      isOriginAllowed: (origin) => isOriginAllowed(origin, config.server),
      access: access.wsAccess,
      limits: core.limits,
    });
    if (!config.redis.url && config.env === 'production') {
      logger.warn('no REDIS_URL in production: deployments are kept in this process only, and a crash forgets them (docs/DEPLOYMENTS.md)');
    }
    if (config.auth.mode === 'none' && config.env === 'production') {
      logger.warn('AUTH_MODE=none in production (AUTH_ALLOW_NONE=true): anyone who reaches this port can read and change machines');
    }
    const { port } = server.address() as AddressInfo;
    demo?.startRelay(`http://127.0.0.1:${port}/webhooks/fly`);
    const host = config.server.host === '0.0.0.0' || config.server.host === '::' ? 'localhost' : config.server.host;
    return { url: `http://${host}:${port}/graphql` };
  }

  async function drainHttp(open: Server): Promise<void> {
    const closing = new Promise<void>((resolve) => open.close(() => resolve()));
    open.closeIdleConnections();
    let graceTimer: TimerHandle | undefined;
    const grace = new Promise<void>((resolve) => {
      graceTimer = clock.setTimeout(resolve, config.server.shutdownGraceMs);
    });
    await Promise.race([closing, grace]);
    clock.clearTimeout(graceTimer!);
    open.closeAllConnections();
  }

  async function stop(): Promise<void> {
    // Ends every subscription so SSE streams finish cleanly; in-flight queries keep their own signal.
    shutdown.abort();
    await demo?.stopChanges();
    // Subscribers first: they get 1001 (going away) and can reconnect elsewhere while HTTP drains.
    await ws?.dispose();
    ws = undefined;
    if (server) await drainHttp(server);
    server = undefined;
    await core.sync?.stop();
    // Log poll loops give their locks up, so another instance's followers take over at once.
    await core.logs.close();
    // Running deployments end INTERRUPTED with their leases released, while Fly and Redis are still reachable.
    await core.deployments.close();
    await backends.close();
    await entry.yoga.dispose();
    await core.fly.close();
    await demo?.stop();
    // Last, so the spans of shutdown itself are exported too; bounded: a collector that is away must not hold stop().
    await settleWithin(tracing.shutdown(), 2_000);
  }

  return {
    mode,
    metrics,
    logs: core.logs,
    emulator: demo?.emulator,
    sync: core.sync,
    subscriberCount: () => ws?.clientCount() ?? 0,
    fetch: (input, init) => tracker.run(async () => entry.handleFetch(input instanceof Request ? input : new Request(input, init))),
    async start() {
      if (server) throw new Error('The gateway is already started.');
      if (shutdown.signal.aborted) throw new Error('A stopped gateway cannot start again: create a new one.');
      try {
        return await listen();
      } catch (error) {
        // Whatever did start (emulator, event bus, sync job, WebSocket server) is released before reporting.
        await stop().catch(() => undefined);
        throw error;
      }
    },
    stop,
  };
}
