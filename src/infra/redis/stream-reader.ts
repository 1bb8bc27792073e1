import type { RedisConnection } from './client.js';
import type { Clock } from '../../lib/clock.js';
import { decodeEvent } from './event-codec.js';
import type { DeliveredEvent, ResyncReason } from '../../services/events/types.js';
import type { Logger } from '../../lib/logger.js';

/** Stream entries are written with ids `0-<seq>`, so the id's sequence part is the event's seq. */
export function seqOfStreamId(id: string): number {
  const dash = id.indexOf('-');
  const seq = Number(id.slice(dash + 1));
  if (dash < 0 || !Number.isSafeInteger(seq)) throw new Error(`unexpected stream id ${id}`);
  return seq;
}

/** Field list of one entry (`[name, value, name, value, ...]`) to a {@link DeliveredEvent}. */
export function entryToEvent(id: string, fields: string[]): DeliveredEvent {
  const values = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) values.set(fields[i]!, fields[i + 1]!);
  const epoch = values.get('ep');
  const body = values.get('e');
  if (epoch === undefined || body === undefined) throw new Error(`stream entry ${id} lacks its fields`);
  return { ...decodeEvent(body), seq: seqOfStreamId(id), epoch };
}

/** Reader life-cycle notifications, for logs, metrics and tests. */
export type ReaderState =
  | { state: 'anchored'; seq: number; epoch?: string }
  | { state: 'backoff'; attempt: number; delayMs: number; error: unknown }
  | { state: 'resumed' };

/** Dependencies of {@link createStreamReader}. */
export interface StreamReaderOptions {
  /** Connection for short commands (anchor, epoch checks); has a command timeout. */
  redis: RedisConnection;
  /** Creates the dedicated connection for the blocking `XREAD`, on first start. */
  createSubscriber: () => RedisConnection;
  streamKey: string;
  epochKey: string;
  blockMs: number;
  batchSize: number;
  clock: Clock;
  logger: Logger;
  /** Full-jitter backoff bounds for a failing reader. */
  backoff: { baseMs: number; maxMs: number };
  random: () => number;
  /** Every item read, in stream order; a string is a resync reason for everyone. */
  onItem: (item: DeliveredEvent | ResyncReason) => void;
  onState?: (state: ReaderState) => void;
}

/** The one live reader of a bus: follows the stream with `XREAD BLOCK` and resumes from its cursor after errors. */
export interface StreamReader {
  /** Starts the loop (once); resolves when the cursor is anchored, or when the reader stops first. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Creates a {@link StreamReader}. */
export function createStreamReader(options: StreamReaderOptions): StreamReader {
  const { redis, streamKey, epochKey, clock, logger } = options;
  const stopController = new AbortController();
  let cursor = '0-0';
  let epoch: string | undefined;
  let anchoredResolve!: () => void;
  const anchored = new Promise<void>((resolve) => {
    anchoredResolve = resolve;
  });
  let loop: Promise<void> | undefined;
  let subscriber: RedisConnection | undefined;

  // Anchor at the current head so a new reader neither replays history nor misses what follows; MULTI makes the
  // head and the epoch one consistent reading.
  const anchor = async () => {
    const replies = await redis.multi().xrevrange(streamKey, '+', '-', 'COUNT', 1).get(epochKey).exec();
    const failed = replies?.find(([error]) => error);
    if (!replies || failed) throw failed?.[0] ?? new Error('MULTI aborted');
    const head = replies[0]?.[1] as Array<[string, string[]]> | undefined;
    const current = replies[1]?.[1] as string | null | undefined;
    cursor = head?.[0]?.[0] ?? '0-0';
    epoch = current ?? undefined;
    options.onState?.({ state: 'anchored', seq: seqOfStreamId(cursor), epoch });
  };

  // Entries only carry an epoch once published; when the stream was recreated and is still shorter than our
  // cursor, XREAD would wait silently. Comparing the epoch key catches that case.
  const verifyEpoch = async () => {
    const current = (await redis.get(epochKey)) ?? undefined;
    if (current === epoch) return;
    if (epoch !== undefined) {
      logger.warn({ stream: streamKey }, 'event stream was recreated; subscribers must resync');
      options.onItem('stream-reset');
      cursor = '0-0';
    }
    epoch = current;
  };

  const handleEntry = (id: string, fields: string[]) => {
    cursor = id;
    let event: DeliveredEvent;
    try {
      event = entryToEvent(id, fields);
    } catch (error) {
      // Skipping leaves a seq gap, which subscriptions report as a resync: never a silent loss.
      logger.error({ stream: streamKey, id, err: String(error) }, 'unreadable event stream entry skipped');
      return;
    }
    epoch = event.epoch;
    options.onItem(event);
  };

  const run = async (subscriber: RedisConnection) => {
    let failures = 0;
    let isAnchored = false;
    let checkEpoch = false;
    while (!stopController.signal.aborted) {
      try {
        if (!isAnchored) {
          await anchor();
          isAnchored = true;
          anchoredResolve();
        } else if (checkEpoch) {
          await verifyEpoch();
          checkEpoch = false;
        }
        const reply = (await subscriber.xread('COUNT', options.batchSize, 'BLOCK', options.blockMs, 'STREAMS', streamKey, cursor)) as Array<
          [string, Array<[string, string[]]>]
        > | null;
        if (failures > 0) options.onState?.({ state: 'resumed' });
        failures = 0;
        if (!reply) {
          checkEpoch = true;
          continue;
        }
        for (const [, entries] of reply) for (const [id, fields] of entries) handleEntry(id, fields);
      } catch (error) {
        if (stopController.signal.aborted) break;
        failures += 1;
        checkEpoch = true;
        const cap = Math.min(options.backoff.maxMs, options.backoff.baseMs * 2 ** Math.min(failures - 1, 20));
        const delayMs = Math.round(options.random() * cap);
        options.onState?.({ state: 'backoff', attempt: failures, delayMs, error });
        logger.warn({ stream: streamKey, attempt: failures, delayMs, err: String(error) }, 'event stream read failed; retrying');
        await clock.sleep(delayMs, stopController.signal).catch(() => undefined);
      }
    }
    anchoredResolve();
  };

  return {
    start() {
      if (!loop && !stopController.signal.aborted) {
        subscriber = options.createSubscriber();
        loop = run(subscriber);
      }
      return anchored;
    },
    async stop() {
      stopController.abort();
      anchoredResolve();
      // A blocked XREAD only ends when its connection does.
      subscriber?.disconnect();
      await loop;
    },
  };
}
