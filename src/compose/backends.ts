/**
 * Every choice between in-process state and Redis, made in one place: the event bus, de-duplication, sync state,
 * locks, deployments, the read cache's store, Fly's rate budget and callers' allowances. Without `REDIS_URL`
 * everything lives in this process; with it, every instance shares one Redis (or a Redis Cluster).
 */
import { createRateBudget, GATEWAY_QUEUE_MARGIN_MS, observeRateBudget, type RateBudget } from '../flyio/rate-limit.js';
import { systemClock, type Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import type { Metrics } from '../lib/metrics.js';
import { createMemoryCacheStore } from '../infra/memory/cache-store.js';
import { createMemoryCallerLimiter } from '../infra/memory/caller-limiter.js';
import { createMemoryDedupeStore } from '../infra/memory/dedupe-store.js';
import { createMemoryDeploymentStore } from '../infra/memory/deployment-store.js';
import { createMemoryEventBus } from '../infra/memory/event-bus.js';
import { createMemoryLock, type MemoryLockRegistry } from '../infra/memory/lock.js';
import { createMemoryLogCursorStore } from '../infra/memory/log-cursor-store.js';
import { createRedisLogCursorStore } from '../infra/redis/log-cursor-store.js';
import type { LogCursorStore, LogLockFactory } from '../services/logs/types.js';
import { createMemorySyncStateStore } from '../infra/memory/sync-state-store.js';
import { createReplayGate, type ReplayGate } from '../infra/replay-gate.js';
import { createRedis, type RedisConnection } from '../infra/redis/client.js';
import { createRedisCacheStore } from '../infra/redis/cache-store.js';
import { createRedisCallerLimiter } from '../infra/redis/caller-limiter.js';
import { createRedisDedupeStore } from '../infra/redis/dedupe-store.js';
import { createRedisDeploymentStore } from '../infra/redis/deployment-store.js';
import { createRedisEventBus } from '../infra/redis/event-bus.js';
import { createRedisLock } from '../infra/redis/lock.js';
import { createRedisProbe } from '../infra/redis/probe.js';
import { createRedisRateBudget } from '../infra/redis/rate-budget.js';
import { createRedisSyncStateStore } from '../infra/redis/sync-state-store.js';
import type { Config } from '../config/schema.js';
import type { Probe } from '../services/health.js';
import type { CacheStore, CallerLimiter, DedupeStore, DeploymentStore, EventBus, Lock, SyncStateStore } from '../services/ports.js';
import { syncLockTtlMs } from '../services/sync/sync-job.js';

/** The shared-state parts, in memory or in Redis. */
export interface Stores {
  bus: EventBus;
  dedupe: DedupeStore;
  syncState: SyncStateStore;
  syncLock: Lock;
  deployments: DeploymentStore;
  /** The lock that keeps one deployment per app. */
  deployLock(app: string, ttlMs: number): Lock;
  /** Live logs: their own bus (lines, not events), the poll loops' cursors and their locks. */
  logs: { bus: EventBus; cursors: LogCursorStore; lockFor: LogLockFactory };
}

/** What {@link createBackends} builds. */
export interface Backends {
  stores: Stores;
  cacheStore: CacheStore;
  /** Fly's rate budget, reported to `flygate_rate_budget_wait_seconds`. */
  rateBudget: RateBudget;
  /** Per-caller request limits; absent when access is open or the limit is off. */
  callerLimiter?: CallerLimiter;
  /** The readiness probe of Redis, when there is one. */
  redisProbe?: Probe;
  /** Connects what must be connected before serving (the cache's own connection, invalidations, the bus reader). */
  start(): Promise<void>;
  /** Stops the bus and the cache store, then closes the Redis connections (each step bounded). */
  close(): Promise<void>;
}

/** What the backends need from the rest of the gateway. */
export interface BackendDeps {
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  /** Fingerprint of the gateway's own Fly token: the partition of its rate budget. */
  tenant: string;
}

/**
 * On a Redis Cluster the stream and its epoch key must share a slot (one Lua script and one MULTI touch both), so the
 * stream gets a hash tag there. One Redis keeps the original name: upgrading instances keep reading the same stream.
 */
export const CLUSTER_EVENT_STREAM = '{flygate}:events';
/** The live logs' stream on a Redis Cluster (lines of every followed app, `flygate:logs` on one Redis). */
export const CLUSTER_LOG_STREAM = '{flygate}:logs';

/** How far and how many at once the event bus replays for resuming subscriptions (EVENTS_MAX_REPLAY, ...). */
interface ReplayBounds {
  maxReplay: number;
  replays: ReplayGate;
}

function memoryStores(clock: Clock, lockTtlMs: number, replay: ReplayBounds, logsMaxBuffered: number, historyPerApp: number): Stores {
  const deployLocks: MemoryLockRegistry = new Map();
  const logLocks: MemoryLockRegistry = new Map();
  return {
    logs: {
      bus: createMemoryEventBus({ ...replay, maxBuffered: logsMaxBuffered }),
      cursors: createMemoryLogCursorStore(clock),
      lockFor: (key, ttlMs) => createMemoryLock({ key, ttlMs, clock, registry: logLocks }),
    },
    deployments: createMemoryDeploymentStore(undefined, { historyPerApp }),
    deployLock: (app, ttlMs) => createMemoryLock({ key: app, ttlMs, clock, registry: deployLocks }),
    bus: createMemoryEventBus(replay),
    // The in-process store expires ids on the gateway's clock, like every other timed part.
    dedupe: createMemoryDedupeStore({ now: () => clock.now() }),
    syncState: createMemorySyncStateStore(),
    syncLock: createMemoryLock({ ttlMs: lockTtlMs, clock }),
  };
}

function redisStores(
  redis: RedisConnection,
  cluster: boolean,
  deps: BackendDeps,
  lockTtlMs: number,
  replay: ReplayBounds,
  logsMaxBuffered: number,
  historyPerApp: number,
): Stores {
  const { clock, logger } = deps;
  return {
    logs: {
      bus: createRedisEventBus({
        redis,
        logger,
        ...replay,
        maxBuffered: logsMaxBuffered,
        stream: cluster ? CLUSTER_LOG_STREAM : 'flygate:logs',
      }),
      cursors: createRedisLogCursorStore({ redis }),
      lockFor: (key, ttlMs) => createRedisLock({ redis, key, ttlMs, clock }),
    },
    deployments: createRedisDeploymentStore({ redis, historyPerApp }),
    deployLock: (app, ttlMs) => createRedisLock({ redis, key: `flygate:deploy:lock:${app}`, ttlMs, clock }),
    bus: createRedisEventBus({ redis, logger, ...replay, ...(cluster ? { stream: CLUSTER_EVENT_STREAM } : {}) }),
    dedupe: createRedisDedupeStore({ redis }),
    syncState: createRedisSyncStateStore({ redis }),
    syncLock: createRedisLock({ redis, key: 'flygate:sync:lock', ttlMs: lockTtlMs, clock }),
  };
}

/** Waits for `work`, but not longer than `ms`; its failure is ignored (used where start or shutdown must go on). */
export async function settleWithin(work: Promise<unknown>, ms: number): Promise<void> {
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

/** Builds every part that is in memory or in Redis. Opens no connection: `start()` does. */
export function createBackends(config: Readonly<Config>, deps: BackendDeps): Backends {
  const { clock, logger, metrics, tenant } = deps;
  const url = config.redis.url;
  const cluster = config.redis.cluster;
  // Cache, rate budget and allowances share a connection of their own: it must fail fast (no offline queue, ~150 ms
  // a command). Building a gateway opens no socket: the first command (in start()) connects.
  const cacheRedis = url
    ? createRedis(url, { role: 'cache', cluster, onError: () => undefined, overrides: { lazyConnect: true } })
    : undefined;
  const redis = url
    ? createRedis(url, {
        role: 'bus',
        cluster,
        onError: (message) => logger.warn({ err: message }, 'redis connection error'),
        overrides: { lazyConnect: true },
      })
    : undefined;

  // Fly's rate limits are real time, so its budget runs on the system clock even where tests inject a manual one:
  // a budget on a clock that only moves when a test says so would never refill. With Redis every instance spends one
  // shared budget per (action, scope), so together they stay within Fly's.
  const rateBudget = observeRateBudget(
    cacheRedis
      ? createRedisRateBudget({
          redis: cacheRedis,
          clock: systemClock,
          tenant,
          queueMarginMs: GATEWAY_QUEUE_MARGIN_MS,
          fallback: createRateBudget({ clock: systemClock, queueMarginMs: GATEWAY_QUEUE_MARGIN_MS }),
        })
      : createRateBudget({ clock: systemClock, queueMarginMs: GATEWAY_QUEUE_MARGIN_MS }),
    (operation, outcome, waitedMs) => metrics.rateBudgetWaits.observe({ operation, outcome }, waitedMs / 1000),
  );

  const replay: ReplayBounds = { maxReplay: config.events.maxReplay, replays: createReplayGate(config.events.maxConcurrentReplays) };
  const lockTtlMs = syncLockTtlMs(config.sync.intervalMs);
  const logsMaxBuffered = config.logs.maxBuffered;
  const historyPerApp = config.deployments.historyPerApp;
  const stores = redis
    ? redisStores(redis, cluster, deps, lockTtlMs, replay, logsMaxBuffered, historyPerApp)
    : memoryStores(clock, lockTtlMs, replay, logsMaxBuffered, historyPerApp);
  const cacheStore: CacheStore = cacheRedis
    ? createRedisCacheStore({
        redis: cacheRedis,
        localEntries: config.cache.localEntries,
        logger,
        onError: () => metrics.cacheErrors.inc({ entity: 'store' }),
      })
    : createMemoryCacheStore({ maxEntries: config.cache.localEntries, now: () => clock.now() });

  const auth = config.auth;
  const rule = { ratePerSecond: auth.callerRateLimit, burst: auth.callerRateBurst };
  const callerLimiter: CallerLimiter | undefined =
    auth.mode === 'none' || auth.callerRateLimit === 0
      ? undefined
      : cacheRedis
        ? createRedisCallerLimiter({ redis: cacheRedis, ...rule, fallback: createMemoryCallerLimiter({ ...rule, now: () => clock.now() }) })
        : createMemoryCallerLimiter({ ...rule, now: () => clock.now() });

  return {
    stores,
    cacheStore,
    rateBudget,
    callerLimiter,
    redisProbe: redis ? createRedisProbe({ redis }) : undefined,
    async start() {
      // The cache connection queues nothing while offline, so it connects before the first read needs it; a Redis
      // that is down only means the cache answers from memory and Fly until it returns.
      await cacheRedis?.connect().catch(() => undefined);
      // Listening for other instances' invalidations before serving, so no answer kept here can miss one.
      if (cacheStore.start) await settleWithin(cacheStore.start(), 2_000);
      await stores.bus.start();
      await stores.logs.bus.start();
    },
    async close() {
      // Bounded: after Redis was frozen and thawed, the stream reader's loop has been seen to take its time to notice
      // that its connection is gone; the connection is closed either way.
      await settleWithin(stores.bus.close(), 2_000);
      await settleWithin(stores.logs.bus.close(), 2_000);
      await cacheStore.close();
      for (const client of [redis, cacheRedis]) {
        // QUIT on a never-connected client would connect just to say goodbye.
        if (client?.status === 'wait') client.disconnect();
        else if (client) await quitWithin(client, 1_000);
      }
    },
  };
}
