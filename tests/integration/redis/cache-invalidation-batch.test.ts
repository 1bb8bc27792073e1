import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { createRedis } from '#src/infra/redis/client.js';
import { createRedisCacheStore } from '#src/infra/redis/cache-store.js';
import { commandCalls, usePrivateRedis, type TestRedisServer } from '../../helpers/redis-server.js';

/** Scripts Redis ran (EVAL and EVALSHA) since the last `CONFIG RESETSTAT`. */
const scriptsRun = async (admin: Redis) => (await commandCalls(admin, 'eval')) + (await commandCalls(admin, 'evalsha'));

describe('invalidations of one turn of the event loop go to Redis together', () => {
  // A private server: the test resets Redis's command counters.
  const redisServer = usePrivateRedis();
  let server: TestRedisServer;
  let admin: Redis;
  beforeAll(() => {
    server = redisServer.server();
    admin = redisServer.admin();
  });

  it('should drop what each caller asked, in one script and one announcement, before any caller returns', async () => {
    const channel = `flygate:cache:invalidate:test-${randomUUID()}`;
    const redisA = createRedis(server.url, { role: 'bus' });
    const redisB = createRedis(server.url, { role: 'bus' });
    const a = createRedisCacheStore({ redis: redisA, channel });
    const b = createRedisCacheStore({ redis: redisB, channel });
    const heardByB: string[][] = [];
    b.onRemoteInvalidate!((tags) => heardByB.push([...tags]));
    try {
      await Promise.all([a.start!(), b.start!()]);
      // Entries of three apps: two are invalidated in the same turn, the third stays.
      for (const app of ['one', 'two', 'three']) await a.set(`flygate:cache:{${app}}:machines`, app, 60_000, [`{${app}}:machines`]);
      // The first invalidation loads the script in Redis; once B heard it, the counting starts.
      await a.invalidate(['{warm-up}:machines']);
      await expect.poll(() => heardByB.length, { timeout: 2_000 }).toBe(1);
      heardByB.length = 0;
      await admin.config('RESETSTAT');

      const returned: string[] = [];
      const left = async () => Number(await admin.exists('flygate:cache:{one}:machines', 'flygate:cache:{two}:machines'));
      await Promise.all([
        a.invalidate(['{one}:machines']).then(async () => returned.push(`one:${await left()}`)),
        a.invalidate(['{two}:machines', '{one}:machines']).then(async () => returned.push(`two:${await left()}`)),
      ]);
      // Both callers returned with both entries already gone from Redis.
      expect(returned.sort()).toEqual(['one:0', 'two:0']);
      expect(await admin.exists('flygate:cache:{three}:machines')).toBe(1);
      expect(await scriptsRun(admin)).toBe(1);
      await expect.poll(() => heardByB, { timeout: 2_000 }).toEqual([['{one}:machines', '{two}:machines']]);

      // Turns apart, they stay apart: the second is not folded into a batch already sent.
      await admin.config('RESETSTAT');
      await a.invalidate(['{one}:machines']);
      await a.invalidate(['{two}:machines']);
      expect(await scriptsRun(admin)).toBe(2);
    } finally {
      await a.close();
      await b.close();
      redisA.disconnect();
      redisB.disconnect();
    }
  });

  it('should reject every caller of a batch Redis did not take, and replay their tags once it answers again', async () => {
    const channel = `flygate:cache:invalidate:test-${randomUUID()}`;
    const redis = createRedis(server.url, { role: 'bus' });
    const store = createRedisCacheStore({ redis, channel, retryPendingMs: 50 });
    try {
      await store.start!();
      await store.set('flygate:cache:{four}:machines', 'v', 60_000, ['{four}:machines']);
      await store.set('flygate:cache:{five}:machines', 'v', 60_000, ['{five}:machines']);
      // Scripts refused by Redis's ACL stand in for a Redis that cannot take the batch: it answers with an error.
      await admin.acl('SETUSER', 'default', '-evalsha');
      const outcomes = await Promise.allSettled([store.invalidate(['{four}:machines']), store.invalidate(['{five}:machines'])]);
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
      await admin.acl('SETUSER', 'default', '+evalsha');
      // Replayed on the next successful command, both tags at once.
      await store.get('flygate:cache:{six}:anything');
      await expect.poll(() => admin.exists('flygate:cache:{four}:machines', 'flygate:cache:{five}:machines'), { timeout: 3_000 }).toBe(0);
    } finally {
      await admin.acl('SETUSER', 'default', '+evalsha').catch(() => undefined);
      await store.close();
      redis.disconnect();
    }
  });
});
