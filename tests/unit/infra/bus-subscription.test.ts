import { describe, expect, it } from 'vitest';
import { createSubscription } from '#src/infra/bus-subscription.js';
import { PUSH, pushTo } from '#src/lib/push-stream.js';
import type { BusItem } from '#src/services/events/types.js';
import { buildDelivered, take } from '../services/events/fixtures.js';

describe('createSubscription', () => {
  it('should yield delivered events in order when the consumer reads after they arrive', async () => {
    const subscription = createSubscription();
    for (const seq of [1, 2, 3]) subscription.deliver(buildDelivered(seq));
    expect((await take(subscription.iterator, 3)).map((item) => 'seq' in item && item.seq)).toEqual([1, 2, 3]);
  });

  it('should resolve a waiting next() when an event arrives later', async () => {
    const subscription = createSubscription();
    const pending = subscription.iterator.next();
    subscription.deliver(buildDelivered(1));
    expect((await pending).value).toMatchObject({ seq: 1 });
  });

  it('should drop an event when its seq was already delivered', async () => {
    const subscription = createSubscription();
    for (const seq of [1, 2, 2, 1, 3]) subscription.deliver(buildDelivered(seq));
    subscription.deliver(buildDelivered(4));
    expect((await take(subscription.iterator, 4)).map((item) => 'seq' in item && item.seq)).toEqual([1, 2, 3, 4]);
  });

  it('should emit a gap resync before an event when sequence numbers jump', async () => {
    const subscription = createSubscription({ afterSeq: 4 });
    subscription.deliver(buildDelivered(7));
    expect(await take(subscription.iterator, 2)).toEqual([{ kind: 'resync', reason: 'gap' }, buildDelivered(7)]);
  });

  it('should emit a stream-reset resync when the epoch changes', async () => {
    const subscription = createSubscription();
    subscription.deliver(buildDelivered(5, 'e1'));
    subscription.deliver(buildDelivered(1, 'e2'));
    const items = await take(subscription.iterator, 3);
    expect(items[1]).toEqual({ kind: 'resync', reason: 'stream-reset' });
    expect(items[2]).toMatchObject({ seq: 1, epoch: 'e2' });
  });

  it('should replace its buffer with one overflow resync when the consumer falls behind', async () => {
    const subscription = createSubscription({ maxBuffered: 3 });
    for (let seq = 1; seq <= 5; seq++) subscription.deliver(buildDelivered(seq));
    subscription.deliver(buildDelivered(6));
    const items = await take(subscription.iterator, 3);
    expect(items[0]).toEqual({ kind: 'resync', reason: 'overflow' });
    expect(items.slice(1).map((item) => 'seq' in item && item.seq)).toEqual([5, 6]);
  });

  it('should hold live events back until the replay ends and skip those the replay already gave', async () => {
    const subscription = createSubscription({ afterSeq: 0 });
    subscription.beginReplay();
    subscription.deliver(buildDelivered(3));
    subscription.deliver(buildDelivered(4));
    for (const seq of [1, 2, 3]) subscription.replay(buildDelivered(seq));
    subscription.endReplay();
    expect((await take(subscription.iterator, 4)).map((item) => 'seq' in item && item.seq)).toEqual([1, 2, 3, 4]);
  });

  it('should end a pending next() when the consumer calls return()', async () => {
    const subscription = createSubscription();
    const pending = subscription.iterator.next();
    await subscription.iterator.return?.();
    expect(await pending).toEqual({ value: undefined, done: true });
    expect(subscription.ended).toBe(true);
  });

  it('should call onEnd exactly once when ended twice', () => {
    let calls = 0;
    const subscription = createSubscription({ onEnd: () => (calls += 1) });
    subscription.end();
    subscription.end();
    expect(calls).toBe(1);
  });

  describe('pushing to a sink', () => {
    const seqOf = (item: BusItem) => ('seq' in item ? item.seq : item.reason);

    it('should hand buffered then new items to the sink at once, in order, keeping the per-subscription checks', () => {
      const subscription = createSubscription({ afterSeq: 0 });
      subscription.deliver(buildDelivered(1));
      const got: unknown[] = [];
      expect(subscription.iterator[PUSH]((item) => got.push(seqOf(item)) > 0)).toBe(true);
      expect(got).toEqual([1]);
      for (const seq of [2, 2, 4]) subscription.deliver(buildDelivered(seq));
      // The duplicate is dropped and the jump still becomes a resync first, exactly as when pulling.
      expect(got).toEqual([1, 2, 'gap', 4]);
    });

    it('should give a declined item and everything after it to next(), in order, until the sink is armed again', async () => {
      const subscription = createSubscription();
      const got: unknown[] = [];
      const sink = (item: BusItem) => seqOf(item) !== 2 && got.push(seqOf(item)) > 0;
      pushTo(subscription.iterator, sink);
      for (const seq of [1, 2, 3]) subscription.deliver(buildDelivered(seq));
      expect(got).toEqual([1]);
      expect((await take(subscription.iterator, 1)).map(seqOf)).toEqual([2]);
      // Re-armed: 3 waited in the buffer and goes first, then 4 as it arrives.
      pushTo(subscription.iterator, sink);
      subscription.deliver(buildDelivered(4));
      expect(got).toEqual([1, 3, 4]);
    });

    it('should resolve a pending next() with a declined item, and with done when the subscription ends', async () => {
      const subscription = createSubscription();
      pushTo(subscription.iterator, () => false);
      const pending = subscription.iterator.next();
      subscription.deliver(buildDelivered(1));
      expect((await pending).value).toMatchObject({ seq: 1 });
      const got: unknown[] = [];
      pushTo(subscription.iterator, (item) => got.push(item) > 0);
      const last = subscription.iterator.next();
      subscription.end();
      expect(await last).toEqual({ value: undefined, done: true });
      subscription.deliver(buildDelivered(2));
      expect(got).toEqual([]);
      expect(subscription.iterator[PUSH](() => true)).toBe(false);
    });

    it('should treat a sink that throws as one that declined, so the bus goes on and the item is not lost', async () => {
      const subscription = createSubscription();
      pushTo(subscription.iterator, () => {
        throw new Error('broken sink');
      });
      expect(() => subscription.deliver(buildDelivered(1))).not.toThrow();
      expect((await take(subscription.iterator, 1)).map(seqOf)).toEqual([1]);
    });
  });

  it('should report drained once the consumer has taken everything buffered, and at once when nothing is', async () => {
    const subscription = createSubscription({ afterSeq: 0, epoch: 'e1' });
    await subscription.drained();
    subscription.replay(buildDelivered(1));
    subscription.replay(buildDelivered(2));
    let drained = false;
    void subscription.drained().then(() => (drained = true));
    await subscription.iterator.next();
    await Promise.resolve();
    expect(drained).toBe(false);
    await subscription.iterator.next();
    await Promise.resolve();
    expect(drained).toBe(true);
  });

  it('should report drained when the subscription ends with items still buffered', async () => {
    const subscription = createSubscription({ afterSeq: 0, epoch: 'e1' });
    subscription.replay(buildDelivered(1));
    const drained = subscription.drained();
    subscription.end();
    await expect(drained).resolves.toBeUndefined();
  });
});
