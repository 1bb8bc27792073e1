import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Config } from '../config/schema.js';
import type { FlyClient } from '../flyio/types.js';
import type { Clock } from '../infra/clock.js';
import { createMemoryLock, createRedisLock } from '../infra/lock.js';
import type { Logger } from '../infra/logger.js';
import type { Metrics } from '../infra/metrics.js';
import { createRedis } from '../infra/redis.js';
import { createMemoryDedupeStore, createRedisDedupeStore } from '../services/events/dedupe-store.js';
import { createEventIngest, type EventIngest } from '../services/events/event-ingest.js';
import { createEventsService, type EventsService } from '../services/events/events-service.js';
import { createMemoryEventBus } from '../services/events/memory-event-bus.js';
import { createRedisEventBus } from '../services/events/redis-event-bus.js';
import type { EventBus } from '../services/events/types.js';
import type { Probe } from '../services/health.js';
import { createSyncJob, type SyncJob } from '../services/sync/sync-job.js';
import { createMemorySyncStateStore, createRedisSyncStateStore } from '../services/sync/sync-state-store.js';
import { createWebhookHandler } from '../services/webhooks/handle-webhook.js';
import { createWebhookVerifier } from '../services/webhooks/verify.js';

/** The event side of one gateway: bus, ingest, webhook endpoint, sync job, and their Redis connection. */
export interface EventWiring {
  bus: EventBus;
  ingest: EventIngest;
  events: EventsService;
  /** `POST /webhooks/fly`; absent when no webhook secret is configured (outside demo mode). */
  webhook?: (request: Request) => Promise<Response>;
  /** The secrets the endpoint accepts (demo mode makes one up for its own relay). */
  webhookSecrets: string[];
  sync?: SyncJob;
  /** Readiness probes this part adds (`redis`). */
  probes: Record<string, Probe>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Options for {@link createEventWiring}. */
export interface EventWiringOptions {
  config: Readonly<Config>;
  mode: 'demo' | 'live';
  fly: FlyClient;
  logger: Logger;
  metrics: Metrics;
  clock: Clock;
}

/**
 * Chooses in-memory or Redis implementations and wires both event sources (webhooks and the sync job) into the one
 * ingest call. With `REDIS_URL`, events, de-duplication, the sync lock and the sync cursor are shared by every
 * instance; without it they live in this process.
 */
export function createEventWiring({ config, mode, fly, logger, metrics, clock }: EventWiringOptions): EventWiring {
  const redisUrl = config.redis.url;
  const redis: Redis | undefined = redisUrl
    ? createRedis(redisUrl, {
        role: 'bus',
        onError: (message) => logger.warn({ err: message }, 'redis connection error'),
        // Building a gateway opens no socket: the first command (in start()) connects.
        overrides: { lazyConnect: true },
      })
    : undefined;

  const bus = redis ? createRedisEventBus({ redis, logger }) : createMemoryEventBus();
  // The in-process store expires ids on the gateway's clock, like every other timed part (Redis keeps its own time).
  const dedupe = redis ? createRedisDedupeStore({ redis }) : createMemoryDedupeStore({ now: () => clock.now() });
  const rawIngest = createEventIngest({ bus, dedupe, logger });
  const ingest: EventIngest = {
    async ingest(event) {
      const outcome = await rawIngest.ingest(event);
      if (outcome === 'published') metrics.eventsPublished.inc({ type: event.type, source: event.source });
      return outcome;
    },
  };

  // Demo mode has no relay to share a secret with, so it makes one for the embedded emulator's relay.
  const webhookSecrets =
    config.webhooks.secrets.length > 0 || mode === 'live' ? [...config.webhooks.secrets] : [`whsec_${randomBytes(32).toString('base64')}`];
  const webhook =
    webhookSecrets.length > 0
      ? createWebhookHandler({
          verifier: createWebhookVerifier({ secrets: webhookSecrets, clock }),
          ingest,
          maxBodyBytes: config.webhooks.maxBodyBytes,
          logger,
        })
      : undefined;

  const syncEnabled = config.sync.enabled === 'auto' ? mode === 'live' : config.sync.enabled === 'true';
  const lockTtlMs = Math.max(3 * config.sync.intervalMs, 5_000);
  const sync = syncEnabled
    ? createSyncJob({
        fly,
        org: config.fly.org,
        ingest,
        lock: redis ? createRedisLock({ redis, key: 'flygate:sync:lock', ttlMs: lockTtlMs, clock }) : createMemoryLock({ ttlMs: lockTtlMs, clock }),
        state: redis ? createRedisSyncStateStore({ redis }) : createMemorySyncStateStore(),
        intervalMs: config.sync.intervalMs,
        clock,
        logger,
      })
    : undefined;

  return {
    bus,
    ingest,
    events: createEventsService({ bus, fly }),
    webhook,
    webhookSecrets,
    sync,
    probes: redis ? { redis: async () => redis.ping() } : {},
    async start() {
      await bus.start();
      sync?.start();
    },
    async stop() {
      await sync?.stop();
      await bus.close();
      // QUIT on a never-connected client would connect just to say goodbye.
      if (redis?.status === 'wait') redis.disconnect();
      else if (redis) await redis.quit().catch(() => redis.disconnect());
    },
  };
}
