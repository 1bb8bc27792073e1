import { describe, expect, it } from 'vitest';
import { createRedisProbe, describeRedisFailure } from '#src/infra/redis/probe.js';
import type { RedisConnection } from '#src/infra/redis/client.js';

/** A connection whose SET fails with `message` (or succeeds without one). */
function connection(message?: string): RedisConnection {
  return {
    set: async () => {
      if (message) throw new Error(message);
      return 'OK';
    },
  } as unknown as RedisConnection;
}

describe('the Redis readiness probe', () => {
  it('should name an out-of-memory refusal for operators instead of quoting the driver', async () => {
    const probe = createRedisProbe({ redis: connection("OOM command not allowed when used memory > 'maxmemory'.") });
    await expect(probe(new AbortController().signal)).rejects.toThrow(
      'Redis refuses writes (out of memory: maxmemory reached and the eviction policy frees nothing)',
    );
  });

  it('should name read-only replicas and failing snapshots, and keep other failures readable', () => {
    expect(describeRedisFailure(new Error("READONLY You can't write against a read only replica."))).toMatch(/read-only replica/);
    expect(describeRedisFailure(new Error('MISCONF Redis is configured to save RDB snapshots'))).toMatch(/snapshots are failing/);
    expect(describeRedisFailure(new Error('connect ECONNREFUSED 127.0.0.1:6379'))).toBe(
      'Redis unavailable: connect ECONNREFUSED 127.0.0.1:6379',
    );
  });

  it('should pass when the write succeeds', async () => {
    await expect(createRedisProbe({ redis: connection() })(new AbortController().signal)).resolves.toBeUndefined();
  });
});
