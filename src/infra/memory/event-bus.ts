import { randomUUID } from 'node:crypto';
import { openSubscription, type Subscription } from '../bus-subscription.js';
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
      if (afterSeq !== undefined) {
        if (afterSeq > seq || (subscribeOptions.epoch !== undefined && subscribeOptions.epoch !== epoch)) {
          subscription.replay('unknown-cursor');
        } else {
          // History is contiguous, so a trimmed-away start shows up as a seq jump, which the subscription turns
          // into a resync by itself.
          for (const event of history) if (event.seq > afterSeq) subscription.replay(event);
        }
      }
      return subscription.iterator;
    },

    async close() {
      closed = true;
      for (const subscription of [...subscriptions]) subscription.end();
    },
  };
}
