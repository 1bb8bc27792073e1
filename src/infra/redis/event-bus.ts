import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from '../../lib/clock.js';
import { duplicateRedis, hashPartOf, isCluster, redisRoleOptions, type RedisConnection } from './client.js';
import { encodeEvent } from './event-codec.js';
import { redisScript, runScript } from './script.js';
import { createStreamReader, entryToEvent, seqOfStreamId, type ReaderState } from './stream-reader.js';
import { openSubscription, type Subscription } from '../bus-subscription.js';
import { betweenPages, createReplayGate, REPLAY_PAGE_SIZE, type ReplayGate } from '../replay-gate.js';
import type { BusItem, DeliveredEvent, GatewayEvent } from '../../services/events/types.js';
import type { EventBus, SubscribeOptions } from '../../services/ports.js';
import { silentLogger, type Logger } from '../../lib/logger.js';

/** Options for {@link createRedisEventBus}. */
export interface RedisEventBusOptions {
  /** Connection for publishing and short reads (role `bus`). Not closed by the bus. */
  redis: RedisConnection;
  /**
   * Creates the bus's own connection for blocking reads (role `subscriber`: its command timeout, if any, must exceed
   * `blockMs`); closed by the bus. @default `redis.duplicate(redisRoleOptions('subscriber'))`
   */
  createSubscriber?: () => RedisConnection;
  /**
   * Stream key; its epoch lives at `<stream>:epoch`. Publishing (a Lua script) and anchoring (MULTI) touch both, so on
   * a Redis Cluster the key needs a hash tag (`{flygate}:events`): a key whose epoch would land in another slot is
   * refused. @default 'flygate:events'
   */
  stream?: string;
  /** Approximate number of entries kept, i.e. how far back a subscriber can resume. @default 10000 */
  maxLen?: number;
  /** How long one `XREAD` blocks before the reader re-checks the stream epoch. @default 5000 */
  blockMs?: number;
  /** Entries per `XREAD`/`XRANGE` call. @default 500 */
  batchSize?: number;
  /** Per-subscription buffer before a slow consumer gets a resync. @default 10000 */
  maxBuffered?: number;
  /** Most events one resume replays; a cursor further behind gets a `replay-too-long` resync instead. @default 1000 */
  maxReplay?: number;
  /** Replays running at once on this bus; more wait their turn. @default 4 */
  replays?: ReplayGate;
  /** Reader retry backoff (full jitter). @default { baseMs: 100, maxMs: 5000 } */
  backoff?: { baseMs: number; maxMs: number };
  /** @default systemClock */
  clock?: Clock;
  /** Random source in [0, 1) for backoff jitter. @default Math.random */
  random?: () => number;
  logger?: Logger;
  /** Reader life-cycle notifications. */
  onReaderState?: (state: ReaderState) => void;
}

// Publishing is one atomic step: pick the epoch (a new one when the stream does not exist, i.e. it was deleted or
// Redis lost its data), then append with id `0-*` so Redis assigns the next contiguous sequence number. An event id
// already among the last `maxLen` appended (KEYS[3], a sorted set of ids by sequence) is not appended again: its
// entry is returned instead. A publish whose reply was lost (Redis frozen, or a queued command replayed after a
// reconnect) may still be applied after the webhook was refused, and the sender's redelivery must not repeat it.
const PUBLISH_SCRIPT = `
local epoch = redis.call('GET', KEYS[2])
if (not epoch) or redis.call('EXISTS', KEYS[1]) == 0 then
  epoch = ARGV[1]
  redis.call('SET', KEYS[2], epoch)
  redis.call('DEL', KEYS[3])
end
local seen = redis.call('ZSCORE', KEYS[3], ARGV[4])
if seen then return {'0-' .. seen, epoch} end
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '0-*', 'ep', epoch, 'e', ARGV[3])
redis.call('ZADD', KEYS[3], string.sub(id, 3), ARGV[4])
if redis.call('ZCARD', KEYS[3]) > tonumber(ARGV[2]) then
  redis.call('ZREMRANGEBYRANK', KEYS[3], 0, -(tonumber(ARGV[2]) + 1))
end
return {id, epoch}
`;
const PUBLISH = redisScript(PUBLISH_SCRIPT);

/**
 * An {@link EventBus} over one Redis stream, shared by every gateway instance. Publishing is an awaited `XADD`;
 * each bus runs one blocking reader on its own connection and fans entries out to its local subscriptions.
 * At-least-once into the bus, resumable by sequence number, with trims and resets surfaced as resyncs.
 */
