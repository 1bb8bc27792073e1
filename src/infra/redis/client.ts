import { Redis, type RedisOptions } from 'ioredis';

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
  /** Extra ioredis options, applied last. */
  overrides?: Partial<RedisOptions>;
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

/**
 * Creates an ioredis client for `url` with the settings of `role`. Connects in the background (no await needed);
 * errors go to `onError` with the URL's credentials masked and never crash the process.
 */
export function createRedis(url: string, options: CreateRedisOptions = {}): Redis {
  const role = options.role ?? 'cache';
  const redis = new Redis(url, {
    ...redisRoleOptions(role),
    connectionName: options.connectionName ?? `flygate:${role}`,
    ...options.overrides,
  });
  const secret = redisUrlPassword(url);
  redis.on('error', (error: Error) => {
    const message = secret ? error.message.split(secret).join('***') : error.message;
    options.onError?.(`redis (${role}, ${redactRedisUrl(url)}): ${message}`);
  });
  return redis;
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
