import { PUSH, type Pushable, type PushSink } from '../lib/push-stream.js';
import type { BusItem, DeliveredEvent, ResyncReason } from '../services/events/types.js';

/** Options for {@link createSubscription}. */
export interface SubscriptionOptions {
  /** Last sequence number the consumer has seen (resume point). */
  afterSeq?: number;
  /** Epoch `afterSeq` belongs to. */
  epoch?: string;
  /** Items buffered for a slow consumer before its buffer is dropped and replaced by a resync. @default 10000 */
  maxBuffered?: number;
  /** Called once when the subscription ends, whatever ended it. */
  onEnd?: () => void;
}

/**
 * One subscriber's queue and iterator. Every item on its way to the consumer passes through `offer`, which keeps
 * the per-subscription guarantees in one place: duplicates (seq already seen) are dropped, a jump in seq or a new
 * epoch becomes a resync before the event, and an overflowing buffer becomes a resync instead of unbounded memory.
 */
export interface Subscription {
  /** Pulled with `next()`, or pushing to a sink ({@link PUSH}) as items arrive. */
  readonly iterator: AsyncIterableIterator<BusItem> & Pushable<BusItem>;
  /** Offers a live item (from the bus reader). Buffered aside while a replay is running. */
  deliver(item: DeliveredEvent | ResyncReason): void;
  /** Marks the start of a replay: live items wait until {@link Subscription.endReplay}. */
  beginReplay(): void;
  /** Offers a replayed item. */
  replay(item: DeliveredEvent | ResyncReason): void;
  /** Ends the replay and releases the live items that arrived meanwhile. */
  endReplay(): void;
  /** Ends the subscription; pending `next()` calls resolve as done. */
  end(): void;
  readonly ended: boolean;
}

/** Creates a {@link Subscription}. */
export function createSubscription(options: SubscriptionOptions = {}): Subscription {
  const maxBuffered = options.maxBuffered ?? 10_000;
  let lastSeq = options.afterSeq;
  let epoch = options.epoch;
  let buffer: BusItem[] = [];
  let aside: Array<DeliveredEvent | ResyncReason> | undefined;
  let waiter: ((result: IteratorResult<BusItem>) => void) | undefined;
  let sink: PushSink<BusItem> | undefined;
  let ended = false;

  /** Hands `item` to the armed sink; false (and the sink disarmed) when it declines or fails. */
  const pushed = (item: BusItem): boolean => {
    try {
      if (sink!(item)) return true;
    } catch {
      // A failing sink must not break the bus's delivery to everyone else: the item takes the pulling way.
    }
    sink = undefined;
    return false;
  };

  const emit = (item: BusItem) => {
    if (sink && pushed(item)) return;
    if (waiter) {
      const resolve = waiter;
      waiter = undefined;
      resolve({ value: item, done: false });
      return;
    }
    if (buffer.length >= maxBuffered) {
      // The consumer cannot keep up; holding more would grow without bound. It must refetch anyway.
      buffer = [{ kind: 'resync', reason: 'overflow' }];
      lastSeq = undefined;
      epoch = undefined;
      return;
    }
    buffer.push(item);
  };

  const resync = (reason: ResyncReason) => {
    lastSeq = undefined;
    epoch = undefined;
    emit({ kind: 'resync', reason });
  };

  const offer = (item: DeliveredEvent | ResyncReason) => {
    if (ended) return;
    if (typeof item === 'string') return resync(item);
    if (epoch !== undefined && item.epoch !== epoch) {
      resync('stream-reset');
    } else if (lastSeq !== undefined) {
      if (item.seq <= lastSeq) return;
      if (item.seq > lastSeq + 1) resync('gap');
    }
    // A resync above may have overflowed and reset the cursor; the event still follows it.
    lastSeq = item.seq;
    epoch = item.epoch;
    emit(item);
  };

  const end = () => {
    if (ended) return;
    ended = true;
    buffer = [];
    aside = undefined;
    sink = undefined;
    if (waiter) {
      const resolve = waiter;
      waiter = undefined;
      resolve({ value: undefined, done: true });
    }
    options.onEnd?.();
  };

  const iterator: AsyncIterableIterator<BusItem> & Pushable<BusItem> = {
    [PUSH](armed) {
      if (ended) return false;
      sink = armed;
      // What waited in the buffer goes first; a declined item stays at its head for next().
      while (buffer.length > 0) {
        if (!pushed(buffer[0]!)) return true;
        buffer.shift();
      }
      return true;
    },
    next() {
      const item = buffer.shift();
      if (item) return Promise.resolve({ value: item, done: false });
      if (ended) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => {
        waiter = resolve;
      });
    },
    return() {
      end();
      return Promise.resolve({ value: undefined, done: true });
    },
    throw(error?: unknown) {
      end();
      return Promise.reject(error);
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };

  return {
    iterator,
    deliver(item) {
      if (!aside) return offer(item);
      // Same bound as the consumer buffer: past it, the replay's consumer is told to resync instead.
      if (aside.length >= maxBuffered) aside = ['overflow'];
      aside.push(item);
    },
    beginReplay() {
      aside ??= [];
    },
    replay: offer,
    endReplay() {
      const pending = aside ?? [];
      aside = undefined;
      for (const item of pending) offer(item);
    },
    end,
    get ended() {
      return ended;
    },
  };
}

/**
 * Opens a subscription on a bus's local set: it leaves the set when it ends, ends when `signal` aborts, and is
 * returned already ended when the bus is closed or the signal has fired.
 */
export function openSubscription(
  subscriptions: Set<Subscription>,
  options: SubscriptionOptions & { signal?: AbortSignal; closed: boolean },
): { subscription: Subscription; live: boolean } {
  const { signal, closed, ...subscriptionOptions } = options;
  const subscription = createSubscription({
    ...subscriptionOptions,
    onEnd: () => {
      subscriptions.delete(subscription);
      signal?.removeEventListener('abort', subscription.end);
    },
  });
  if (closed || signal?.aborted) {
    subscription.end();
    return { subscription, live: false };
  }
  subscriptions.add(subscription);
  signal?.addEventListener('abort', subscription.end, { once: true });
  return { subscription, live: true };
}
