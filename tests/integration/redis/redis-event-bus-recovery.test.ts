import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createManualClock } from '#src/lib/clock.js';
import { createRedis, redisRoleOptions, type CreateRedisOptions } from '#src/infra/redis/client.js';
import { createRedisEventBus, type RedisEventBusOptions } from '#src/infra/redis/event-bus.js';
import type { ReaderState } from '#src/infra/redis/stream-reader.js';
import { isResync, type BusItem, type GatewayEvent } from '#src/services/events/types.js';
import { startRedisServer, type TestRedisServer } from '../../helpers/redis-server.js';

// These tests kill connections, restart and freeze Redis, so they run against a private redis-server.
let server: TestRedisServer;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server?.stop();
});

const cleanup: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

function buildEvent(n: number): GatewayEvent {
  return {
    id: `webhook:${n}`,
    type: 'machine.destroyed',
    timestamp: '2026-01-01T00:00:00.000Z',
    app: 'web',
    machineId: `m${n}`,
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

const labels = (items: BusItem[]) => items.map((item) => (isResync(item) ? item.reason : item.seq));

function connect(overrides: CreateRedisOptions & { cluster?: false } = {}): Redis {
  const redis = createRedis(server.url, { role: 'bus', ...overrides });
  cleanup.push(() => redis.disconnect());
  return redis;
}

function bus(redis: Redis, options: Partial<RedisEventBusOptions> & { stream: string }) {
  const instance = createRedisEventBus({ redis, blockMs: 200, ...options });
  cleanup.push(() => instance.close());
  return instance;
}

describe('createRedisEventBus recovery', () => {
  it('should replay events published while its reading connection was down, with no resync', async () => {
    const stream = `s:${randomUUID()}`;
    const clock = createManualClock();
    const states: ReaderState[] = [];
    // The reading connection does not reconnect by itself, so the test decides how long it stays down.
    const subscriber = new Redis(server.url, { ...redisRoleOptions('subscriber'), connectionName: 'reader-b', retryStrategy: () => null });
    subscriber.on('error', () => undefined);
    const publisher = bus(connect(), { stream });
    const receiver = bus(connect(), {
      stream,
      clock,
      random: () => 1,
      createSubscriber: () => subscriber,
      onReaderState: (s) => states.push(s),
    });
    const subscription = receiver.subscribe();
    await receiver.start();
    await publisher.publish(buildEvent(1));
    expect(labels(await take(subscription, 1))).toEqual([1]);

    const admin = connect();
    const clients = (await admin.client('LIST')) as string;
    const id = clients
      .split('\n')
      .find((line) => line.includes('name=reader-b'))
      ?.match(/id=(\d+)/)?.[1];
    await admin.client('KILL', 'ID', id!);
    await vi.waitFor(() => expect(states.some((s) => s.state === 'backoff')).toBe(true));

    for (let n = 2; n <= 6; n++) await publisher.publish(buildEvent(n));
    await subscriber.connect();
    await clock.advance(5_000);
    expect(labels(await take(subscription, 5))).toEqual([2, 3, 4, 5, 6]);
    expect(states.at(-1)).toEqual({ state: 'resumed' });
  });

  it('should keep order without resync when its connection is killed and reconnects by itself', async () => {
    const stream = `s:${randomUUID()}`;
    const publisher = bus(connect(), { stream });
    const receiver = bus(connect(), {
      stream,
      createSubscriber: () => new Redis(server.url, { ...redisRoleOptions('subscriber'), connectionName: 'reader-c' }),
    });
    const subscription = receiver.subscribe();
    await receiver.start();
    await publisher.publish(buildEvent(1));
    const admin = connect();
    const clients = (await admin.client('LIST')) as string;
    const id = clients
      .split('\n')
      .find((line) => line.includes('name=reader-c'))
      ?.match(/id=(\d+)/)?.[1];
    await admin.client('KILL', 'ID', id!);
    for (let n = 2; n <= 20; n++) await publisher.publish(buildEvent(n));
    expect(labels(await take(subscription, 20))).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('should fail a publish within the command timeout while Redis is frozen, then recover', async () => {
    const stream = `s:${randomUUID()}`;
    const publisher = bus(connect({ overrides: { commandTimeout: 300 } }), { stream });
    const receiver = bus(connect(), { stream });
    const subscription = receiver.subscribe();
    await receiver.start();
    server.pause();
    try {
      const started = Date.now();
      await expect(publisher.publish(buildEvent(1))).rejects.toThrow(/timed out/i);
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      server.resume();
    }
    const delivered = await publisher.publish(buildEvent(2));
    // A timed-out publish has an unknown outcome: Redis may run the queued command once it thaws. The caller was
    // told it failed (the webhook answers 503 and is retried), so at worst the event appears twice, same id.
    const items = await take(subscription, delivered.seq);
    expect(items.at(-1)).toEqual(delivered);
    expect(items.slice(0, -1).map((item) => !isResync(item) && item.id)).toEqual(delivered.seq === 2 ? ['webhook:1'] : []);
  });

  it('should tell subscribers to resync when Redis restarts empty, then deliver the new stream', async () => {
    const stream = `s:${randomUUID()}`;
    const publisherConnection = connect();
    const publisher = bus(publisherConnection, { stream });
    const receiver = bus(connect(), { stream });
    const subscription = receiver.subscribe();
    await receiver.start();
    const before = await publisher.publish(buildEvent(1));
    await publisher.publish(buildEvent(2));
    expect(labels(await take(subscription, 2))).toEqual([1, 2]);

    await server.restart();
    const after = await vi.waitFor(() => publisher.publish(buildEvent(3)), { timeout: 10_000, interval: 100 });
    expect(after.seq).toBe(1);
    expect(after.epoch).not.toBe(before.epoch);
    const items = await take(subscription, 2);
    expect(items[0]).toEqual({ kind: 'resync', reason: 'stream-reset' });
    expect(items[1]).toEqual(after);
  });
});
