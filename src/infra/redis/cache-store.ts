import type { RedisOptions } from 'ioredis';
import { duplicateRedis, isCluster, type RedisConnection } from './client.js';
import { silentLogger, type Logger } from '../../lib/logger.js';
import type { CacheStore } from '../../services/ports.js';
import { createMemoryLru } from '../memory/cache-store.js';
import { redisScript, runScript } from './script.js';

/** Options for {@link createRedisCacheStore}. */
export interface RedisCacheStoreOptions {
  /** A fail-fast connection (role `cache`: ~150 ms command timeout, no offline queue). Not closed by the store. */
  redis: RedisConnection;
  /** A connection for the invalidation channel; closed by the store. @default a duplicate of `redis` */
  subscriber?: RedisConnection;
  /** @default 'flygate:cache:invalidate' */
  channel?: string;
  /** In-process first layer: entries kept at most. @default 10000 */
  localEntries?: number;
  /** Longest an entry lives in the first layer, whatever its TTL in Redis. @default 30000 */
  localTtlMs?: number;
  /**
   * While the store cannot hear other instances' invalidations (its channel is disconnected, or Redis fails), every
   * first-layer copy (and, through {@link CacheStore.onReset}, every answer derived from them) is dropped this often:
   * any of them may have been changed elsewhere unheard. Reads fail open to Fly and are kept locally again, so an
   * outage costs at most one Fly read per entry per interval. @default 5000
   */
  unheardTrustMs?: number;
  /** Tags of failed invalidations remembered to replay once Redis returns; the oldest go first beyond it. @default 10000 */
  maxPendingTags?: number;
  /** How often failed invalidations are retried while some are pending. @default 1000 */
  retryPendingMs?: number;
  now?: () => number;
  logger?: Logger;
  /** Counts Redis failures (the store fails open; the read cache treats them as misses). */
  onError?: () => void;
}

/** Prefix of the Redis sets that list the keys of one tag. */
const TAG_PREFIX = 'flygate:cache:tag:';

// Drops the entries of each tag in KEYS and the tags' own sets in one step, then (when ARGV[1] names a channel)
// announces ARGV[2] on it, so an invalidation costs one round trip. The entries share their tag's hash slot (tags and
// keys carry the same `{...}` hash tag) and the caller passes only tags of one slot, so this holds on a Redis Cluster.
const INVALIDATE_SCRIPT = `
local dropped = 0
for k = 1, #KEYS do
  local keys = redis.call('SMEMBERS', KEYS[k])
  for i = 1, #keys, 500 do
    redis.call('DEL', unpack(keys, i, math.min(i + 499, #keys)))
  end
  redis.call('DEL', KEYS[k])
  dropped = dropped + #keys
end
if ARGV[1] ~= '' then
  redis.call('PUBLISH', ARGV[1], ARGV[2])
end
return dropped
`;

const INVALIDATE = redisScript(INVALIDATE_SCRIPT);

/** Tags grouped by their hash tag (`{app}`), each group one slot. */
function bySlot(tags: readonly string[]): string[][] {
  const groups = new Map<string, string[]>();
  for (const tag of tags) {
    const slot = tag.startsWith('{') ? tag.slice(0, tag.indexOf('}') + 1) : tag;
    let group = groups.get(slot);
    if (!group) groups.set(slot, (group = []));
    group.push(TAG_PREFIX + tag);
  }
  return [...groups.values()];
}

/**
 * Settings of the connection that hears invalidations. ioredis's own resubscribe after a reconnect is off: it sends
 * SUBSCRIBE without handling its failure, so a connection closed right after `ready` (a restart, a shutdown) left a
 * rejected promise nobody handles. The store subscribes again itself on `ready`, and handles the answer.
 */
export const INVALIDATIONS_CONNECTION = {
  connectionName: 'flygate:cache-invalidations',
  enableOfflineQueue: true,
  commandTimeout: undefined,
  autoResubscribe: false,
} as const satisfies Partial<RedisOptions>;

/**
 * Two layers: an in-process LRU in front of a Redis shared by every instance. Invalidations delete in Redis and are
 * announced on a channel, so every instance drops its first-layer copies too. Redis failures reject (so the caller
 * can fail open) and are logged once per outage, not once per request; the first layer keeps answering meanwhile.
 */
