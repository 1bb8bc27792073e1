/**
 * What the gateway does, whoever asks: the Fly client, the read cache and whole answers in front of it, live queries
 * and stream limits, event ingest (webhooks, the sync job), readiness, deployments, and the services the GraphQL
 * layer calls. Built over the backends (memory or Redis); opens nothing.
 */
import type { Dispatcher } from 'undici';
import { createTokenVerdicts, type TokenVerdicts } from '../api/auth/token-verdicts.js';
import { createLiveQueries, type LiveQueries } from '../api/live/live-queries.js';
import { createStreamLimits, type StreamLimits } from '../api/stream-limits.js';
import type { OperationTracing } from '../api/plugins/tracing.js';
import { gatewayMode, syncEnabled } from '../config/derived.js';
import type { Config } from '../config/schema.js';
import type { DemoMode } from '../demo/demo.js';
import { createDemoExamples, type DemoExamples } from '../demo/examples.js';
import { createFlyClient } from '../flyio/client.js';
import type { FlyClient } from '../flyio/types.js';
import { withCallOptions } from '../flyio/with-authorization.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import type { Metrics } from '../lib/metrics.js';
import type { Tracing } from '../lib/tracing.js';
import { eventTags, withReadCache, withWriteInvalidation } from '../services/cache/cached-fly.js';
import { createReadCache } from '../services/cache/read-cache.js';
import { createResponseCache, type ResponseCache } from '../services/cache/response-cache.js';
import { createDeploymentService, type DeploymentService } from '../services/deploy/deployment-service.js';
import { createEventIngest } from '../services/events/event-ingest.js';
import { createEventsService } from '../services/events/events-service.js';
import { createHealthService, flyProbe, type HealthService, type Probe } from '../services/health.js';
import { createServices, type Services } from '../services/services.js';
import { createLogStreams, type LogStreams } from '../services/logs/log-streams.js';
import { createNatsLogSource } from '../infra/nats/log-source.js';
import { createSyncJob, type SyncJob } from '../services/sync/sync-job.js';
import { createOrgsResourceWatcher, syncedOrgs } from '../services/sync/multi-org.js';
import type { UpstreamTracker } from '../services/upstream-tracker.js';
import { createWebhookReceiver, type WebhookReceiver } from '../services/webhooks/receive-webhook.js';
import { createWebhookVerifier } from '../services/webhooks/verify.js';
import type { Backends } from './backends.js';

/** The process-wide plumbing every part uses. */
export interface Platform {
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  tracker: UpstreamTracker;
  tracing: Tracing;
  /** Spans per operation and per Fly call, when tracing is on. */
  traced?: OperationTracing;
}

/** What {@link createCore} builds. */
export interface Core {
  fly: FlyClient;
  services: Services;
  health: HealthService;
  deployments: DeploymentService;
  live: LiveQueries;
  limits: StreamLimits;
  responseCache?: ResponseCache;
  receiver?: WebhookReceiver;
  sync?: SyncJob;
  tokenVerdicts?: TokenVerdicts;
  examples?: DemoExamples;
  /** Live app logs of this instance (one upstream poll loop per stream across every instance). */
  logs: LogStreams;
}

/** Builds the core over the backends; `demo` in demo mode (the embedded emulator stands in for Fly). */
export function createCore(
  config: Readonly<Config>,
  platform: Platform,
  backends: Backends,
  deps: { demo?: DemoMode; dispatcher?: Dispatcher; flyToken: string; tenant: string },
): Core {
  const { clock, logger, metrics, tracker, tracing, traced } = platform;
  const { demo, tenant } = deps;
  const { stores, cacheStore } = backends;

  // fly-token mode: what Fly said of callers' tokens, learnt from every call made with one.
  const tokenVerdicts = config.auth.mode === 'fly-token' ? createTokenVerdicts({ clock }) : undefined;
  const fly = createFlyClient({
    baseUrl: demo?.fly.baseUrl ?? config.fly.baseUrl,
    // Demo mode: the embedded emulator serves the platform endpoints (metrics, releases) on its own URL too.
    platformBaseUrl: demo?.fly.baseUrl ?? config.fly.platformBaseUrl,
    token: deps.flyToken,
    dispatcher: deps.dispatcher ?? demo?.fly.dispatcher,
    deadlineMs: config.fly.deadlineMs,
    rateLimit: config.fly.rateLimit,
    rateBudget: backends.rateBudget,
    userAgent: 'flygate/0.1',
    tracing: traced,
    onCall: (call) => {
      metrics.upstreamCalls.observe({ operation: call.operation, status: String(call.status) }, call.durationMs / 1000);
      tracker.record(call);
    },
    onCallerToken: tokenVerdicts ? (fingerprint, verdict) => tokenVerdicts.record(fingerprint, verdict) : undefined,
  });

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
    ttlMs: { ...config.cache.ttlMs, metrics: config.metrics.cacheMs },
    staleMs: config.cache.staleMs,
    tracer: tracing.tracer,
    onRead: (entity, info, tags) => {
      metrics.cacheReads.inc({ entity, outcome: info.outcome });
      tracker.recordCache(info.outcome, clock.now() - info.fetchedAt, {
        tags,
        fetchedAt: info.fetchedAt,
        expiresAt: info.fetchedAt + (entity === 'metrics' ? config.metrics.cacheMs : config.cache.ttlMs[entity]),
      });
    },
    onStoreError: (entity) => metrics.cacheErrors.inc({ entity }),
  });
  readCache.onInvalidate((tags) => live.invalidated(tags));
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
    onEvent: (event) => readCache.invalidate(eventTags(event)),
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
        orgs: syncedOrgs(config.fly),
        ingest,
        lock: stores.syncLock,
        state: stores.syncState,
        resources: createOrgsResourceWatcher(fly, syncedOrgs(config.fly)),
        intervalMs: config.sync.intervalMs,
        clock,
        logger,
      })
    : undefined;

  const probes: Record<string, Probe> = { fly: flyProbe(fly), ...(backends.redisProbe ? { redis: backends.redisProbe } : {}) };
  const health = createHealthService({
    mode: gatewayMode(config),
    clock,
    probes,
    probeIntervalMs: config.health.probeIntervalMs,
    degradable: ['redis'],
  });
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
  const logs = createLogStreams({
    bus: stores.logs.bus,
    cursors: stores.logs.cursors,
    lockFor: stores.logs.lockFor,
    lockTtlMs: config.logs.lockTtlMs,
    clock,
    logger,
    // On Fly's private network: the gateway's own streams follow Fly's NATS log stream, signed in with its token.
    live: config.logs.natsUrl
      ? {
          tenant,
          source: createNatsLogSource({ url: config.logs.natsUrl, user: config.fly.org, password: deps.flyToken, logger }),
        }
      : undefined,
  });
  // fly-token mode: each caller's reads and writes go to Fly with its own token, cached under its own tenant.
  const services = createServices({
    logs: { streams: logs, tenant },
    clock,
    fly: withReadCache(fly, readCache, tenant),
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
      list: (app, limit) => {
        tracker.markUncacheable();
        return deployments.list(app, limit);
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
  return { fly, services, health, deployments, live, limits, responseCache, receiver, sync, tokenVerdicts, examples, logs };
}
