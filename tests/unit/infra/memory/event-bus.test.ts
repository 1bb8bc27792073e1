import { describe, expect, it, vi } from 'vitest';
import { createMemoryEventBus } from '#src/infra/memory/event-bus.js';
import { createReplayGate } from '#src/infra/replay-gate.js';
import { PUSH, type Pushable } from '#src/lib/push-stream.js';
import type { BusItem } from '#src/services/events/types.js';
import { isResync } from '#src/services/events/types.js';
import { buildEvent, take } from '../../services/events/fixtures.js';

/** Takes every item the subscription has now and later as it arrives (a push sink); resyncs show as -1. */
function collect(iterator: AsyncIterableIterator<BusItem>): number[] {
  const seen: number[] = [];
  (iterator as AsyncIterableIterator<BusItem> & Pushable<BusItem>)[PUSH]((item) => (seen.push(isResync(item) ? -1 : item.seq), true));
  return seen;
}

describe('createMemoryEventBus', () => {
  it('should give every subscriber every event in order with contiguous seqs', async () => {
    const bus = createMemoryEventBus({ epoch: 'e1' });
    const a = bus.subscribe();
    const b = bus.subscribe();
    for (let i = 1; i <= 3; i++) await bus.publish(buildEvent({ id: `webhook:${i}` }));
    for (const subscription of [a, b]) {
      expect((await take(subscription, 3)).map((item) => !isResync(item) && [item.id, item.seq, item.epoch])).toEqual([
        ['webhook:1', 1, 'e1'],
        ['webhook:2', 2, 'e1'],
        ['webhook:3', 3, 'e1'],
      ]);
    }
  });

  it('should return the delivered event from publish', async () => {
    const bus = createMemoryEventBus({ epoch: 'e1' });
    expect(await bus.publish(buildEvent())).toEqual({ ...buildEvent(), seq: 1, epoch: 'e1' });
  });

  it('should replay what follows afterSeq when a subscriber resumes', async () => {
    const bus = createMemoryEventBus();
    for (let i = 1; i <= 5; i++) await bus.publish(buildEvent({ id: `webhook:${i}` }));
    const resumed = bus.subscribe({ afterSeq: 3 });
    await bus.publish(buildEvent({ id: 'webhook:6' }));
    expect((await take(resumed, 3)).map((item) => !isResync(item) && item.seq)).toEqual([4, 5, 6]);
  });

  it('should signal a gap when the resume point has left the history', async () => {
    const bus = createMemoryEventBus({ historySize: 2 });
    for (let i = 1; i <= 5; i++) await bus.publish(buildEvent({ id: `webhook:${i}` }));
    const items = await take(bus.subscribe({ afterSeq: 1 }), 3);
    expect(items[0]).toEqual({ kind: 'resync', reason: 'gap' });
    expect(items.slice(1).map((item) => !isResync(item) && item.seq)).toEqual([4, 5]);
  });

  it('should signal an unknown cursor when afterSeq is ahead of the stream or from another epoch', async () => {
    const bus = createMemoryEventBus({ epoch: 'e2' });
    await bus.publish(buildEvent());
    expect((await bus.subscribe({ afterSeq: 9 }).next()).value).toEqual({ kind: 'resync', reason: 'unknown-cursor' });
    expect((await bus.subscribe({ afterSeq: 1, epoch: 'e1' }).next()).value).toEqual({ kind: 'resync', reason: 'unknown-cursor' });
  });

  it('should end a subscription when its signal aborts', async () => {
    const bus = createMemoryEventBus();
    const controller = new AbortController();
    const subscription = bus.subscribe({ signal: controller.signal });
    const pending = subscription.next();
    controller.abort();
    expect(await pending).toEqual({ value: undefined, done: true });
  });

  it('should end subscriptions and refuse publishes when closed', async () => {
    const bus = createMemoryEventBus();
    const subscription = bus.subscribe();
    await bus.close();
    expect(await subscription.next()).toEqual({ value: undefined, done: true });
    await expect(bus.publish(buildEvent())).rejects.toThrow('closed');
  });
});

describe('createMemoryEventBus options', () => {
  it('should refuse a history size that is not a positive integer', () => {
    expect(() => createMemoryEventBus({ historySize: 0 })).toThrow('historySize must be a positive integer, got 0');
  });
});

