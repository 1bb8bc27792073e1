import { LRUCache } from 'lru-cache';
import { isNotFound } from '../../flyio/errors.js';
import type { FlyClient } from '../../flyio/types.js';
import type { FlyMachine } from '../../flyio/wire/machine.js';
import { PUSH, pushTo, type Pushable, type PushSink } from '../../lib/push-stream.js';
import { isResync, type BusItem, type DeliveredEvent, type GatewayEventType, type ResyncSignal } from './types.js';
import { type EventBus } from '../ports.js';

/** Which events one subscription wants. Filters run on the server, before anything is sent. */
export interface EventFilter {
  types: readonly GatewayEventType[];
  app: string;
  machineId?: string;
  /** For `machine.event`: only these Fly event types (`start`, `exit`, ...). */
  flyEventTypes?: readonly string[];
  /** Resume after this sequence number of `epoch` (events the bus still holds are replayed). */
  afterSeq?: number;
  epoch?: string;
}

/** What subscription resolvers use: filtered streams and the machine as it is after an event. */
export interface EventsService {
  /**
   * Matching events and every resync signal (a gap may have hidden a matching event), in stream order. `return()`
   * releases the bus subscription at once, even while a `next()` is pending.
   */
  subscribe(filter: EventFilter, signal?: AbortSignal): AsyncIterableIterator<DeliveredEvent | ResyncSignal> & Pushable<BusItem>;
  /**
   * The machine right after event `seq`. Shared by every subscriber of this instance, so a thousand subscribers to
   * one machine cost one Fly call per event, not a thousand.
   */
  machineAfter(event: DeliveredEvent): Promise<FlyMachine | null>;
}

function matches(item: DeliveredEvent, filter: EventFilter): boolean {
  if (!filter.types.includes(item.type) || item.app !== filter.app) return false;
  if (filter.machineId && item.machineId !== filter.machineId) return false;
  if (item.type === 'machine.event' && filter.flyEventTypes?.length) return filter.flyEventTypes.includes(item.event?.type ?? '');
  return true;
}

/**
 * A bus subscription narrowed to one filter. Not an async generator: a generator awaiting the bus queues return()
 * until the next matching event, so a WebSocket client that unsubscribes from a quiet app would hold its bus
 * subscription indefinitely. A class, so open subscriptions share its methods.
 */
class FilteredStream implements AsyncIterableIterator<BusItem>, Pushable<BusItem> {
  readonly #items: AsyncIterableIterator<BusItem>;
  readonly #filter: EventFilter;

  constructor(items: AsyncIterableIterator<BusItem>, filter: EventFilter) {
    this.#items = items;
    this.#filter = filter;
  }

  async next(): Promise<IteratorResult<BusItem>> {
    for (;;) {
      const result = await this.#items.next();
      if (result.done || isResync(result.value) || matches(result.value, this.#filter)) return result;
    }
  }

  // The same filter on the pushing path; what does not match is taken (and dropped) here.
  [PUSH](sink: PushSink<BusItem>): boolean {
    const filter = this.#filter;
    return pushTo<BusItem>(this.#items, (item) => (isResync(item) || matches(item, filter) ? sink(item) : true));
  }

  async return(): Promise<IteratorResult<BusItem>> {
    return (await this.#items.return?.()) ?? { value: undefined, done: true };
  }

  async throw(error?: unknown): Promise<IteratorResult<BusItem>> {
    await this.#items.return?.();
    throw error;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

/** Creates the {@link EventsService}. */
export function createEventsService({ bus, fly }: { bus: EventBus; fly: FlyClient }): EventsService {
  const machines = new LRUCache<string, Promise<FlyMachine | null>>({ max: 1_000, ttl: 30_000 });

  return {
    subscribe(filter, signal) {
      return new FilteredStream(bus.subscribe({ afterSeq: filter.afterSeq, epoch: filter.epoch, signal }), filter);
    },
    machineAfter(event) {
      const key = `${event.epoch}:${event.seq}`;
      let pending = machines.get(key);
      if (!pending) {
        pending =
          event.type === 'machine.destroyed'
            ? Promise.resolve(null)
            : fly.machines.get({ app: event.app, machineId: event.machineId }).catch((error: unknown) => {
                machines.delete(key);
                if (isNotFound(error)) return null;
                throw error;
              });
        machines.set(key, pending);
      }
      return pending;
    },
  };
}
