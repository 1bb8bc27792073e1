import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { createRedis } from '#src/infra/redis/client.js';
import { createRedisEventBus, type RedisEventBusOptions } from '#src/infra/redis/event-bus.js';
import { createReplayGate } from '#src/infra/replay-gate.js';
import { isResync, type BusItem, type GatewayEvent } from '#src/services/events/types.js';

const URL = 'redis://127.0.0.1:6379';

function buildEvent(n: number): GatewayEvent {
  return {
    id: `webhook:${n}`,
    type: 'machine.state_changed',
    timestamp: '2026-01-01T00:00:00.000Z',
    app: 'web',
    machineId: 'm1',
    from: 'stopped',
    to: 'started',
    source: 'webhook',
  };
}

async function take(iterator: AsyncIterator<BusItem>, count: number): Promise<BusItem[]> {
  const items: BusItem[] = [];
  while (items.length < count) {
    const { value, done } = await iterator.next();
    if (done) break;
    items.push(value);
  }
  return items;
}

const seqs = (items: BusItem[]) => items.map((item) => (isResync(item) ? item.reason : item.seq));

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** Two gateway instances sharing one stream: each with its own connections, as in production. */
function twoInstances(options: Partial<RedisEventBusOptions> = {}) {
  const stream = `test:${randomUUID()}:events`;
  const connections: Redis[] = [];
  const instance = () => {
    const redis = createRedis(URL, { role: 'bus' });
    connections.push(redis);
    const bus = createRedisEventBus({ redis, stream, blockMs: 1_000, ...options });
    cleanup.push(() => bus.close());
    return bus;
  };
  const a = instance();
  const b = instance();
  cleanup.push(async () => {
    await connections[0]!.del(stream, `${stream}:epoch`);
    await Promise.all(connections.map((c) => c.quit()));
  });
  return { a, b, stream, connections };
}

describe('createRedisEventBus', () => {
  it('should deliver events published on one instance to subscribers on another, in order', async () => {
    const { a, b } = twoInstances();
    const subscription = b.subscribe();
    await b.start();
    const published = [];
    for (let n = 1; n <= 3; n++) published.push(await a.publish(buildEvent(n)));
    const received = await take(subscription, 3);
    expect(received).toEqual(published);
    expect(seqs(received)).toEqual([1, 2, 3]);
  });

  it('should deliver 1,000 events in order to every local subscriber of the other instance', async () => {
    const { a, b } = twoInstances();
    const subscriptions = [b.subscribe(), b.subscribe(), a.subscribe()];
    await Promise.all([a.start(), b.start()]);
    for (let n = 1; n <= 1_000; n++) await a.publish(buildEvent(n));
    const expected = Array.from({ length: 1_000 }, (_, i) => i + 1);
    for (const subscription of subscriptions) expect(seqs(await take(subscription, 1_000))).toEqual(expected);
  });

  it('should deliver concurrent publishes in sequence order', async () => {
    const { a, b } = twoInstances();
    const subscription = b.subscribe();
    await b.start();
    const published = await Promise.all(Array.from({ length: 50 }, (_, i) => a.publish(buildEvent(i))));
    const received = await take(subscription, 50);
    expect(seqs(received)).toEqual([...published].sort((x, y) => x.seq - y.seq).map((e) => e.seq));
    expect(new Set(published.map((e) => e.seq)).size).toBe(50);
  });

  it('should replay from afterSeq and continue live when a subscriber resumes', async () => {
    const { a, b } = twoInstances();
    for (let n = 1; n <= 5; n++) await a.publish(buildEvent(n));
    const resumed = b.subscribe({ afterSeq: 2 });
    const first = await take(resumed, 3);
    await a.publish(buildEvent(6));
    expect(seqs([...first, ...(await take(resumed, 1))])).toEqual([3, 4, 5, 6]);
  });

  it('should replay across several batches when the gap is larger than one read', async () => {
    const { a, b } = twoInstances({ batchSize: 7 });
    for (let n = 1; n <= 30; n++) await a.publish(buildEvent(n));
    expect(seqs(await take(b.subscribe({ afterSeq: 0 }), 30))).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });

  it('should send a replay-too-long resync instead of the backlog when the cursor is further behind than maxReplay, then go live', async () => {
    const { a, b } = twoInstances({ maxReplay: 5 });
    for (let n = 1; n <= 10; n++) await a.publish(buildEvent(n));
    const behind = b.subscribe({ afterSeq: 2 });
    const within = b.subscribe({ afterSeq: 5 });
    expect(seqs(await take(behind, 1))).toEqual(['replay-too-long']);
    expect(seqs(await take(within, 5))).toEqual([6, 7, 8, 9, 10]);
    await a.publish(buildEvent(11));
    expect(seqs(await take(behind, 1))).toEqual([11]);
    expect(seqs(await take(within, 1))).toEqual([11]);
  });

  it('should queue resumes behind the running replays in pages and skip nothing published while they wait', async () => {
    const { a, b } = twoInstances({ replays: createReplayGate(1) });
    for (let n = 1; n <= 250; n++) await a.publish(buildEvent(n));
    const resumes = [0, 50, 100, 200].map((afterSeq) => ({ afterSeq, subscription: b.subscribe({ afterSeq }) }));
    for (let n = 251; n <= 260; n++) await a.publish(buildEvent(n));
    for (const { afterSeq, subscription } of resumes) {
      expect(seqs(await take(subscription, 260 - afterSeq))).toEqual(Array.from({ length: 260 - afterSeq }, (_, i) => afterSeq + i + 1));
    }
  });

  it('should signal a gap instead of skipping when the stream was trimmed past the resume point', async () => {
    const { a, b } = twoInstances({ maxLen: 10 });
    for (let n = 1; n <= 400; n++) await a.publish(buildEvent(n));
    const resumed = b.subscribe({ afterSeq: 1 });
    const [first, second] = await take(resumed, 2);
    expect(first).toEqual({ kind: 'resync', reason: 'gap' });
    expect(second && !isResync(second) && second.seq).toBeGreaterThan(2);
  });

  it('should signal an unknown cursor when afterSeq is ahead of the stream or the epoch differs', async () => {
    const { a, b } = twoInstances();
    const { epoch } = await a.publish(buildEvent(1));
    expect((await b.subscribe({ afterSeq: 50 }).next()).value).toEqual({ kind: 'resync', reason: 'unknown-cursor' });
    expect((await b.subscribe({ afterSeq: 1, epoch: `${epoch}-old` }).next()).value).toEqual({ kind: 'resync', reason: 'unknown-cursor' });
    const same = b.subscribe({ afterSeq: 0, epoch });
    expect((await same.next()).value).toMatchObject({ seq: 1, epoch });
  });

  it('should reject publish when Redis cannot be reached', async () => {
    const redis = createRedis('redis://127.0.0.1:1', { role: 'bus' });
    const bus = createRedisEventBus({ redis, stream: `test:${randomUUID()}` });
    cleanup.push(async () => {
      await bus.close();
      redis.disconnect();
    });
    await expect(bus.publish(buildEvent(1))).rejects.toThrow();
  });

  it('should end subscriptions on close but leave the injected connection usable', async () => {
    const { a, connections } = twoInstances();
    const subscription = a.subscribe();
    await a.start();
    await a.close();
    expect(await subscription.next()).toEqual({ value: undefined, done: true });
    expect(await connections[0]!.ping()).toBe('PONG');
  });
});
