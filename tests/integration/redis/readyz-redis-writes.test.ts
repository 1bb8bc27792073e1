import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedis } from '#src/infra/redis/client.js';
import { postWebhook, stateChanged, uniqueApp, useTwoInstancesOnPrivateRedis } from '../events/harness.js';

interface Readiness {
  status: number;
  body: { status: string; checks: Array<{ name: string; status: string; message?: string }> };
}

describe('readiness when Redis answers but refuses writes', () => {
  // Readiness probes every 100 ms here, so the report follows Redis quickly.
  const world = useTwoInstancesOnPrivateRedis({ env: { HEALTH_PROBE_INTERVAL_MS: '100' } });
  let admin: Redis;
  beforeAll(() => {
    admin = createRedis(world.redis.url, { role: 'bus' });
  });
  afterAll(() => admin?.disconnect());

  async function readiness(): Promise<Readiness> {
    const response = await world.a.gateway.fetch('http://gateway/readyz');
    return { status: response.status, body: (await response.json()) as Readiness['body'] };
  }

  it('should report degraded with the reason under noeviction OOM, and pass again once writes succeed', async () => {
    await expect.poll(async () => (await readiness()).body.status, { timeout: 3_000, interval: 100 }).toBe('pass');
    // Enough data that Redis is over 1 MB whatever its own baseline.
    await admin.set('ballast', 'x'.repeat(2 * 1024 * 1024));
    await admin.config('SET', 'maxmemory-policy', 'noeviction');
    await admin.config('SET', 'maxmemory', '1mb');
    try {
      // Redis still answers PING; only a write shows that it refuses writes.
      expect(await admin.ping()).toBe('PONG');
      await expect
        .poll(async () => readiness(), { timeout: 3_000, interval: 100 })
        .toMatchObject({
          status: 200,
          body: {
            status: 'degraded',
            checks: expect.arrayContaining([
              {
                name: 'redis',
                status: 'fail',
                latencyMs: expect.any(Number),
                message: expect.stringMatching(/^Redis refuses writes \(out of memory/),
              },
            ]),
          },
        });
      // What operators see in the report is what webhooks meet: nothing can be claimed or published.
      const app = uniqueApp();
      expect((await postWebhook(world.a.base, stateChanged(app, 'm1', 'started', 'stopped'))).status).toBe(503);
    } finally {
      await admin.config('SET', 'maxmemory', '0');
      await admin.del('ballast');
    }
    await expect.poll(async () => (await readiness()).body.status, { timeout: 3_000, interval: 100 }).toBe('pass');
    const app = uniqueApp();
    expect((await postWebhook(world.a.base, stateChanged(app, 'm1', 'started', 'stopped'))).status).toBe(204);
  }, 20_000);
});
