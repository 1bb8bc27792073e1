/**
 * Live logs with one upstream poll loop per stream, across every instance. A stream is one app seen with one
 * tenant's Fly token (in fly-token mode each token is a tenant, so callers whose access differs never share one).
 *
 * Every instance with at least one local subscriber of a stream runs a follower for it, and the followers contend
 * for the stream's lock: the holder polls Fly's logs endpoint (`next_token` cursor, flyctl's backoff), publishes
 * each line to the logs bus and saves the cursor; the others only retry the lock. Subscribers read the bus, so
 * each line reaches every subscriber on every instance once, in order, resumable by `afterSeq`/`epoch`. A holder
 * whose last local subscriber left releases the lock and another instance with subscribers takes over at once; a
 * holder that died loses it within its lifetime, and the next one continues from the saved cursor. Lines polled
 * twice around a takeover have the same id, which the bus publishes once.
 */
import { isFlyApiError, FlyErrorCode } from '../../flyio/errors.js';
import { appLogs } from '../../flyio/logs.js';
import type { FlyLogEntry } from '../../flyio/wire/logs.js';
import type { FlyClient } from '../../flyio/types.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import { PUSH, pushTo, type Pushable, type PushSink } from '../../lib/push-stream.js';
import type { EventBus, Lock } from '../ports.js';
import { isResync, type BusItem, type DeliveredEvent } from '../events/types.js';
import { packLogLine, streamTag, unpackLogLine } from './log-envelope.js';
import {
  atLeast,
  type DeliveredLogLine,
  type LiveLogFeed,
  type LiveLogSource,
  type LogCursorStore,
  type LogDelivery,
  type LogLine,
  type LogLockFactory,
} from './types.js';

/** flyctl's pause after an empty answer starts here and doubles... */
export const LOG_POLL_MIN_MS = 64;
/** ...up to this. */
export const LOG_POLL_MAX_MS = 4_096;
/** flyctl gives up after this many failures in a row; so do we (the subscribers get the last error). */
export const LOG_POLL_MAX_ERRORS = 10;

/** What a live subscriber asks for. */
export interface FollowInput {
  app: string;
  machineId?: string;
  region?: string;
  /** Lines at this level or above. */
  level?: string;
  afterSeq?: number;
  epoch?: string;
}

/** Options of {@link createLogStreams}. */
export interface LogStreamsOptions {
  bus: EventBus;
  cursors: LogCursorStore;
  lockFor: LogLockFactory;
  clock: Clock;
  logger: Logger;
  /** How long the poll lock lasts without renewal: a dead holder is replaced within it. @default 10000 */
  lockTtlMs?: number;
  /**
   * Fly's NATS log stream, for the streams of `tenant` (the gateway's own token, which the source signs in with):
   * their holder follows it instead of polling, and polls while it is unreachable. Other tenants always poll.
   */
  live?: { source: LiveLogSource; tenant: string };
  /** After the live source failed, how long the holder polls before it tries the source again. @default 5000 */
  liveRetryMs?: number;
  /** Counts every poll of Fly (metrics). */
  onPoll?: (outcome: 'lines' | 'empty' | 'error') => void;
}

/** The live logs of one gateway instance. */
export interface LogStreams {
  /** Follows `input.app` as `tenant` sees it, polling with `fly` while this instance holds the stream's lock. */
  follow(tenant: string, fly: FlyClient, input: FollowInput, signal?: AbortSignal): AsyncIterableIterator<LogDelivery>;
  /** Streams with a follower on this instance, and whether it polls (tests, metrics). */
  status(): Array<{ key: string; subscribers: number; polling: boolean }>;
  /** Ends every follower and gives their locks up. */
  close(): Promise<void>;
}

/** A fatal answer ends the stream at once, as flyctl stops on 401 and 404. */
function isFatal(error: unknown): boolean {
  return isFlyApiError(error) && (error.code === FlyErrorCode.Unauthorized || error.code === FlyErrorCode.NotFound);
}

