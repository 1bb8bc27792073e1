import { describe, expect, it, vi } from 'vitest';
import { createRedis, redactRedisUrl, redisRoleOptions, redisUrlPassword } from '#src/infra/redis/client.js';

describe('createRedis', () => {
  it('should fail a cache command at once when Redis refuses connections', async () => {
    const redis = createRedis('redis://127.0.0.1:1', { role: 'cache' });
    const started = Date.now();
    await expect(redis.get('k')).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(500);
    redis.disconnect();
  });

  it('should report connection errors without the password', async () => {
    const onError = vi.fn();
    const redis = createRedis('redis://user:s3cr3t-pass@127.0.0.1:1', { role: 'cache', onError });
    await vi.waitFor(() => expect(onError).toHaveBeenCalled());
    redis.disconnect();
    const messages = onError.mock.calls.map(([message]) => String(message)).join('\n');
    expect(messages).toContain('redis://***:***@127.0.0.1:1');
    expect(messages).not.toContain('s3cr3t-pass');
  });

  it('should answer commands when Redis is up', async () => {
    const redis = createRedis('redis://127.0.0.1:6379', { role: 'bus' });
    expect(await redis.ping()).toBe('PONG');
    await redis.quit();
  });
});

describe('redisRoleOptions', () => {
  it('should give the subscriber no command timeout but a blocking guard', () => {
    expect(redisRoleOptions('subscriber')).toMatchObject({ commandTimeout: undefined, blockingTimeout: expect.any(Number) });
  });

  it('should make the cache fail fast', () => {
    expect(redisRoleOptions('cache')).toMatchObject({ enableOfflineQueue: false, commandTimeout: 150, maxRetriesPerRequest: 1 });
  });
});

describe('redactRedisUrl', () => {
  it('should mask the password and user when the URL carries them', () => {
    expect(redactRedisUrl('rediss://default:hunter2@cache.internal:6380/0')).toBe('rediss://***:***@cache.internal:6380/0');
    expect(redactRedisUrl('redis://:only-pass@h:1')).not.toContain('only-pass');
  });
});

describe('redisUrlPassword', () => {
  it('should return the decoded password when the URL carries one', () => {
    expect(redisUrlPassword('redis://user:p%40ss@127.0.0.1:6379')).toBe('p@ss');
  });

  it('should return undefined when the URL has no password or does not parse', () => {
    expect(redisUrlPassword('redis://127.0.0.1:6379')).toBeUndefined();
    expect(redisUrlPassword('not a url')).toBeUndefined();
  });
});
