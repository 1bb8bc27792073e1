import { setMaxListeners } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Dispatcher } from 'undici';
import { buildSchema } from './api/schema/index.js';
import { graphiqlAssetRoute, healthRoutes, webhookRoute } from './api/http/routes.js';
import { attachGraphQLWs, type GraphQLWsHandle } from './api/ws.js';
import { createGatewayYoga, type GatewayYoga } from './api/yoga.js';
import type { Config } from './config/schema.js';
import { createEmulator, type Emulator } from './emulator/emulator.js';
import { createFlyClient } from './flyio/client.js';
import type { FlyClient } from './flyio/types.js';
import { systemClock, type Clock, type TimerHandle } from './infra/clock.js';
import { createLogger, type DestinationStream, type Logger } from './infra/logger.js';
import { createMetrics, type Metrics } from './infra/metrics.js';
import { redisUrlPassword } from './infra/redis.js';
import { createHealthService, flyProbe } from './services/health.js';
import { createServices, type Services } from './services/services.js';
import type { SyncJob } from './services/sync/sync-job.js';
import { createUpstreamTracker } from './services/upstream-tracker.js';
import { createDemoRelay, type DemoRelay } from './wiring/demo-relay.js';
import { createEventWiring, type EventWiring } from './wiring/events.js';

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
}

/** A running (or startable) gateway. */
export interface Gateway {
  readonly mode: 'demo' | 'live';
  /** Starts the emulator (demo mode) and the HTTP server; resolves with the GraphQL URL. */
  start(): Promise<{ url: string }>;
  /** Stops accepting work, lets in-flight requests finish, and releases every resource. */
  stop(): Promise<void>;
  /** In-process request, no socket: `gateway.fetch('http://gateway/graphql', init)`. Available once wired. */
  fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>;
  readonly metrics: Metrics;
  /** The polling sync job, when enabled (tests call `runOnce()`). Available once wired. */
  readonly sync: SyncJob | undefined;
  /** Open graphql-ws sockets. */
  subscriberCount(): number;
  /** The embedded emulator in demo mode. */
  readonly emulator?: Emulator;
}

interface Wiring {
  fly: FlyClient;
  services: Services;
  events: EventWiring;
  yoga: GatewayYoga;
}

/**
 * The composition root: builds every part from validated config and injected infrastructure. Opens no socket and
 * reads no environment; `start()` does the I/O. In demo mode (no Fly token) the gateway runs its own emulator and
 * wires the Fly client to it once it knows the emulator's address.
 */
export function createGateway(config: Readonly<Config>, deps: GatewayDeps = {}): Gateway {
  const mode = config.fly.token ? 'live' : 'demo';
  const clock = deps.clock ?? systemClock;
  const logger =
    deps.logger ??
    createLogger({
      level: config.log.level,
      // The password too, not only the whole URL: a driver error may quote it alone.
      secrets: [config.fly.token ?? '', ...config.webhooks.secrets, config.redis.url ?? '', redisUrlPassword(config.redis.url ?? '') ?? ''],
      destination: deps.logDestination,
    });
  const metrics = createMetrics({ defaultMetrics: true });
  const tracker = createUpstreamTracker();
  const emulator = mode === 'demo' ? (deps.emulator ?? createEmulator({ seed: 'demo' })) : undefined;

  let wiring: Wiring | undefined;
  let server: Server | undefined;
  let ws: GraphQLWsHandle | undefined;
  let relay: DemoRelay | undefined;
  const shutdown = new AbortController();
  // Every open subscription listens on this signal; thousands of listeners are expected, not a leak.
  setMaxListeners(0, shutdown.signal);

  function wire(baseUrl: string, token: string): Wiring {
    const fly = createFlyClient({
      baseUrl,
      token,
      dispatcher: deps.dispatcher,
      deadlineMs: config.fly.deadlineMs,
      rateLimit: config.fly.rateLimit,
      userAgent: 'flygate/0.1',
      onCall: (call) => {
        metrics.upstreamCalls.observe({ operation: call.operation, status: String(call.status) }, call.durationMs / 1000);
        tracker.record(call);
      },
    });
    const events = createEventWiring({ config, mode, fly, logger, metrics, clock });
    const health = createHealthService({ mode, clock, probes: { fly: flyProbe(fly), ...events.probes } });
    const services = createServices({ fly, health, events: events.events });
    const routes = [healthRoutes({ health, metrics }), webhookRoute(events.webhook), graphiqlAssetRoute()];
    const yoga = createGatewayYoga({ schema: buildSchema(), config, services, logger, metrics, tracker, routes, shutdownSignal: shutdown.signal });
    return { fly, services, events, yoga };
  }

  if (mode === 'live') wiring = wire(config.fly.baseUrl, config.fly.token!);

  function requireWiring(): Wiring {
    if (!wiring) throw new Error('The gateway is not started yet: in demo mode call start() first.');
    return wiring;
  }

  return {
    mode,
    metrics,
    emulator,
    get sync() {
      return wiring?.events.sync;
    },
    subscriberCount: () => ws?.clientCount() ?? 0,
    fetch: (input, init) => {
      const { yoga } = requireWiring();
      return tracker.run(async () => yoga.fetch(input instanceof Request ? input : new Request(input, init)));
    },
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

  async function listen(): Promise<{ url: string }> {
    if (emulator) {
      const emulatorUrl = await emulator.start({ port: config.emulator.port, host: '127.0.0.1' });
      emulator.startActivity(config.emulator.activityIntervalMs);
      wiring ??= wire(emulatorUrl, emulator.token);
    }
    const { yoga, events } = requireWiring();
    await events.start();
    server = createServer((req, res) => tracker.run(() => yoga.requestListener(req, res)));
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(config.server.port, config.server.host, () => resolve());
    });
    // Attached once listening: a WebSocket server on a server that failed to bind would report the bind error too.
    ws = attachGraphQLWs({ server, yoga, tracker, maxPayloadBytes: config.server.bodyLimitBytes });
    const { port } = server.address() as AddressInfo;
    if (emulator) {
      relay = createDemoRelay({
        source: emulator,
        url: `http://127.0.0.1:${port}/webhooks/fly`,
        secret: events.webhookSecrets[0],
        clock,
        logger,
      });
    }
    const host = config.server.host === '0.0.0.0' || config.server.host === '::' ? 'localhost' : config.server.host;
    return { url: `http://${host}:${port}/graphql` };
  }

  async function stop(): Promise<void> {
    emulator?.stopActivity();
    // Ends every subscription so SSE streams finish cleanly; in-flight queries keep their own signal.
    shutdown.abort();
    await relay?.stop();
    relay = undefined;
    // Subscribers first: they get 1001 (going away) and can reconnect elsewhere while HTTP drains.
    await ws?.dispose();
    ws = undefined;
    if (server) {
      const closing = new Promise<void>((resolve) => server!.close(() => resolve()));
      server.closeIdleConnections();
      let graceTimer: TimerHandle | undefined;
      const grace = new Promise<void>((resolve) => {
        graceTimer = clock.setTimeout(resolve, config.server.shutdownGraceMs);
      });
      await Promise.race([closing, grace]);
      clock.clearTimeout(graceTimer!);
      server.closeAllConnections();
      server = undefined;
    }
    await wiring?.events.stop();
    await wiring?.yoga.dispose();
    await wiring?.fly.close();
    if (emulator) {
      emulator.stopActivity();
      await emulator.stop();
      wiring = undefined;
    }
  }
}