/**
 * Publishes one page of Fly's lines to the logs bus, in order. The first is awaited on its own (on Redis it loads
 * the publish script when the server lost it); the rest are sent without waiting for each other's answers, so they
 * reach the stream in one burst of pipelined commands on the same connection (which keeps their order) rather than
 * one round trip apart. Each instance's bus reader then gets the page in one read and pushes it to a socket in one
 * turn of the event loop, which leaves as one write (src/api/ws-direct.ts) instead of one per line.
 */
async function publishPage(bus: EventBus, tag: string, app: string, entries: readonly FlyLogEntry[]): Promise<void> {
  const lineOf = ({ id, attributes: a }: FlyLogEntry): LogLine => ({
    id,
    timestamp: a.timestamp,
    app,
    machineId: a.instance,
    region: a.region,
    level: a.level,
    message: a.message,
  });
  if (entries.length === 0) return;
  await bus.publish(packLogLine(tag, lineOf(entries[0]!)));
  // Every answer is awaited before a failure counts, so a re-poll never overlaps a publish still in flight.
  const settled = await Promise.allSettled(entries.slice(1).map((entry) => bus.publish(packLogLine(tag, lineOf(entry)))));
  const failed = settled.find((outcome) => outcome.status === 'rejected');
  if (failed) throw failed.reason;
}

/**
 * One subscriber: the logs bus read through the stream's filter. Not an async generator, so return() never waits.
 * It pushes as the bus subscription under it does (src/lib/push-stream.ts): a WebSocket subscriber arms a sink and
 * each line of its stream that passes its filter reaches it inside the bus's delivery loop; what the sink declines
 * stays at the head of the bus subscription's buffer and comes through `next()` in order.
 */
class LogTap implements AsyncIterableIterator<LogDelivery>, Pushable<LogDelivery> {
  #error: unknown;
  constructor(
    private readonly inner: AsyncIterableIterator<BusItem>,
    private readonly tag: string,
    private readonly input: FollowInput,
    private readonly onEnd: () => void,
    private readonly unpack: (tag: string, delivered: DeliveredEvent) => DeliveredLogLine | undefined,
  ) {}

  /** Ends the subscription with `error`, thrown from the next `next()`. */
  fail(error: unknown): void {
    this.#error ??= error;
    void this.inner.return?.();
    this.onEnd();
  }

