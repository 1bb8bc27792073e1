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
  /**
   * Sends a resync and moves the resume point to `seq` of `epoch`: what the replay would have sent up to there is
   * not coming, and only what follows it is delivered (a bounded replay that gave up on a long backlog).
   */
  resyncAt(reason: ResyncReason, seq: number, epoch: string): void;
  /** Resolves once the consumer has taken everything buffered (at once when nothing is), or the subscription ended. */
  drained(): Promise<void>;
  /** Ends the subscription; pending `next()` calls resolve as done. */
  end(): void;
  readonly ended: boolean;
}

/**
 * A {@link Subscription} that is its own iterator. A class, so ten thousand open subscriptions share their methods
 * instead of each holding a dozen closures; it listens to an abort signal as an object (`handleEvent`).
 */
class BusSubscription implements Subscription, AsyncIterableIterator<BusItem>, Pushable<BusItem> {
  readonly #maxBuffered: number;
  readonly #onEnd: (() => void) | undefined;
  #lastSeq: number | undefined;
  #epoch: string | undefined;
  #buffer: BusItem[] = [];
  #aside: Array<DeliveredEvent | ResyncReason> | undefined;
  #waiter: ((result: IteratorResult<BusItem>) => void) | undefined;
  #sink: PushSink<BusItem> | undefined;
  #onDrained: Array<() => void> | undefined;
  #ended = false;

  constructor(options: SubscriptionOptions) {
    this.#maxBuffered = options.maxBuffered ?? 10_000;
    this.#onEnd = options.onEnd;
    this.#lastSeq = options.afterSeq;
    this.#epoch = options.epoch;
  }

  get iterator(): this {
    return this;
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** Hands `item` to the armed sink; false (and the sink disarmed) when it declines or fails. */
  #pushed(item: BusItem): boolean {
    try {
      if (this.#sink!(item)) return true;
    } catch {
      // A failing sink must not break the bus's delivery to everyone else: the item takes the pulling way.
    }
    this.#sink = undefined;
    return false;
  }

  #emit(item: BusItem): void {
    if (this.#sink && this.#pushed(item)) return;
    if (this.#waiter) {
      const resolve = this.#waiter;
      this.#waiter = undefined;
      resolve({ value: item, done: false });
      return;
    }
    if (this.#buffer.length >= this.#maxBuffered) {
      // The consumer cannot keep up; holding more would grow without bound. It must refetch anyway.
      this.#buffer = [{ kind: 'resync', reason: 'overflow' }];
      this.#lastSeq = undefined;
      this.#epoch = undefined;
      return;
    }
    this.#buffer.push(item);
  }

  #resync(reason: ResyncReason): void {
    this.#lastSeq = undefined;
    this.#epoch = undefined;
    this.#emit({ kind: 'resync', reason });
  }

  #offer(item: DeliveredEvent | ResyncReason): void {
    if (this.#ended) return;
    if (typeof item === 'string') return this.#resync(item);
    if (this.#epoch !== undefined && item.epoch !== this.#epoch) {
      this.#resync('stream-reset');
    } else if (this.#lastSeq !== undefined) {
      if (item.seq <= this.#lastSeq) return;
      if (item.seq > this.#lastSeq + 1) this.#resync('gap');
    }
    // A resync above may have overflowed and reset the cursor; the event still follows it.
    this.#lastSeq = item.seq;
    this.#epoch = item.epoch;
    this.#emit(item);
  }

  deliver(item: DeliveredEvent | ResyncReason): void {
    if (!this.#aside) return this.#offer(item);
    // Same bound as the consumer buffer: past it, the replay's consumer is told to resync instead.
    if (this.#aside.length >= this.#maxBuffered) this.#aside = ['overflow'];
    this.#aside.push(item);
  }

  beginReplay(): void {
    this.#aside ??= [];
  }

  replay(item: DeliveredEvent | ResyncReason): void {
    this.#offer(item);
  }

  resyncAt(reason: ResyncReason, seq: number, epoch: string): void {
    if (this.#ended) return;
    this.#resync(reason);
    this.#lastSeq = seq;
    this.#epoch = epoch;
  }

  endReplay(): void {
    const pending = this.#aside ?? [];
    this.#aside = undefined;
    for (const item of pending) this.#offer(item);
  }

  drained(): Promise<void> {
    if (this.#ended || this.#buffer.length === 0) return Promise.resolve();
    return new Promise((resolve) => (this.#onDrained ??= []).push(resolve));
  }

  /** Wakes what waits in {@link drained} once the buffer is empty. */
  #checkDrained(): void {
    if (!this.#onDrained || (this.#buffer.length > 0 && !this.#ended)) return;
    const waiting = this.#onDrained;
    this.#onDrained = undefined;
    for (const resolve of waiting) resolve();
  }

  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#checkDrained();
    this.#buffer = [];
    this.#aside = undefined;
    this.#sink = undefined;
    if (this.#waiter) {
      const resolve = this.#waiter;
      this.#waiter = undefined;
      resolve({ value: undefined, done: true });
    }
    this.#onEnd?.();
  }

  /** An abort signal's listener. */
  handleEvent(): void {
    this.end();
  }

  [PUSH](sink: PushSink<BusItem>): boolean {
    if (this.#ended) return false;
    this.#sink = sink;
    // What waited in the buffer goes first; a declined item stays at its head for next().
    while (this.#buffer.length > 0) {
      if (!this.#pushed(this.#buffer[0]!)) return true;
      this.#buffer.shift();
    }
    this.#checkDrained();
    return true;
  }

  next(): Promise<IteratorResult<BusItem>> {
    const item = this.#buffer.shift();
    if (item) {
      if (this.#buffer.length === 0) this.#checkDrained();
      return Promise.resolve({ value: item, done: false });
    }
    if (this.#ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.#waiter = resolve;
    });
  }

  return(): Promise<IteratorResult<BusItem>> {
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<BusItem>> {
    this.end();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

/** Creates a {@link Subscription}. */
export function createSubscription(options: SubscriptionOptions = {}): Subscription {
  return new BusSubscription(options);
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
  const subscription: BusSubscription = new BusSubscription({
    ...subscriptionOptions,
    onEnd: () => {
      subscriptions.delete(subscription);
      signal?.removeEventListener('abort', subscription);
    },
  });
  if (closed || signal?.aborted) {
    subscription.end();
    return { subscription, live: false };
  }
  subscriptions.add(subscription);
  signal?.addEventListener('abort', subscription, { once: true });
  return { subscription, live: true };
}
