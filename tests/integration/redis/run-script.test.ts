import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { createRedis } from '#src/infra/redis/client.js';
import { redisScript, runScript } from '#src/infra/redis/script.js';
import { GCRA } from '#src/infra/redis/gcra-script.js';
import { createRedisDedupeStore } from '#src/infra/redis/dedupe-store.js';
import { commandCalls, usePrivateRedis } from '../../helpers/redis-server.js';

const calls = commandCalls;

describe('Lua scripts run by digest', () => {
  // A private server: the test flushes Redis's script cache and resets its command counters.
  const redisServer = usePrivateRedis();
  let admin: Redis;
  let redis: Redis;
  beforeAll(() => {
    admin = redisServer.admin();
    redis = createRedis(redisServer.server().url, { role: 'bus' });
  });
  afterAll(() => redis.disconnect());

  it('should send the text once, when Redis lacks the script, and only its digest after that', async () => {
    const script = redisScript("return redis.call('INCRBY', KEYS[1], ARGV[1])");
    await admin.script('FLUSH');
    await admin.config('RESETSTAT');
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await runScript(redis, script, ['run-script:counter'], ['2']));
    expect(results).toEqual([2, 4, 6, 8, 10]);
    expect(await calls(admin, 'eval')).toBe(1);
    // The first EVALSHA was answered NOSCRIPT; the other four ran.
    expect(await calls(admin, 'evalsha')).toBe(5);
  });

  it('should run again by text after Redis forgot its scripts (a restart or SCRIPT FLUSH)', async () => {
    const script = redisScript("return redis.call('GET', KEYS[1])");
    await redis.set('run-script:value', 'kept');
    expect(await runScript(redis, script, ['run-script:value'], [])).toBe('kept');
    await admin.script('FLUSH');
    expect(await runScript(redis, script, ['run-script:value'], [])).toBe('kept');
  });

  it('should pass errors other than NOSCRIPT on, without running the text', async () => {
    const script = redisScript("return redis.error_reply('BROKEN on purpose')");
    await admin.config('RESETSTAT');
    await runScript(redis, script, [], []).catch(() => undefined);
    await admin.config('RESETSTAT');
    await expect(runScript(redis, script, [], [])).rejects.toThrow('BROKEN on purpose');
    expect(await calls(admin, 'eval')).toBe(0);
  });

  it("should keep the hot paths' scripts off EVAL: a webhook's dedupe claim and the shared rate budget", async () => {
    const dedupe = createRedisDedupeStore({ redis, prefix: 'run-script:dedupe:' });
    await dedupe.claim('warm-up');
    await runScript(redis, GCRA, ['run-script:gcra'], ['100', '5', '0']);
    await admin.config('RESETSTAT');
    for (let i = 0; i < 10; i++) {
      expect(await dedupe.claim(`event-${i}`)).toBe('claimed');
      await dedupe.commit(`event-${i}`);
      await runScript(redis, GCRA, ['run-script:gcra'], ['100', '5', '0']);
    }
    expect(await calls(admin, 'eval')).toBe(0);
    expect(await calls(admin, 'evalsha')).toBe(20);
  });
});