  /** The delivery `item` makes for this subscriber, or undefined when it is another stream's line or filtered out. */
  #select(item: BusItem): LogDelivery | undefined {
    if (isResync(item)) return item;
    const line = this.unpack(this.tag, item);
    if (!line) return undefined;
    const { machineId, region, level } = this.input;
    if ((machineId && line.machineId !== machineId) || (region && line.region !== region) || (level && !atLeast(line.level, level)))
      return undefined;
    return line;
  }

  [PUSH](sink: PushSink<LogDelivery>): boolean {
    // A line this subscriber does not select is taken (and dropped) here, as next() skips it.
    return pushTo<BusItem>(this.inner, (item) => {
      const delivery = this.#select(item);
      return delivery === undefined || sink(delivery);
    });
  }

  async next(): Promise<IteratorResult<LogDelivery>> {
    for (;;) {
      const result = await this.inner.next();
      if (result.done) {
        this.onEnd();
        if (this.#error !== undefined) throw this.#error;
        return { value: undefined, done: true };
      }
      const delivery = this.#select(result.value);
      if (delivery !== undefined) return { value: delivery, done: false };
    }
  }

  async return(): Promise<IteratorResult<LogDelivery>> {
    await this.inner.return?.();
    this.onEnd();
    return { value: undefined, done: true };
  }

  async throw(error?: unknown): Promise<IteratorResult<LogDelivery>> {
    await this.return();
    throw error;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

/** The follower of one stream on this instance: its local subscribers and, while it holds the lock, the poll loop. */
class Follower {
  readonly taps = new Set<LogTap>();
  readonly tag: string;
  readonly lock: Lock;
  polling = false;
  /** Without a saved cursor the loop asks for lines from here on: the first subscriber's arrival. */
  since: number;
  #stop = new AbortController();
  #running: Promise<void> | undefined;

  constructor(
    readonly key: string,
    readonly app: string,
    private readonly fly: FlyClient,
    private readonly options: LogStreamsOptions & { lockTtlMs: number },
    private readonly source: LiveLogSource | undefined,
  ) {
    this.tag = streamTag(key);
    this.since = options.clock.now();
    this.lock = options.lockFor(`flygate:logs:lock:${this.tag}`, options.lockTtlMs);
  }

  start(): void {
    this.#running ??= this.#run().catch((error: unknown) => {
      this.options.logger.warn({ app: this.app, err: String(error) }, 'log follower stopped');
    });
  }

  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#running;
  }

  /**
   * Waits `ms` while holding the lock: a wait longer than a third of the lock's lifetime (flyctl's backoff reaches 4 s)
   * is cut in pieces with a renewal between them, so the lock never lapses under a live holder. False when the
   * follower stopped or the lock was lost (then another instance polls).
   */
  async #holdFor(ms: number): Promise<boolean> {
    const step = Math.max(50, Math.floor(this.options.lockTtlMs / 3));
    for (let left = ms; left > 0; left -= step) {
      if (!(await this.#pause(Math.min(step, left)))) return false;
      if (left > step && !(await this.lock.acquire().catch(() => false))) return false;
    }
    return true;
  }

  async #pause(ms: number): Promise<boolean> {
    try {
      await this.options.clock.sleep(ms, this.#stop.signal);
      return true;
    } catch {
      return false;
    }
  }

  async #run(): Promise<void> {
    const { lockTtlMs, cursors, bus } = this.options;
    const signal = this.#stop.signal;
    let waitMs = LOG_POLL_MIN_MS;
    let errors = 0;
    let cursor: string | undefined;
    try {
      while (!signal.aborted) {
        if (!(await this.lock.acquire().catch(() => false))) {
          this.polling = false;
          cursor = undefined;
          await this.#endFeed();
          if (!(await this.#pause(Math.max(50, Math.floor(lockTtlMs / 4))))) break;
          continue;
        }
        // Just took it over (or first): continue from the cursor the previous holder saved, else from now.
        if (!this.polling) cursor = await cursors.load(this.key).catch(() => undefined);
        const feed = await this.#followFeed();
        if (feed === 'lost') {
          // The source has no history: polling starts from now, not from a cursor older than the feed.
          cursor = undefined;
          this.since = this.options.clock.now();
        }
        if (feed === 'live') {
          // The live source carries the lines; the loop only keeps the lock.
          this.polling = true;
          if (!(await this.#pause(Math.max(50, Math.floor(lockTtlMs / 3))))) break;
          continue;
        }
        const startTime = cursor ? undefined : new Date(this.since).toISOString();
        this.polling = true;
        let lines = 0;
        try {
          const page = await this.fly.call(appLogs, { app: this.app, nextToken: cursor, startTime }, { signal, caller: 'flygate:logs' });
          await publishPage(bus, this.tag, this.app, page.data);
          lines = page.data.length;
          if (page.meta.next_token) {
            cursor = page.meta.next_token;
            await cursors.save(this.key, cursor, Math.max(60_000, lockTtlMs * 3));
          }
          errors = 0;
          this.options.onPoll?.(lines > 0 ? 'lines' : 'empty');
        } catch (error) {
          if (signal.aborted) break;
          this.options.onPoll?.('error');
          errors += 1;
          if (isFatal(error) || errors >= LOG_POLL_MAX_ERRORS) {
            for (const tap of [...this.taps]) tap.fail(error);
            break;
          }
        }
        // flyctl's rhythm: again at once while lines come, else 64 ms doubling to about 4 s between empty answers.
        if (lines > 0) {
          waitMs = LOG_POLL_MIN_MS;
          continue;
        }
        if (!(await this.#holdFor(waitMs))) {
          if (signal.aborted) break;
          this.polling = false;
          continue;
        }
        waitMs = Math.min(LOG_POLL_MAX_MS, waitMs * 2);
      }
    } finally {
      this.polling = false;
      await this.#endFeed();
      await this.lock.release().catch(() => undefined);
    }
  }

  #feed: LiveLogFeed | undefined;
  #feedDown = false;
  #feedRetryAt = 0;
  #published: Promise<unknown> = Promise.resolve();

  /** Whether the live source carries the stream now (following it when due), or was just lost, or is not used. */
  async #followFeed(): Promise<'live' | 'lost' | 'off'> {
    if (!this.source) return 'off';
    const { clock, bus, logger } = this.options;
    if (this.#feed && !this.#feedDown) return 'live';
    if (this.#feed) {
      // It ended: poll from now on (the source has no history), and try it again later.
      this.#feed = undefined;
      this.#feedRetryAt = clock.now() + (this.options.liveRetryMs ?? 5_000);
      logger.warn({ app: this.app }, 'NATS log stream lost; polling Fly for logs');
      return 'lost';
    }
    if (clock.now() < this.#feedRetryAt) return 'off';
    try {
      // In the source's order: each line is published after the one before it.
      const feed = await this.source.follow(this.app, (line) => {
        this.#published = this.#published.then(() => bus.publish(packLogLine(this.tag, line))).catch(() => undefined);
      });
      this.#feed = feed;
      this.#feedDown = false;
      void feed.closed.then(() => (this.#feedDown = true));
      return 'live';
    } catch (error) {
      this.#feedRetryAt = clock.now() + (this.options.liveRetryMs ?? 5_000);
      logger.warn({ app: this.app, err: String(error) }, 'NATS log stream unreachable; polling Fly for logs');
      return 'off';
    }
  }

  async #endFeed(): Promise<void> {
    const feed = this.#feed;
    this.#feed = undefined;
    if (feed) await feed.close().catch(() => undefined);
  }
}

/** Creates the live logs of one instance. */
export function createLogStreams(options: LogStreamsOptions): LogStreams {
  const settings = { ...options, lockTtlMs: options.lockTtlMs ?? 10_000 };
  const followers = new Map<string, Follower>();
  // Every subscriber of a stream gets the same line object for the same bus event, so the shared execution of
  // subscription results (memoised per delivered object) runs once per line, not once per subscriber.
  const unpacked = new WeakMap<DeliveredEvent, DeliveredLogLine | null>();
  const unpack = (tag: string, delivered: DeliveredEvent): DeliveredLogLine | undefined => {
    if (delivered.event?.request?.stream !== tag) return undefined;
    let line = unpacked.get(delivered);
    if (line === undefined) unpacked.set(delivered, (line = unpackLogLine(tag, delivered) ?? null));
    return line ?? undefined;
  };

  const leave = (follower: Follower, tap: LogTap) => {
    if (!follower.taps.delete(tap) || follower.taps.size > 0) return;
    followers.delete(follower.key);
    void follower.stop();
  };

  return {
    follow(tenant, fly, input, signal) {
      const key = `${tenant}:${input.app}`;
      let follower = followers.get(key);
      if (!follower) {
        const source = options.live?.tenant === tenant ? options.live.source : undefined;
        followers.set(key, (follower = new Follower(key, input.app, fly, settings, source)));
      }
      const own = follower;
      // Subscribed to the bus before the loop can poll, so the first subscriber misses nothing it started.
      const inner = options.bus.subscribe({ afterSeq: input.afterSeq, epoch: input.epoch, signal });
      const tap: LogTap = new LogTap(inner, own.tag, input, () => leave(own, tap), unpack);
      own.taps.add(tap);
      own.start();
      return tap;
    },

    status() {
      return [...followers.values()].map((f) => ({ key: f.tag, subscribers: f.taps.size, polling: f.polling }));
    },

    async close() {
      const all = [...followers.values()];
      followers.clear();
      await Promise.all(all.map((f) => f.stop()));
      await options.live?.source.close();
    },
  };
}
