import { spawnSync } from 'node:child_process';

/**
 * Test files that need a Redis server. On a machine without `redis-server` they are left out (with a note), so
 * `npm test` passes with nothing but Node installed; in CI they always run (`.ci/run` provides Redis).
 */
export const REDIS_TEST_FILES = [
  'tests/integration/redis/**/*.test.ts',
  'tests/integration/events/fanout.test.ts',
  'tests/integration/events/redis-instances.test.ts',
  'tests/integration/events/resync.test.ts',
  'tests/integration/gateway/secrets.test.ts',
  'tests/integration/live/live-redis.test.ts',
];

/** Whether `redis-server` can be started here. */
export function hasRedisServer(): boolean {
  const result = spawnSync('redis-server', ['--version'], { stdio: 'ignore' });
  return result.status === 0;
}
