import { describe, expect, it } from 'vitest';
import type { FlyClient } from '#src/flyio/types.js';
import { createEventsService } from '#src/services/events/events-service.js';
import { createMemoryEventBus } from '#src/infra/memory/event-bus.js';
import type { BusItem } from '#src/services/events/types.js';
import type { EventBus, SubscribeOptions } from '#src/services/ports.js';
import { pushTo } from '#src/lib/push-stream.js';
import { buildEvent } from './fixtures.js';

const noFly = {} as FlyClient;

/** A memory bus that counts open subscriptions, to see whether one is released. */
function countingBus(): { bus: EventBus; open: () => number } {
  const inner = createMemoryEventBus();
  let open = 0;
  const bus: EventBus = {
    ...inner,
    subscribe(options?: SubscribeOptions) {
      const items = inner.subscribe(options);
      open += 1;
      const ret = items.return!.bind(items);
      items.return = (value?: unknown) => {
        open -= 1;
        return ret(value) as Promise<IteratorResult<BusItem>>;
      };
      return items;
    },
  };
  return { bus, open: () => open };
}

describe('createEventsService', () => {
  it('should yield only matching events when other apps publish too', async () => {
    const bus = createMemoryEventBus();
    const events = createEventsService({ bus, fly: noFly });
    const stream = events.subscribe({ types: ['machine.state_changed'], app: 'web' });
    const next = stream.next();
    await bus.publish(buildEvent({ id: 'a', app: 'api' }));
    await bus.publish(buildEvent({ id: 'b', app: 'web' }));
    const { value } = await next;
    expect(value).toMatchObject({ id: 'b', app: 'web' });
  });

  it('should release the bus subscription at once when the consumer returns while waiting for a match', async () => {
    // graphql-ws ends a subscription by calling return() while next() is still pending; it must not wait for an event.
    const { bus, open } = countingBus();
    const events = createEventsService({ bus, fly: noFly });
    const stream = events.subscribe({ types: ['machine.state_changed'], app: 'quiet' });
    const pending = stream.next();
    await Promise.resolve();
    expect(open()).toBe(1);

    const returned = await stream.return!(undefined);

    expect(returned.done).toBe(true);
    expect(open()).toBe(0);
    await expect(pending).resolves.toMatchObject({ done: true });
  });

  it("should push only matching events to a sink, in the bus's own delivery, when the consumer arms one", async () => {
    const bus = createMemoryEventBus();
    const events = createEventsService({ bus, fly: noFly });
    const stream = events.subscribe({ types: ['machine.state_changed'], app: 'web' });
    const got: string[] = [];
    expect(pushTo<BusItem>(stream, (item) => got.push('id' in item ? String(item.id) : item.kind) > 0)).toBe(true);
    await bus.publish(buildEvent({ id: 'a', app: 'api' }));
    await bus.publish(buildEvent({ id: 'b', app: 'web' }));
    await bus.publish(buildEvent({ id: 'c', app: 'web', type: 'machine.created' }));
    // The memory bus hands events on in the next turn of the event loop.
    await new Promise((resolve) => setImmediate(resolve));
    expect(got).toEqual(['b']);
    await stream.return!(undefined);
  });
});
