import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';

/** One Redis, or a Redis Cluster: every adapter uses only the commands both have. */
export type RedisConnection = Redis | Cluster;

/**
 * What a connection is for. Each role gets settings for how it must behave when Redis is slow or gone:
 * - `cache`: fail open fast. A cache miss is cheap; a stalled request is not.
 * - `bus`: publishing, dedupe, locks; fail within about two seconds so a webhook can answer 503.
 * - `subscriber`: a dedicated connection for blocking `XREAD`; no command timeout (the block is the point), but a
 *   client-side guard on blocking commands so a frozen Redis is noticed.
 */
export type RedisRole = 'cache' | 'bus' | 'subscriber';

/** Options for {@link createRedis}. */
export interface CreateRedisOptions {
  /** @default 'cache' */
  role?: RedisRole;
  /** Connection name shown in `CLIENT LIST` (e.g. `flygate:bus`). @default `flygate:<role>` */
  connectionName?: string;
  /** Receives connection errors (already redacted). Without it errors are swallowed, never thrown. */
  onError?: (message: string) => void;
  /** Extra ioredis options, applied last (on a cluster: to every node connection, `enableOfflineQueue` to the cluster). */
  overrides?: Partial<RedisOptions>;
  /**
   * Treat `url` as a seed node of a Redis Cluster (ioredis `Cluster`): the other masters are discovered from it, and
   * the URL's user, password and TLS apply to every node. @default false
   */
  cluster?: boolean;
}

/** Reconnect delay: grows with attempts, capped, with jitter so many instances do not reconnect in lockstep. */
function reconnectDelay(attempt: number): number {
  const cap = Math.min(2_000, 50 * 2 ** Math.min(attempt, 10));
  return Math.round(cap / 2 + Math.random() * (cap / 2));
}

/** The ioredis settings each role uses; also what a bus applies when it duplicates a connection for reading. */
export function redisRoleOptions(role: RedisRole): Partial<RedisOptions> {
  const common: Partial<RedisOptions> = {
    retryStrategy: reconnectDelay,
    connectTimeout: 2_000,
    enableAutoPipelining: false,
  };
  switch (role) {
    case 'cache':
      // ioredis defaults (offline queue, 20 retries, no timeout) turn a dead Redis into 10 s stalls.
      return { ...common, enableOfflineQueue: false, commandTimeout: 150, maxRetriesPerRequest: 1 };
    case 'bus':
      // Queue while (re)connecting so a publish right after start-up waits for the connection; the command
      // timeout (which also runs while queued) and one retry bound how long a publish can hang.
      return { ...common, enableOfflineQueue: true, commandTimeout: 2_000, maxRetriesPerRequest: 1 };
    case 'subscriber':
      return {
        ...common,
        enableOfflineQueue: true,
        commandTimeout: undefined,
        maxRetriesPerRequest: 1,
        blockingTimeout: 30_000,
        blockingTimeoutGrace: 2_000,
      };
  }
}

