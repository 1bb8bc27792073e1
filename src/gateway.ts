import { setMaxListeners } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerOptions, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Dispatcher } from 'undici';
import { graphiqlAssetRoute, healthRoutes } from './api/http/routes.js';
import { createNodeWebhookHandler, createWebhookHandler, WEBHOOK_PATH, webhookRoute } from './api/http/webhook-route.js';
import { isOriginAllowed } from './api/plugins/cors.js';
import { buildSchema } from './api/schema/index.js';
import { allows, createCallerResolver } from './api/auth/caller.js';
import { loadTrustedDocuments } from './api/auth/trusted-documents.js';
import { createWsAccess } from './api/auth/ws-access.js';
import { createAdmission } from './api/auth/admission.js';
import { createTokenVerdicts } from './api/auth/token-verdicts.js';
import { createLiveQueries } from './api/live/live-queries.js';
import { attachGraphQLWs, type GraphQLWsHandle } from './api/ws.js';
import { admitSse } from './api/http/sse-admission.js';
import { createStreamLimits } from './api/stream-limits.js';
import { createGatewayYoga } from './api/yoga.js';
import { gatewayMode, syncEnabled } from './config/derived.js';
import type { Config } from './config/schema.js';
import { createDemoMode } from './demo/demo.js';
import { createDemoExamples } from './demo/examples.js';
import type { Emulator } from './emulator/emulator.js';
import { createFlyClient } from './flyio/client.js';
import { createRateBudget, observeRateBudget } from './flyio/rate-limit.js';
import { withCallOptions } from './flyio/with-authorization.js';
import { systemClock, type Clock, type TimerHandle } from './lib/clock.js';
import { createLogger, type DestinationStream, type Logger } from './lib/logger.js';
import { createMemoryCacheStore } from './infra/memory/cache-store.js';
import { createMemoryCallerLimiter } from './infra/memory/caller-limiter.js';
import { createMemoryDedupeStore } from './infra/memory/dedupe-store.js';
import { createMemoryDeploymentStore } from './infra/memory/deployment-store.js';
import { createMemoryEventBus } from './infra/memory/event-bus.js';
import { createReplayGate, type ReplayGate } from './infra/replay-gate.js';
import { createMemoryLock, type MemoryLockRegistry } from './infra/memory/lock.js';
import { createMemorySyncStateStore } from './infra/memory/sync-state-store.js';
import { createMetrics, type Metrics } from './lib/metrics.js';
import { createTracing, type TracingOptions } from './lib/tracing.js';
import { createRedis, redisUrlPassword, type RedisConnection } from './infra/redis/client.js';
import { createRedisCacheStore } from './infra/redis/cache-store.js';
import { createRedisCallerLimiter } from './infra/redis/caller-limiter.js';
import { createRedisDedupeStore } from './infra/redis/dedupe-store.js';
import { createRedisDeploymentStore } from './infra/redis/deployment-store.js';
import { createRedisEventBus } from './infra/redis/event-bus.js';
import { createRedisLock } from './infra/redis/lock.js';
import { createRedisProbe } from './infra/redis/probe.js';
import { createRedisRateBudget } from './infra/redis/rate-budget.js';
import { createRedisSyncStateStore } from './infra/redis/sync-state-store.js';
import { machineChangeTags, withReadCache, withWriteInvalidation } from './services/cache/cached-fly.js';
import { createReadCache, tokenFingerprint } from './services/cache/read-cache.js';
import { createResponseCache } from './services/cache/response-cache.js';
import { createResponseCacheFront } from './api/http/response-cache-front.js';
import { traceResponseCacheHit } from './api/plugins/tracing.js';
import { createEventIngest } from './services/events/event-ingest.js';
import { createEventsService } from './services/events/events-service.js';
import { createHealthService, flyProbe, type Probe } from './services/health.js';
import { createDeploymentService } from './services/deploy/deployment-service.js';
import type { CacheStore, CallerLimiter, DedupeStore, DeploymentStore, EventBus, Lock, SyncStateStore } from './services/ports.js';
import { createServices } from './services/services.js';
import { createSyncJob, syncLockTtlMs, type SyncJob } from './services/sync/sync-job.js';
import { createUpstreamTracker } from './services/upstream-tracker.js';
import { createWebhookReceiver } from './services/webhooks/receive-webhook.js';
import { createWebhookVerifier } from './services/webhooks/verify.js';

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
}

/** How far and how many at once the event bus replays for resuming subscriptions (EVENTS_MAX_REPLAY, ...). */
interface ReplayBounds {
  maxReplay: number;
  replays: ReplayGate;
}

