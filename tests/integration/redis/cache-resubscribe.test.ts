import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { createRedis, duplicateRedis } from '#src/infra/redis/client.js';
import { createRedisCacheStore, INVALIDATIONS_CONNECTION } from '#src/infra/redis/cache-store.js';
import { usePrivateRedis, type TestRedisServer } from '../../helpers/redis-server.js';

/** Counts the unhandled rejections that happen while `work` runs and shortly after. */
async function unhandledDuring(work: () => Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => seen.push(reason);
  process.on('unhandledRejection', listener);
  try {
    await work();
    // A rejection is reported after the microtask queue drains; give it a few turns of the event loop.
    await new Promise((resolve) => setTimeout(resolve, 200));
  } finally {
    process.off('unhandledRejection', listener);
  }
  return seen;
}

describe('the invalidation channel of the Redis cache store across reconnects', () => {
  const redisServer = usePrivateRedis();
  let server: TestRedisServer;
  let admin: Redis;
  beforeAll(() => {
    server = redisServer.server();
    admin = redisServer.admin();
  });

  const subscribers = async (channel: string) => Number((await admin.pubsub('NUMSUB', channel))[1]);

  it('should leave no unhandled rejection when the store closes right as its connection comes back', async () => {
    const channel = `flygate:cache:invalidate:test-${randomUUID()}`;
    const redis = createRedis(server.url, { role: 'bus' });
    const subscriber = duplicateRedis(redis, INVALIDATIONS_CONNECTION) as Redis;
    const store = createRedisCacheStore({ redis, subscriber, channel });
    try {
      await store.start!();
      await expect.poll(() => subscribers(channel), { timeout: 2_000 }).toBe(1);
      const rejections = await unhandledDuring(async () => {
        const closedAtReady = new Promise<void>((resolve) =>
          subscriber.once('ready', () => {
            // Closed inside the 'ready' callback, and the socket dropped at once (as when Redis dies right then):
            // anything sent after 'ready' fails with "Connection is closed" before Redis could answer it.
            void store.close().then(resolve);
            subscriber.stream.destroy();
          }),
        );
        await admin.client('KILL', 'TYPE', 'pubsub');
        await closedAtReady;
      });
      expect(rejections).toEqual([]);
      expect(subscriber.status).toBe('end');
    } finally {
      await store.close();
      redis.disconnect();
    }
  });

  it("should hear the other instance's invalidations again after Redis restarts (it subscribes again itself)", async () => {
    const channel = `flygate:cache:invalidate:test-${randomUUID()}`;
    const redisA = createRedis(server.url, { role: 'bus' });
    const redisB = createRedis(server.url, { role: 'bus' });
    const a = createRedisCacheStore({ redis: redisA, channel });
    const b = createRedisCacheStore({ redis: redisB, channel });
    const heardByA: string[][] = [];
    a.onRemoteInvalidate!((tags) => heardByA.push([...tags]));
    try {
      await Promise.all([a.start!(), b.start!()]);
      await expect.poll(() => subscribers(channel), { timeout: 2_000 }).toBe(2);

      await server.restart();
      await expect.poll(() => subscribers(channel).catch(() => 0), { timeout: 10_000, interval: 100 }).toBe(2);
      await expect
        .poll(
          async () => {
            await b.invalidate(['{resubscribe}:machines']).catch(() => undefined);
            return heardByA.length;
          },
          { timeout: 5_000, interval: 100 },
        )
        .toBeGreaterThan(0);
      expect(heardByA[0]).toEqual(['{resubscribe}:machines']);
    } finally {
      await a.close();
      await b.close();
      redisA.disconnect();
      redisB.disconnect();
    }
  }, 30_000);
});