/** Replaces the password (and a user name) in a Redis URL, for logs and errors. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    // A lone user part can be a password too (`redis://secret@host`), so both are masked.
    if (parsed.password) parsed.password = '***';
    if (parsed.username) parsed.username = '***';
    return parsed.toString();
  } catch {
    return 'redis://(unparseable url)';
  }
}

/** The parts of a Redis URL every node of a cluster shares: credentials and TLS. */
function sharedNodeOptions(url: string): Partial<RedisOptions> {
  const parsed = new URL(url);
  return {
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

/**
 * ioredis `Cluster` options from per-node settings: the offline queue and lazy connect belong to the cluster (node
 * connections always queue, and never reconnect on their own: the cluster refreshes its slot map instead).
 */
function clusterOptions(node: Partial<RedisOptions>): ClusterOptions {
  const { enableOfflineQueue, lazyConnect, enableAutoPipelining, retryStrategy, ...redisOptions } = node;
  return {
    ...(enableOfflineQueue !== undefined ? { enableOfflineQueue } : {}),
    ...(lazyConnect !== undefined ? { lazyConnect } : {}),
    ...(enableAutoPipelining !== undefined ? { enableAutoPipelining } : {}),
    ...(retryStrategy ? { clusterRetryStrategy: (times: number) => retryStrategy(times) } : {}),
    redisOptions,
  };
}

/**
 * What a cluster does on top of its nodes' settings when a node is gone: ioredis retries a command whose connection
 * closed on another node (which redirects it back) every `retryDelayOnFailover` ms, up to `maxRedirections` times.
 * The cache fails open, so it gives up after a few short tries; the others keep ioredis's defaults (about 1.6 s,
 * inside the bus's 2 s budget), long enough to ride out a replica's promotion.
 */
export function clusterRoleOptions(role: RedisRole): Partial<ClusterOptions> {
  return role === 'cache' ? { maxRedirections: 3, retryDelayOnFailover: 50, retryDelayOnClusterDown: 50 } : {};
}

/**
 * Creates an ioredis client for `url` with the settings of `role`. Connects in the background (no await needed);
 * errors go to `onError` with the URL's credentials masked and never crash the process. With `cluster: true` it is
 * an ioredis `Cluster` seeded by `url`.
 */
export function createRedis(url: string, options?: CreateRedisOptions & { cluster?: false }): Redis;
export function createRedis(url: string, options: CreateRedisOptions & { cluster: true }): Cluster;
export function createRedis(url: string, options?: CreateRedisOptions): RedisConnection;
export function createRedis(url: string, options: CreateRedisOptions = {}): RedisConnection {
  const role = options.role ?? 'cache';
  const settings: Partial<RedisOptions> = {
    ...redisRoleOptions(role),
    connectionName: options.connectionName ?? `flygate:${role}`,
    ...options.overrides,
  };
  const redis: RedisConnection = options.cluster
    ? new Cluster([url], { ...clusterRoleOptions(role), ...clusterOptions({ ...sharedNodeOptions(url), ...settings }) })
    : new Redis(url, settings);
  const secret = redisUrlPassword(url);
  const report = (error: Error, where = '') => {
    const message = secret ? error.message.split(secret).join('***') : error.message;
    options.onError?.(`redis (${role}, ${redactRedisUrl(url)}${where}): ${message}`);
  };
  redis.on('error', (error: Error) => report(error));
  // A cluster reports one node's trouble separately from its own.
  if (isCluster(redis)) redis.on('node error', (error: Error, node: string) => report(error, `, node ${node}`));
  return redis;
}

/**
 * A new connection to the same Redis (or cluster) with `overrides` on top of the original's settings: how buses and
 * caches get their dedicated blocking-read and Pub/Sub connections.
 */
export function duplicateRedis(redis: RedisConnection, overrides: Partial<RedisOptions>): RedisConnection {
  if (!isCluster(redis)) return redis.duplicate(overrides);
  const extra = clusterOptions(overrides);
  return redis.duplicate([], { ...extra, redisOptions: { ...redis.options.redisOptions, ...extra.redisOptions } });
}

/** True for an ioredis `Cluster` connection. */
export function isCluster(redis: RedisConnection): redis is Cluster {
  return redis instanceof Cluster;
}

/**
 * The part of a key Redis hashes to pick its cluster slot: the first non-empty `{...}` section, else the whole key.
 * Keys with the same hash part share a slot, which Lua scripts and MULTI on a cluster need.
 */
export function hashPartOf(key: string): string {
  const open = key.indexOf('{');
  if (open < 0) return key;
  const close = key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : key;
}

/** The decoded password of a Redis URL, if any: what logs and errors must never show. */
export function redisUrlPassword(url: string): string | undefined {
  try {
    const password = decodeURIComponent(new URL(url).password);
    return password.length > 0 ? password : undefined;
  } catch {
    return undefined;
  }
}