export function createRedisCacheStore(options: RedisCacheStoreOptions): CacheStore {
  const { redis } = options;
  const logger = options.logger ?? silentLogger;
  const channel = options.channel ?? 'flygate:cache:invalidate';
  const localTtlMs = options.localTtlMs ?? 30_000;
  const unheardTrustMs = options.unheardTrustMs ?? 5_000;
  const maxPendingTags = options.maxPendingTags ?? 10_000;
  const local = createMemoryLru({ maxEntries: options.localEntries ?? 10_000, now: options.now });
  const subscriber = options.subscriber ?? duplicateRedis(redis, INVALIDATIONS_CONNECTION);
  let healthy = true;
  // Set while invalidations from other instances may be going unheard: the channel is down, or Redis fails (a frozen
  // Redis keeps the channel's socket open, so failing commands count as much as a closed channel). Real time, like
  // the connection's own timeouts: it measures an outage of another process, not the gateway's clock.
  let distrust: ReturnType<typeof setInterval> | undefined;
  const unheard = () => {
    if (distrust || closed) return;
    distrust = setInterval(reset, unheardTrustMs);
    distrust.unref?.();
  };
  const heard = () => {
    clearInterval(distrust);
    distrust = undefined;
  };
  const listeners = new Set<(tags: readonly string[]) => void>();
  const resetListeners = new Set<() => void>();
  // Invalidations Redis did not take (down or frozen): their entries may still be in Redis, and no other instance
  // heard them. They are replayed once Redis answers again, so no instance keeps what this one changed.
  const pendingTags = new Set<string>();
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  const dropLocal = (tags: readonly string[]) => {
    local.drop(tags);
    for (const listener of listeners) listener(tags);
  };
  const remoteListeners: Array<(tags: readonly string[]) => void> = [];
  // Redis hands a publisher its own messages too; these are the ones still to come back, so only other instances'
  // invalidations reach remote listeners. Bounded: echoes lost while the subscriber was away must not pile up. (Another
  // instance's message identical to one of ours still in flight is taken for the echo: both dropped the same tags.)
  const pendingEchoes = new Map<string, number>();

  const failed = (error: unknown): never => {
    options.onError?.();
    unheard();
    if (healthy) {
      healthy = false;
      logger.warn(
        { err: String((error as Error)?.message ?? error) },
        'redis cache unavailable: answering from memory and Fly until it returns',
      );
    }
    throw error;
  };
  const succeeded = () => {
    if (!healthy) {
      healthy = true;
      logger.info({}, 'redis cache reachable again');
    }
    if (subscriber.status === 'ready') heard();
    if (pendingTags.size > 0) schedulePending(0);
  };

  /** Drops every first-layer copy and tells the listeners: this instance may have missed invalidations. */
  const reset = () => {
    local.clear();
    for (const listener of resetListeners) listener();
  };

  const remember = (tags: readonly string[]) => {
    for (const tag of tags) {
      pendingTags.delete(tag);
      pendingTags.add(tag);
    }
    if (pendingTags.size > maxPendingTags) {
      logger.warn({ pending: pendingTags.size }, 'redis cache: too many failed invalidations to replay; the oldest are dropped');
      for (const tag of pendingTags) {
        if (pendingTags.size <= maxPendingTags) break;
        pendingTags.delete(tag);
      }
    }
    schedulePending(options.retryPendingMs ?? 1_000);
  };
  function schedulePending(delayMs: number): void {
    if (retryTimer || closed) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      const tags = [...pendingTags];
      pendingTags.clear();
      if (tags.length === 0) return;
      // A replay that fails again puts its tags back (remember) and waits for the next round.
      void invalidateInRedis(tags)
        .then(succeeded, (error: unknown) => {
          remember(tags);
          failed(error);
        })
        .catch(() => undefined);
    }, delayMs);
    retryTimer.unref?.();
  }

  /**
   * Deletes the entries of `tags` in Redis and announces them to every instance: one round trip, or one per hash slot
   * on a cluster (where one script may only touch keys of one slot).
   */
  async function invalidateInRedis(tags: readonly string[]): Promise<void> {
    const message = JSON.stringify(tags);
    const groups = cluster ? bySlot(tags) : [tags.map((tag) => TAG_PREFIX + tag)];
    const last = groups.pop() ?? [];
    // Every other slot first, then the last one together with the announcement: another instance hearing it
    // finds nothing left in Redis to read back.
    await Promise.all(groups.map((keys) => runScript(redis, INVALIDATE, keys, ['', ''])));
    if (pendingEchoes.size >= 1_000) pendingEchoes.clear();
    pendingEchoes.set(message, (pendingEchoes.get(message) ?? 0) + 1);
    await runScript(redis, INVALIDATE, last, [channel, message]);
  }

  // Invalidations asked for during one turn of the event loop go to Redis together, after it: under a burst of
  // webhooks (each one invalidating its machine and app) that is one script and one announcement per turn instead of
  // one per webhook. Every caller's tags are in a batch that starts after its call, so none returns before its own
  // entries are gone.
  const cluster = isCluster(redis);
  let batch: { tags: Set<string>; flushed: Promise<void> } | undefined;
  const invalidateBatched = (tags: readonly string[]): Promise<void> => {
    if (!batch) {
      const next = { tags: new Set<string>(), flushed: Promise.resolve() };
      next.flushed = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        if (batch === next) batch = undefined;
        return invalidateInRedis([...next.tags]);
      });
      batch = next;
    }
    for (const tag of tags) batch.tags.add(tag);
    return batch.flushed;
  };

  subscriber.on('message', (from: string, message: string) => {
    if (from !== channel) return;
    try {
      const tags = JSON.parse(message) as unknown;
      if (!Array.isArray(tags)) return;
      const named = tags.filter((t): t is string => typeof t === 'string');
      dropLocal(named);
      const echoes = pendingEchoes.get(message) ?? 0;
      if (echoes > 0) {
        if (echoes === 1) pendingEchoes.delete(message);
        else pendingEchoes.set(message, echoes - 1);
        return;
      }
      for (const listener of remoteListeners) listener(named);
    } catch {
      // A foreign message on our channel is ignored, never fatal.
    }
  });
  subscriber.on('error', () => undefined);
  // The channel's connection closed: nothing other instances announce reaches this one until it is back.
  subscriber.on('close', () => unheard());
  // Back: whatever was announced meanwhile is lost, and a Redis that restarted is empty while this instance still
  // holds copies of what it had. Dropping every copy at once costs one read from Redis or Fly per entry; keeping them
  // served values another instance had changed until they expired. The copies go once our SUBSCRIBE is answered, so
  // announcements are heard again before they go (none falls in between).
  subscriber.on('ready', () => {
    subscriber.subscribe(channel).then(
      () => {
        heard();
        reset();
      },
      () => undefined,
    );
  });
  // Subscribed on first use, not at creation: building a gateway opens no connection before start().
  let subscribed: Promise<unknown> | undefined;
  const listen = () => {
    subscribed ??= subscriber.subscribe(channel).catch(() => undefined);
  };

  return {
    async get(key) {
      listen();
      const cached = local.get(key);
      if (cached !== undefined) return cached;
      let value: string | null;
      try {
        value = await redis.get(key);
      } catch (error) {
        return failed(error);
      }
      succeeded();
      return value ?? undefined;
    },
    async set(key, value, ttlMs, tags) {
      listen();
      local.set(key, value, Math.min(ttlMs, localTtlMs), tags);
      const multi = redis.multi().set(key, value, 'PX', ttlMs);
      for (const tag of tags) multi.sadd(TAG_PREFIX + tag, key).pexpire(TAG_PREFIX + tag, ttlMs);
      try {
        await multi.exec();
      } catch (error) {
        return failed(error);
      }
      succeeded();
    },
    async claimFill(key, ms) {
      try {
        return (await redis.set(`${key}:fill`, '1', 'PX', ms, 'NX')) === 'OK';
      } catch (error) {
        return failed(error);
      }
    },
    async releaseFill(key) {
      await redis.del(`${key}:fill`).catch(() => undefined);
    },
    async invalidate(tags) {
      listen();
      dropLocal(tags);
      try {
        await invalidateBatched(tags);
      } catch (error) {
        remember(tags);
        return failed(error);
      }
      succeeded();
    },
    async start() {
      listen();
      await subscribed;
    },
    onInvalidate(listener) {
      // Not subscribing yet: nothing is cached here before the first read, and that read subscribes.
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onReset(listener) {
      resetListeners.add(listener);
      return () => resetListeners.delete(listener);
    },
    onRemoteInvalidate(listener) {
      // Not subscribing here (that would connect at creation): the first get, set or invalidate does.
      remoteListeners.push(listener);
    },
    async close() {
      // Not waiting for the subscription: while Redis is away it may never settle, and closing must not hang on it.
      closed = true;
      clearTimeout(retryTimer);
      heard();
      subscriber.disconnect();
      local.clear();
    },
  };
}