/** The shared-state parts, in memory or in Redis. */
interface Stores {
  bus: EventBus;
  dedupe: DedupeStore;
  syncState: SyncStateStore;
  syncLock: Lock;
  deployments: DeploymentStore;
  /** The lock that keeps one deployment per app. */
  deployLock(app: string, ttlMs: number): Lock;
}

function memoryStores(clock: Clock, lockTtlMs: number, replay: ReplayBounds): Stores {
  const deployLocks: MemoryLockRegistry = new Map();
  return {
    deployments: createMemoryDeploymentStore(),
    deployLock: (app, ttlMs) => createMemoryLock({ key: app, ttlMs, clock, registry: deployLocks }),
    bus: createMemoryEventBus(replay),
    // The in-process store expires ids on the gateway's clock, like every other timed part.
    dedupe: createMemoryDedupeStore({ now: () => clock.now() }),
    syncState: createMemorySyncStateStore(),
    syncLock: createMemoryLock({ ttlMs: lockTtlMs, clock }),
  };
}

/**
 * On a Redis Cluster the stream and its epoch key must share a slot (one Lua script and one MULTI touch both), so the
 * stream gets a hash tag there. One Redis keeps the original name: upgrading instances keep reading the same stream.
 */
export const CLUSTER_EVENT_STREAM = '{flygate}:events';