export function createRedisEventBus(options: RedisEventBusOptions): EventBus {
  const { redis } = options;
  const streamKey = options.stream ?? 'flygate:events';
  const epochKey = `${streamKey}:epoch`;
  // Shares the stream's hash tag (and so its slot) whenever the epoch key does.
  const idsKey = `${streamKey}:ids`;
  if (isCluster(redis) && hashPartOf(streamKey) !== hashPartOf(epochKey)) {
    throw new RangeError(
      `createRedisEventBus: on a Redis Cluster the stream key needs a hash tag (e.g. {flygate}:events), got ${streamKey}`,
    );
  }
  const maxLen = options.maxLen ?? 10_000;
  const batchSize = options.batchSize ?? 500;
  const logger = options.logger ?? silentLogger;
  const blockMs = options.blockMs ?? 5_000;
  for (const [name, value] of Object.entries({ maxLen, batchSize, blockMs, maxBuffered: options.maxBuffered ?? 1 })) {
    if (!Number.isInteger(value) || value <= 0)
      throw new RangeError(`createRedisEventBus: ${name} must be a positive integer, got ${value}`);
  }
  const maxReplay = options.maxReplay ?? 1_000;
  const gate = options.replays ?? createReplayGate(4);
  const subscriptions = new Set<Subscription>();
  let closed = false;

  const createSubscriber = () => {
    const subscriber =
      options.createSubscriber?.() ?? duplicateRedis(redis, { ...redisRoleOptions('subscriber'), connectionName: 'flygate:subscriber' });
    subscriber.on('error', (error: Error) => logger.debug({ err: error.message }, 'event bus subscriber connection error'));
    return subscriber;
  };
  const reader = createStreamReader({
    redis,
    createSubscriber,
    streamKey,
    epochKey,
    blockMs,
    batchSize,
    clock: options.clock ?? systemClock,
    logger,
    backoff: options.backoff ?? { baseMs: 100, maxMs: 5_000 },
    random: options.random ?? Math.random,
    onState: options.onReaderState,
    onItem: (item) => {
      for (const subscription of subscriptions) subscription.deliver(item);
    },
  });

  const runPublish = (args: string[]): Promise<unknown> => runScript(redis, PUBLISH, [streamKey, epochKey, idsKey], args);

  // Replays (afterSeq, head] from the stream, once the gate lets it, in pages with a turn of the event loop between
  // them. The subscription is registered before this runs (setting live entries aside while it waits and replays)
  // and the reader is anchored at or before the head, so every later entry reaches it live: nothing falls between
  // replay and live.
  const replay = async (subscription: Subscription, afterSeq: number, epoch: string | undefined) => {
    subscription.beginReplay();
    try {
      await gate.run(() => replayNow(subscription, afterSeq, epoch));
    } finally {
      subscription.endReplay();
    }
  };
  const replayNow = async (subscription: Subscription, afterSeq: number, epoch: string | undefined) => {
    if (subscription.ended) return;
    try {
      await reader.start();
      const replies = await redis.multi().xrevrange(streamKey, '+', '-', 'COUNT', 1).get(epochKey).exec();
      const failed = replies?.find(([error]) => error);
      if (!replies || failed) throw failed?.[0] ?? new Error('MULTI aborted');
      const head = replies[0]?.[1] as Array<[string, string[]]>;
      const currentEpoch = (replies[1]?.[1] as string | null) ?? undefined;
      const headSeq = head[0] ? seqOfStreamId(head[0][0]) : 0;
      if (afterSeq > headSeq || (epoch !== undefined && epoch !== currentEpoch)) {
        subscription.replay('unknown-cursor');
        return;
      }
      // Further behind than one resume may replay: the client refetches instead of receiving a backlog.
      if (headSeq - afterSeq > maxReplay) {
        subscription.resyncAt('replay-too-long', headSeq, currentEpoch!);
        return;
      }
      const page = Math.min(batchSize, REPLAY_PAGE_SIZE);
      let start = `(0-${afterSeq}`;
      while (!subscription.ended) {
        const entries = (await redis.xrange(streamKey, start, `0-${headSeq}`, 'COUNT', page)) as Array<[string, string[]]>;
        // A jump from afterSeq to the first entry (trimmed history) becomes a 'gap' resync inside the subscription.
        for (const [id, fields] of entries) subscription.replay(entryToEvent(id, fields));
        if (entries.length < page) break;
        start = `(${entries[entries.length - 1]![0]}`;
        await betweenPages(subscription);
      }
    } catch (error) {
      logger.warn({ stream: streamKey, err: String(error) }, 'event replay failed; subscriber must resync');
      subscription.replay('replay-failed');
    }
  };

  return {
    start() {
      return reader.start();
    },

    async publish(event: GatewayEvent): Promise<DeliveredEvent> {
      if (closed) throw new Error('event bus is closed');
      const reply = (await runPublish([randomUUID(), String(maxLen), encodeEvent(event), event.id])) as [string, string];
      return { ...event, seq: seqOfStreamId(reply[0]), epoch: reply[1] };
    },

    subscribe(subscribeOptions: SubscribeOptions = {}): AsyncIterableIterator<BusItem> {
      const { afterSeq, epoch, signal } = subscribeOptions;
      const { subscription, live } = openSubscription(subscriptions, { afterSeq, epoch, maxBuffered: options.maxBuffered, signal, closed });
      if (!live) return subscription.iterator;
      if (afterSeq !== undefined) void replay(subscription, afterSeq, epoch);
      else void reader.start();
      return subscription.iterator;
    },

    async close() {
      if (closed) return;
      closed = true;
      for (const subscription of [...subscriptions]) subscription.end();
      await reader.stop();
    },
  };
}