describe('memory event bus hand-off', () => {
  it('should return from publish before any subscriber has taken the event, then hand it to all in order', async () => {
    const bus = createMemoryEventBus();
    const a = bus.subscribe();
    const b = bus.subscribe();
    const nextA = a.next();
    let received = false;
    void nextA.then(() => (received = true));
    const delivered = await bus.publish(buildEvent({ id: 'evt-1' }));
    expect(delivered.seq).toBe(1);
    expect(received).toBe(false);
    expect(((await nextA).value as { id: string }).id).toBe('evt-1');
    await bus.publish(buildEvent({ id: 'evt-2' }));
    expect(((await b.next()).value as { id: string }).id).toBe('evt-1');
    expect(((await b.next()).value as { id: string }).id).toBe('evt-2');
    await bus.close();
  });

  it('should hand every event published in one turn to a pushing subscriber in one synchronous pass', async () => {
    const bus = createMemoryEventBus();
    const a = bus.subscribe();
    const b = bus.subscribe();
    // Each delivery records how many turn-end markers had run before it: a marker queued by the first delivery
    // runs once that synchronous pass is over, so every delivery of one pass sees the same count.
    let passesEnded = 0;
    const seen: Array<[string, number, number]> = [];
    for (const [name, subscription] of [
      ['a', a],
      ['b', b],
    ] as const) {
      (subscription as AsyncIterableIterator<BusItem> & Pushable<BusItem>)[PUSH]((item) => {
        if (seen.length === 0) queueMicrotask(() => (passesEnded += 1));
        seen.push([name, isResync(item) ? -1 : item.seq, passesEnded]);
        return true;
      });
    }
    await Promise.all([1, 2, 3].map((i) => bus.publish(buildEvent({ id: `webhook:${i}` }))));
    await vi.waitFor(() => expect(seen).toHaveLength(6));
    expect(seen).toEqual([
      ['a', 1, 0],
      ['b', 1, 0],
      ['a', 2, 0],
      ['b', 2, 0],
      ['a', 3, 0],
      ['b', 3, 0],
    ]);
    await bus.close();
  });

  it('should not hand an event published before a subscriber joined to that subscriber, though it was still on its way', async () => {
    const bus = createMemoryEventBus();
    const early = bus.subscribe();
    await bus.publish(buildEvent({ id: 'before' }));
    const late = bus.subscribe();
    await bus.publish(buildEvent({ id: 'after' }));
    expect(((await early.next()).value as { id: string }).id).toBe('before');
    expect(((await late.next()).value as { id: string }).id).toBe('after');
    await bus.close();
  });

  it('should send a replay-too-long resync instead of the backlog when the cursor is further behind than maxReplay, then go live', async () => {
    const bus = createMemoryEventBus({ maxReplay: 3 });
    for (let i = 1; i <= 5; i++) await bus.publish(buildEvent({ id: `webhook:${i}` }));
    const behind = bus.subscribe({ afterSeq: 1 });
    const within = bus.subscribe({ afterSeq: 2 });
    await bus.publish(buildEvent({ id: 'webhook:6' }));
    expect(await take(behind, 2)).toEqual([{ kind: 'resync', reason: 'replay-too-long' }, expect.objectContaining({ seq: 6 })]);
    expect((await take(within, 4)).map((item) => !isResync(item) && item.seq)).toEqual([3, 4, 5, 6]);
  });

  it('should hand a long replay on one page per turn of the event loop', async () => {
    const bus = createMemoryEventBus();
    for (let i = 1; i <= 250; i++) await bus.publish(buildEvent({ id: `webhook:${i}` }));
    const resumed = bus.subscribe({ afterSeq: 0 });
    const seen = collect(resumed);
    expect(seen).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    await vi.waitFor(() => expect(seen).toHaveLength(250));
    expect(seen).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
  });

  it('should let a resume wait behind the running replays and still miss nothing published meanwhile', async () => {
    const bus = createMemoryEventBus({ replays: createReplayGate(1) });
    for (let i = 1; i <= 300; i++) await bus.publish(buildEvent({ id: `webhook:${i}` }));
    const first = bus.subscribe({ afterSeq: 0 });
    const second = bus.subscribe({ afterSeq: 100 });
    await new Promise((resolve) => setImmediate(resolve));
    const early = collect(second);
    // The first replay holds the only slot for three pages: the second has received nothing yet.
    expect(early).toEqual([]);
    await bus.publish(buildEvent({ id: 'webhook:301' }));
    expect((await take(first, 301)).map((item) => !isResync(item) && item.seq)).toEqual(Array.from({ length: 301 }, (_, i) => i + 1));
    await vi.waitFor(() => expect(early).toHaveLength(201));
    expect(early).toEqual(Array.from({ length: 201 }, (_, i) => i + 101));
  });
});