function redisStores(
  redis: RedisConnection,
  cluster: boolean,
  logger: Logger,
  clock: Clock,
  lockTtlMs: number,
  replay: ReplayBounds,
): Stores {
  return {
    deployments: createRedisDeploymentStore({ redis }),
    deployLock: (app, ttlMs) => createRedisLock({ redis, key: `flygate:deploy:lock:${app}`, ttlMs, clock }),
    bus: createRedisEventBus({ redis, logger, ...replay, ...(cluster ? { stream: CLUSTER_EVENT_STREAM } : {}) }),
    dedupe: createRedisDedupeStore({ redis }),
    syncState: createRedisSyncStateStore({ redis }),
    syncLock: createRedisLock({ redis, key: 'flygate:sync:lock', ttlMs: lockTtlMs, clock }),
  };
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

/** Waits for `work`, but not longer than `ms`; its failure is ignored (used where shutdown must go on). */
async function settleWithin(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  await Promise.race([work.catch(() => undefined), late]);
  clearTimeout(timer);
}

/** QUIT politely, but never wait longer than `ms` for it (a Redis that is away would hold shutdown forever). */
async function quitWithin(client: { quit(): Promise<unknown>; disconnect(): void }, ms: number): Promise<void> {
  await settleWithin(client.quit(), ms);
  client.disconnect();
}

/**
 * The composition root: builds every part from validated config and injected infrastructure, in both modes.
 * Opens no socket and reads no environment; `start()` does the I/O and `stop()` undoes it in reverse.
 */
export function createGateway(config: Readonly<Config>, deps: GatewayDeps = {}): Gateway {
  const mode = gatewayMode(config);
  const clock = deps.clock ?? systemClock;
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
  const metrics = createMetrics({ defaultMetrics: true });
  const tracker = createUpstreamTracker();
  const tracing = createTracing({ ...config.tracing, exporter: deps.spanExporter });
  const traced = tracing.tracer ? { tracer: tracing.tracer, propagator: tracing.propagator } : undefined;
  const demo = mode === 'demo' ? createDemoMode({ config, clock, logger, emulator: deps.emulator }) : undefined;

  const flyToken = demo?.fly.token ?? config.fly.token!;
  const tenant = tokenFingerprint(flyToken);
  // Cache and rate budget share a connection of their own: it must fail fast (no offline queue, ~150 ms a command).
  const cacheRedis = config.redis.url
    ? createRedis(config.redis.url, {
        role: 'cache',
        cluster: config.redis.cluster,
        onError: () => undefined,
        overrides: { lazyConnect: true },
      })
    : undefined;
  // With Redis every instance spends one shared budget per (action, scope), so together they stay within Fly's.
  // Either way the budget reports each acquire, so queueing and shedding show as flygate_rate_budget_wait_seconds.
  const rateBudget = observeRateBudget(
    cacheRedis
      ? createRedisRateBudget({ redis: cacheRedis, clock: systemClock, tenant, fallback: createRateBudget({ clock: systemClock }) })
      : createRateBudget({ clock: systemClock }),
    (operation, outcome, waitedMs) => metrics.rateBudgetWaits.observe({ operation, outcome }, waitedMs / 1000),
  );

  // fly-token mode: what Fly said of callers' tokens, learnt from every call made with one.
  const tokenVerdicts = config.auth.mode === 'fly-token' ? createTokenVerdicts({ clock }) : undefined;
  const fly = createFlyClient({
    baseUrl: demo?.fly.baseUrl ?? config.fly.baseUrl,
    token: flyToken,
    dispatcher: deps.dispatcher ?? demo?.fly.dispatcher,
    deadlineMs: config.fly.deadlineMs,
    rateLimit: config.fly.rateLimit,
    rateBudget,
    userAgent: 'flygate/0.1',
    tracing: traced,
    onCall: (call) => {
      metrics.upstreamCalls.observe({ operation: call.operation, status: String(call.status) }, call.durationMs / 1000);
      tracker.record(call);
    },
    onCallerToken: tokenVerdicts ? (fingerprint, verdict) => tokenVerdicts.record(fingerprint, verdict) : undefined,
  });

  const redis = config.redis.url
    ? createRedis(config.redis.url, {
        role: 'bus',
        cluster: config.redis.cluster,
        onError: (message) => logger.warn({ err: message }, 'redis connection error'),
        // Building a gateway opens no socket: the first command (in start()) connects.
        overrides: { lazyConnect: true },
      })
    : undefined;
  const lockTtlMs = syncLockTtlMs(config.sync.intervalMs);
  const replay: ReplayBounds = { maxReplay: config.events.maxReplay, replays: createReplayGate(config.events.maxConcurrentReplays) };
  const stores = redis
    ? redisStores(redis, config.redis.cluster, logger, clock, lockTtlMs, replay)
    : memoryStores(clock, lockTtlMs, replay);
  const cacheStore: CacheStore = cacheRedis
    ? createRedisCacheStore({
        redis: cacheRedis,
        localEntries: config.cache.localEntries,
        logger,
        onError: () => metrics.cacheErrors.inc({ entity: 'store' }),
      })
    : createMemoryCacheStore({ maxEntries: config.cache.localEntries, now: () => clock.now() });
  // @live queries: told what each execution reads, and when any of it is invalidated (here or on another instance).
  const live = createLiveQueries({ clock, throttleMs: config.live.throttleMs });
  // What may be open at once (SSE streams, graphql-ws operations, live queries), per address and per process.
  const limits = createStreamLimits({
    sseMaxPerAddress: config.sse.maxStreamsPerAddress,
    maxPerProcess: config.streams.maxPerProcess,
    liveMaxPerAddress: config.live.maxPerAddress,
    liveMaxPerProcess: config.live.maxPerProcess,
    shedHeapRatio: config.streams.shedHeapRatio,
    onRefused: (kind, code) => metrics.streamsRefused.inc({ kind, code }),
  });
  const readCache = createReadCache({
    store: cacheStore,
    onTags: (tags) => live.record(tags),
    clock,
    enabled: config.cache.enabled,
    ttlMs: config.cache.ttlMs,
    staleMs: config.cache.staleMs,
    tracer: tracing.tracer,
    onRead: (entity, info, tags) => {
      metrics.cacheReads.inc({ entity, outcome: info.outcome });
      tracker.recordCache(info.outcome, clock.now() - info.fetchedAt, {
        tags,
        fetchedAt: info.fetchedAt,
        expiresAt: info.fetchedAt + config.cache.ttlMs[entity],
      });
    },
    onStoreError: (entity) => metrics.cacheErrors.inc({ entity }),
  });
  readCache.onInvalidate((tags) => live.invalidated(tags));
  const cachedFly = withReadCache(fly, readCache, tenant);
  // Whole answers, per instance, dropped by the same invalidations as the read cache (here and from other instances).
  const responseCache =
    config.cache.enabled && config.cache.responseMaxBytes > 0
      ? createResponseCache({ clock, maxBytes: config.cache.responseMaxBytes })
      : undefined;
  if (responseCache) cacheStore.onInvalidate((tags) => responseCache.invalidate(tags));
  // Redis came back after the cache lost it: invalidations may have been missed, so nothing derived from the
  // dropped copies is kept either, and live queries run again.
  cacheStore.onReset?.(() => {
    responseCache?.reset();
    live.invalidatedAll();
  });

  const ingest = createEventIngest({
    bus: stores.bus,
    dedupe: stores.dedupe,
    logger,
    // Before the event is published: a subscriber that refetches on it must not read what it replaces.
    onEvent: (event) => readCache.invalidate(machineChangeTags(event.app, event.machineId)),
    onPublished: (event) => metrics.eventsPublished.inc({ type: event.type, source: event.source }),
  });
  const webhookSecrets = demo?.webhookSecrets ?? config.webhooks.secrets;
  const receiver =
    webhookSecrets.length > 0
      ? createWebhookReceiver({ verifier: createWebhookVerifier({ secrets: webhookSecrets, clock }), ingest, logger })
      : undefined;
  const sync = syncEnabled(config)
    ? createSyncJob({
        fly,
        org: config.fly.org,
        ingest,
        lock: stores.syncLock,
        state: stores.syncState,
        intervalMs: config.sync.intervalMs,
        clock,
        logger,
      })
    : undefined;

  const probes: Record<string, Probe> = { fly: flyProbe(fly), ...(redis ? { redis: createRedisProbe({ redis }) } : {}) };
  const health = createHealthService({ mode, clock, probes, probeIntervalMs: config.health.probeIntervalMs, degradable: ['redis'] });
  // Deployments read Fly as it is (never the cache) and drop what their writes change from the cache.
  const deployService = createDeploymentService({
    fly: withWriteInvalidation(fly, readCache),
    store: stores.deployments,
    lockFor: stores.deployLock,
    clock,
    logger,
  });
  const examples = demo ? createDemoExamples({ emulator: demo.emulator, deployments: deployService }) : undefined;
  const deployments = examples?.deployments ?? deployService;
  // fly-token mode: each caller's reads and writes go to Fly with its own token, cached under its own tenant.
  const services = createServices({
    fly: cachedFly,
    // The readiness report and deployment records change without any read-cache invalidation, so an answer that
    // read them is never kept whole (a kept `health` said Redis was fine for a minute after it died).
    health: {
      check: () => {
        tracker.markUncacheable();
        return health.check();
      },
      watch: (intervalMs, signal) => health.watch(intervalMs, signal),
    },
    events: createEventsService({ bus: stores.bus, fly }),
    deployments: {
      ...deployments,
      get: (id) => {
        tracker.markUncacheable();
        return deployments.get(id);
      },
    },
    callerFly: ({ tenant: callerTenant, flyAuthorization, name }) => {
      const direct = withCallOptions(fly, { authorization: flyAuthorization, caller: name });
      return { direct, cached: withReadCache(direct, readCache, callerTenant), rollouts: withWriteInvalidation(direct, readCache) };
    },
    // Above the read cache: a miss fetches under the name of the caller that missed, hits spend nothing.
    namedFly: (cached, name) => withCallOptions(cached, { caller: name }),
    access: { clock, recheckMs: config.auth.recheckMs },
  });
  const auth = config.auth;
  const resolveCaller = createCallerResolver({ mode: auth.mode, apiKeys: auth.apiKeys, gatewayTenant: tenant });
  const callerRule = { ratePerSecond: auth.callerRateLimit, burst: auth.callerRateBurst };
  const callerLimiter: CallerLimiter | undefined =
    auth.mode === 'none' || auth.callerRateLimit === 0
      ? undefined
      : cacheRedis
        ? createRedisCallerLimiter({
            redis: cacheRedis,
            ...callerRule,
            fallback: createMemoryCallerLimiter({ ...callerRule, now: () => clock.now() }),
          })
        : createMemoryCallerLimiter({ ...callerRule, now: () => clock.now() });
  // One rule for every entrance (HTTP, SSE, graphql-ws, the whole-response cache).
  const admission = createAdmission({ mode: auth.mode, resolve: resolveCaller, limiter: callerLimiter, verdicts: tokenVerdicts });
  // Read once at creation: a missing or malformed manifest stops the gateway before it serves anything.
  const trustedDocuments = config.graphql.trustedDocuments ? loadTrustedDocuments(config.graphql.trustedDocuments) : undefined;
  const wsAccess = createWsAccess({ admission, trustedDocuments });

  const shutdown = new AbortController();
  // Every open subscription listens on this signal; thousands of listeners are expected, not a leak.
  setMaxListeners(0, shutdown.signal);
  const webhookOptions = { receiver, maxBodyBytes: config.webhooks.maxBodyBytes, metrics };
  const nodeWebhook = createNodeWebhookHandler(webhookOptions);
  const routes = [healthRoutes({ health, metrics }), webhookRoute(createWebhookHandler(webhookOptions)), graphiqlAssetRoute()];
  const yoga = createGatewayYoga({
    schema: buildSchema(),
    config,
    services,
    logger,
    metrics,
    tracker,
    routes,
    shutdownSignal: shutdown.signal,
    responseCacheTicket: responseCache ? (request) => front?.ticketOf(request) : undefined,
    tracing: traced,
    access: {
      admission,
      callerOfSocket: wsAccess.callerOf,
      trustedDocuments,
      alreadyCharged: (request) => front?.ticketOf(request) !== undefined,
    },
    live,
    exampleTargets: examples?.targets,
    limits,
  });
  // Declared after yoga, which only reads it per request (its fill plugin asks for a request's ticket).
  const front = responseCache
    ? createResponseCacheFront({
        cache: responseCache,
        clock,
        // The pipeline's own rule, for a read; anything it would refuse goes on to the pipeline, which answers it.
        admit: (authorization, address) => {
          const caller = admission.identify(authorization);
          if (typeof caller === 'string' || !allows(caller, 'read')) return undefined;
          const verdict = admission.charge(caller, address);
          return 'then' in verdict ? verdict.then((v) => (v.ok ? caller.tenant : undefined)) : verdict.ok ? caller.tenant : undefined;
        },
        exposeUpstreamCalls: config.graphql.exposeUpstreamCalls,
        onLookup: (outcome) => metrics.cacheReads.inc({ entity: 'response', outcome }),
        onHit: traced ? (header) => traceResponseCacheHit(traced, header) : undefined,
        yogaFetch: (request, serverContext) => Promise.resolve(yoga.fetch(request, serverContext)),
      })
    : undefined;
  const handleHttp = (req: IncomingMessage, res: ServerResponse): unknown => {
    // Webhooks are not GraphQL and come in bursts: straight to their handler (in process they go through yoga's route).
    if (req.url === WEBHOOK_PATH) return nodeWebhook(req, res);
    if (!admitSse(limits, req, res)) return undefined;
    return front ? front.handleNode(req, res, yoga.requestListener) : yoga.requestListener(req, res);
  };
  const handleFetch = (request: Request): Promise<Response> =>
    front ? front.handleFetch(request, async (forwarded) => yoga.fetch(forwarded)) : Promise.resolve(yoga.fetch(request));

  let server: Server | undefined;
  let ws: GraphQLWsHandle | undefined;

  async function listen(): Promise<{ url: string }> {
    await demo?.start();
    // The cache connection queues nothing while offline, so it connects before the first read needs it; a Redis
    // that is down only means the cache answers from memory and Fly until it returns.
    await cacheRedis?.connect().catch(() => undefined);
    // Listening for other instances' invalidations before serving, so no answer kept here can miss one.
    if (cacheStore.start) await settleWithin(cacheStore.start(), 2_000);
    await stores.bus.start();
    sync?.start();
    server = createServer(serverOptions(config.server), (req, res) => tracker.run(() => handleHttp(req, res)));
    server.keepAliveTimeout = config.server.keepAliveTimeoutMs;
    server.maxConnections = config.server.maxConnections;
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(config.server.port, config.server.host, () => resolve());
    });
    // Attached once listening: a WebSocket server on a server that failed to bind would report the bind error too.
    ws = attachGraphQLWs({
      server,
      yoga,
      tracker,
      logger,
      maxPayloadBytes: config.server.bodyLimitBytes,
      maxSubscriptionsPerSocket: config.ws.maxSubscriptionsPerSocket,
      maxSocketsPerAddress: config.ws.maxSocketsPerAddress,
      isOriginAllowed: (origin) => isOriginAllowed(origin, config.server),
      access: wsAccess,
      limits,
    });
    if (!config.redis.url && config.env === 'production') {
      logger.warn('no REDIS_URL in production: deployments are kept in this process only, and a crash forgets them (docs/DEPLOYMENTS.md)');
    }
    if (auth.mode === 'none' && config.env === 'production') {
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
    await sync?.stop();
    // Running deployments end INTERRUPTED with their leases released, while Fly and Redis are still reachable.
    await deployments.close();
    // Bounded: after Redis was frozen and thawed, the stream reader's loop has been seen to take its time to notice
    // that its connection is gone; the connection is closed either way.
    await settleWithin(stores.bus.close(), 2_000);
    await cacheStore.close();
    for (const client of [redis, cacheRedis]) {
      // QUIT on a never-connected client would connect just to say goodbye.
      if (client?.status === 'wait') client.disconnect();
      else if (client) await quitWithin(client, 1_000);
    }
    await yoga.dispose();
    await fly.close();
    await demo?.stop();
    // Last, so the spans of shutdown itself are exported too; bounded: a collector that is away must not hold stop().
    await settleWithin(tracing.shutdown(), 2_000);
  }

  return {
    mode,
    metrics,
    emulator: demo?.emulator,
    sync,
    subscriberCount: () => ws?.clientCount() ?? 0,
    fetch: (input, init) => tracker.run(async () => handleFetch(input instanceof Request ? input : new Request(input, init))),
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
