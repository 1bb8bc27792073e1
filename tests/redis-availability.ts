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
  'tests/integration/api/deploy-token.test.ts',
  'tests/integration/api/postgres-events.test.ts',
  'tests/integration/gateway/private-key.test.ts',
  'tests/integration/gateway/secret-values.test.ts',
  'tests/integration/logs/live-logs.test.ts',
];

/** Test files that need a NATS server (`nats-server`); left out where it is not installed, always run in CI. */
export const NATS_TEST_FILES = ['tests/integration/logs/nats-logs.test.ts'];

/** Whether `nats-server` can be started here (on PATH, or Debian's /usr/sbin). */
export function hasNatsServer(): boolean {
  return ['nats-server', '/usr/sbin/nats-server'].some((bin) => spawnSync(bin, ['--version'], { stdio: 'ignore' }).status === 0);
}

/** Whether `redis-server` can be started here. */
export function hasRedisServer(): boolean {
  const result = spawnSync('redis-server', ['--version'], { stdio: 'ignore' });
  return result.status === 0;
}
