import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { useSharedRedisPair } from '../../helpers/redis-server.js';
import { createManualClock } from '#src/lib/clock.js';
import { createMemoryLock, type MemoryLockRegistry } from '#src/infra/memory/lock.js';
import { createRedisLock } from '#src/infra/redis/lock.js';
import { createRedis } from '#src/infra/redis/client.js';

const redis = useSharedRedisPair('test:lock-suite:*');

function twoHolders(ttlMs = 60_000) {
  const key = `test:lock-suite:${randomUUID()}`;
  return {
    key,
    a: createRedisLock({ redis: redis.a(), key, ttlMs, owner: 'a' }),
    b: createRedisLock({ redis: redis.b(), key, ttlMs, owner: 'b' }),
  };
}

describe('createRedisLock', () => {
  it('should let exactly one of two instances hold the lock', async () => {
    const { a, b } = twoHolders();
    expect(await a.acquire()).toBe(true);
    expect(await b.acquire()).toBe(false);
    expect([a.held, b.held]).toEqual([true, false]);
  });

  it('should let exactly one of many concurrent contenders win', async () => {
    const key = `test:lock-suite:${randomUUID()}`;
    const locks = Array.from({ length: 20 }, (_, i) =>
      createRedisLock({ redis: i % 2 ? redis.a() : redis.b(), key, ttlMs: 60_000, owner: `o${i}` }),
    );
    const results = await Promise.all(locks.map((lock) => lock.acquire()));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('should extend the expiry when the holder acquires again', async () => {
    const { a, key } = twoHolders();
    await a.acquire();
    await redis.a().pexpire(key, 5_000);
    expect(await a.acquire()).toBe(true);
    expect(await redis.a().pttl(key)).toBeGreaterThan(50_000);
  });

  it('should hand the lock to another instance when the holder stops renewing and it expires', async () => {
    const { a, b, key } = twoHolders();
    await a.acquire();
    expect(await b.acquire()).toBe(false);
    // The holder "dies": no more renewals, so its key expires (shortened here rather than waiting a full TTL).
    await redis.a().pexpire(key, 1);
    await vi.waitFor(async () => expect(await b.acquire()).toBe(true));
    expect(await a.acquire()).toBe(false);
    expect(a.held).toBe(false);
  });

  it('should not release a lock another instance has taken since', async () => {
    const { a, b, key } = twoHolders();
    await a.acquire();
    await redis.a().pexpire(key, 1);
    await vi.waitFor(async () => expect(await b.acquire()).toBe(true));
    await a.release();
    expect(await redis.a().get(key)).toBe('b');
  });

  it('should free the lock for others when the holder releases it', async () => {
    const { a, b } = twoHolders();
    await a.acquire();
    await a.release();
    expect(a.held).toBe(false);
    expect(await b.acquire()).toBe(true);
  });

  it('should consider itself no longer holding once its TTL has passed on its clock', async () => {
    const clock = createManualClock();
    const lock = createRedisLock({ redis: redis.a(), key: `test:lock-suite:${randomUUID()}`, ttlMs: 60_000, clock });
    await lock.acquire();
    await clock.advance(60_000);
    expect(lock.held).toBe(false);
  });

  it('should reject acquire when Redis cannot be reached', async () => {
    const dead = createRedis('redis://127.0.0.1:1', { role: 'bus' });
    const lock = createRedisLock({ redis: dead, key: 'k', ttlMs: 1_000 });
    await expect(lock.acquire()).rejects.toThrow();
    expect(lock.held).toBe(false);
    dead.disconnect();
  });

  it('should refuse a ttl that is not a positive integer', () => {
    expect(() => createRedisLock({ redis: redis.a(), key: 'k', ttlMs: 0 })).toThrow(/positive integer/);
  });
});

describe('createMemoryLock', () => {
  it('should behave like the Redis lock when two locks share a registry', async () => {
    const clock = createManualClock();
    const registry: MemoryLockRegistry = new Map();
    const a = createMemoryLock({ registry, clock, ttlMs: 1_000, owner: 'a' });
    const b = createMemoryLock({ registry, clock, ttlMs: 1_000, owner: 'b' });
    expect(await a.acquire()).toBe(true);
    expect(await b.acquire()).toBe(false);
    await clock.advance(999);
    expect(await a.acquire()).toBe(true);
    await clock.advance(999);
    expect(await b.acquire()).toBe(false);
    await clock.advance(1);
    expect(await b.acquire()).toBe(true);
    expect(a.held).toBe(false);
    await a.release();
    expect(b.held).toBe(true);
  });
});
