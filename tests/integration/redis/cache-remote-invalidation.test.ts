import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createRedisCacheStore } from '#src/infra/redis/cache-store.js';
import { useSharedRedisPair } from '../../helpers/redis-server.js';

describe('remote invalidations of the Redis cache store', () => {
  const redis = useSharedRedisPair('flygate:cache:tag:{live-test-*');

  it("should tell each store about the other's invalidations and never about its own", async () => {
    const channel = `flygate:cache:invalidate:test-${randomUUID()}`;
    const a = createRedisCacheStore({ redis: redis.a(), channel });
    const b = createRedisCacheStore({ redis: redis.b(), channel });
    const heardByA: string[][] = [];
    const heardByB: string[][] = [];
    a.onRemoteInvalidate!((tags) => heardByA.push([...tags]));
    b.onRemoteInvalidate!((tags) => heardByB.push([...tags]));
    try {
      // The first command of each store subscribes it to the channel.
      await Promise.all([a.get('flygate:cache:{live-test-x}:k'), b.get('flygate:cache:{live-test-x}:k')]);
      await expect.poll(async () => (await redis.a().pubsub('NUMSUB', channel))[1], { timeout: 2_000 }).toBe(2);

      await a.invalidate(['{live-test-1}:machines']);
      await b.invalidate(['{live-test-2}:machines', '{live-test-2}:app']);
      await a.invalidate(['{live-test-1}:machines']);
      await expect.poll(() => heardByB.length, { timeout: 2_000 }).toBe(2);
      // Redis delivers in publish order: once B's marker reached A, A's own echoes (published earlier) have too.
      await b.invalidate(['{live-test-3}:machines']);
      await expect.poll(() => heardByA.length, { timeout: 2_000 }).toBe(2);
      expect(heardByB).toEqual([['{live-test-1}:machines'], ['{live-test-1}:machines']]);
      expect(heardByA).toEqual([['{live-test-2}:machines', '{live-test-2}:app'], ['{live-test-3}:machines']]);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
