import { randomUUID } from 'node:crypto';
import { openSubscription, type Subscription } from '../bus-subscription.js';
import { betweenPages, createReplayGate, REPLAY_PAGE_SIZE, type ReplayGate } from '../replay-gate.js';
import type { BusItem, DeliveredEvent, GatewayEvent } from '../../services/events/types.js';
import type { EventBus, SubscribeOptions } from '../../services/ports.js';

/** Options for {@link createMemoryEventBus}. */
export interface MemoryEventBusOptions {
  /** Recent events kept for `afterSeq` replay. @default 10000 */
  historySize?: number;
  /** Per-subscription buffer before a slow consumer gets a resync. @default 10000 */
  maxBuffered?: number;
  /** Stream epoch; a fresh random one by default (a restarted process is a new stream). */
  epoch?: string;
  /** Most events one resume replays; a cursor further behind gets a `replay-too-long` resync instead. @default 1000 */
  maxReplay?: number;
  /** Replays running at once; more wait their turn. @default 4 */
  replays?: ReplayGate;
}

/**
 * A single-process {@link EventBus}: events reach subscriptions of this process only. Keeps a bounded history so
 * a reconnecting subscriber can resume by `afterSeq`; a cursor older than the history yields a resync.
 */
export function createMemoryEventBus(options: MemoryEventBusOptions = {}): EventBus {
  const historySize = options.historySize ?? 10_000;
  if (!Number.isInteger(historySize) || historySize <= 0) {
    throw new RangeError(`createMemoryEventBus: historySize must be a positive integer, got ${historySize}`);
  }
  const epoch = options.epoch ?? randomUUID();
  const maxReplay = options.maxReplay ?? 1_000;
  const gate = options.replays ?? createReplayGate(4);
  const history: DeliveredEvent[] = [];
  const subscriptions = new Set<Subscription>();
  let seq = 0;
  let closed = false;
  // Published events not yet handed to subscribers: handed on in the next turn of the event loop, so publishing
  // (a webhook's 204) never waits for thousands of subscribers to take their copy.
  let pending: DeliveredEvent[] = [];
  const flush = () => {
    const batch = pending;
    pending = [];
    for (const delivered of batch) for (const subscription of subscriptions) subscription.deliver(delivered);
  };

  // Replays (afterSeq, head] from the history, head being the last event published when it subscribed, a page per
  // turn of the event loop once the gate lets it. Events published after that are set aside by the subscription and
  // offered after the replay, so nothing falls between replay and live.
  const replay = async (subscription: Subscription, afterSeq: number, cursorEpoch: string | undefined) => {
    if (afterSeq > seq || (cursorEpoch !== undefined && cursorEpoch !== epoch)) return subscription.replay('unknown-cursor');
    if (seq - afterSeq > maxReplay) return subscription.resyncAt('replay-too-long', seq, epoch);
    const head = seq;
    subscription.beginReplay();
    try {
      await gate.run(async () => {
        if (subscription.ended) return;
        // History is contiguous (entry i has seq first + i), so a trimmed-away start shows up as a seq jump, which the
        // subscription turns into a resync by itself. A copy: history moves on while the replay yields.
        const first = history[0]?.seq ?? head + 1;
        const missed = history.slice(Math.max(0, afterSeq + 1 - first), Math.max(0, head + 1 - first));
        for (let from = 0; from < missed.length && !subscription.ended; from += REPLAY_PAGE_SIZE) {
          if (from > 0) await betweenPages(subscription);
          for (const event of missed.slice(from, from + REPLAY_PAGE_SIZE)) subscription.replay(event);
        }
      });
    } finally {
      subscription.endReplay();
    }
  };

  return {
    async start() {},

    async publish(event: GatewayEvent): Promise<DeliveredEvent> {
      if (closed) throw new Error('event bus is closed');
      seq += 1;
      const delivered: DeliveredEvent = { ...event, seq, epoch };
      history.push(delivered);
      if (history.length > historySize) history.shift();
      if (pending.push(delivered) === 1) setImmediate(flush);
      return delivered;
    },

    subscribe(subscribeOptions: SubscribeOptions = {}): AsyncIterableIterator<BusItem> {
      const { afterSeq, signal } = subscribeOptions;
      // A new subscriber starts after what is already published, even if it is still on its way to the others.
      const { subscription, live } = openSubscription(subscriptions, {
        afterSeq: afterSeq ?? seq,
        epoch: afterSeq === undefined ? epoch : subscribeOptions.epoch,
        maxBuffered: options.maxBuffered,
        signal,
        closed,
      });
      if (!live) return subscription.iterator;
      if (afterSeq !== undefined) void replay(subscription, afterSeq, subscribeOptions.epoch);
      return subscription.iterator;
    },

    async close() {
      closed = true;
      for (const subscription of [...subscriptions]) subscription.end();
    },
  };
}
