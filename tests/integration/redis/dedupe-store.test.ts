import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useSharedRedisPair } from '../../helpers/redis-server.js';
import { createRedisDedupeStore } from '#src/infra/redis/dedupe-store.js';

// Committed ids live 72 h; the helper removes what these tests wrote from the shared Redis.
const redis = useSharedRedisPair('test:dedupe:*');

function stores() {
  const prefix = `test:dedupe:${randomUUID()}:`;
  return { prefix, a: createRedisDedupeStore({ redis: redis.a(), prefix }), b: createRedisDedupeStore({ redis: redis.b(), prefix }) };
}

describe('createRedisDedupeStore', () => {
  it('should report duplicate on another instance once an id is committed, and keep it for 72 h', async () => {
    const { a, b, prefix } = stores();
    expect(await a.claim('msg_1')).toBe('claimed');
    await a.commit('msg_1');
    expect(await b.claim('msg_1')).toBe('duplicate');
    const ttl = await redis.a().pttl(`${prefix}msg_1`);
    expect(ttl).toBeGreaterThan(71 * 3_600_000);
    expect(ttl).toBeLessThanOrEqual(72 * 3_600_000);
  });

  it('should report in-flight while a claim is uncommitted, with a short expiry', async () => {
    const { a, b, prefix } = stores();
    await a.claim('msg_1');
    expect(await b.claim('msg_1')).toBe('in-flight');
    expect(await redis.a().pttl(`${prefix}msg_1`)).toBeLessThanOrEqual(10_000);
  });

  it('should let exactly one of many concurrent claims win', async () => {
    const { a, b } = stores();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).claim('msg_1')));
    expect(results.filter((r) => r === 'claimed')).toHaveLength(1);
  });

  it('should accept the id again after release, but never forget a committed one', async () => {
    const { a, b } = stores();
    await a.claim('x');
    await a.release('x');
    expect(await b.claim('x')).toBe('claimed');
    await b.commit('x');
    await a.release('x');
    expect(await a.claim('x')).toBe('duplicate');
  });

  it('should leave a claim to its claimant: another instance releasing the id does not free it', async () => {
    const { a, b } = stores();
    expect(await a.claim('y')).toBe('claimed');
    await b.release('y');
    expect(await b.claim('y')).toBe('in-flight');
    await a.release('y');
    expect(await b.claim('y')).toBe('claimed');
  });
});
