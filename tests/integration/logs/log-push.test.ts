import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '#src/emulator/emulator.js';
import { createFlyClient } from '#src/flyio/client.js';
import type { FlyClient } from '#src/flyio/types.js';
import { createRedis } from '#src/infra/redis/client.js';
import { createRedisEventBus } from '#src/infra/redis/event-bus.js';
import { createRedisLock } from '#src/infra/redis/lock.js';
import { createRedisLogCursorStore } from '#src/infra/redis/log-cursor-store.js';
import { systemClock } from '#src/lib/clock.js';
import { silentLogger } from '#src/lib/logger.js';
import { pushTo } from '#src/lib/push-stream.js';
import { createLogStreams, type LogStreams } from '#src/services/logs/log-streams.js';
import type { LogDelivery } from '#src/services/logs/types.js';
import type { EventBus } from '#src/services/ports.js';
import { INSTANT } from '../../helpers/test-gateway.js';
import { startRedisServer, type TestRedisServer } from '../../helpers/redis-server.js';

// Live log subscribers take the push path (src/lib/push-stream.ts), as machine events do: a consumer that arms a
// sink gets each line of its stream inside the bus's delivery loop, without calling next(); a sink that declines a
// line gets it and every later one through next(), in order, until it arms again. Two instances share one Redis
// (logs bus, lock, cursor), so one poll loop feeds every subscriber of both.

const series = (prefix: string, n: number, from = 1) => Array.from({ length: n }, (_, i) => `${prefix}${i + from}`);

/** Waits until `check` holds (polling every 20 ms), or fails after `ms`. */
async function until(check: () => boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const messageOf = (item: LogDelivery): string => (item.kind === 'line' ? item.message : `resync:${item.reason}`);

describe('live logs on the push path, two instances sharing Redis', () => {
  let redis: TestRedisServer;
  let emu: Emulator;
  let fly: FlyClient;
  const instances: Array<{ streams: LogStreams; bus: EventBus; close: () => Promise<void> }> = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    emu = createEmulator({ seed: 'none', delays: INSTANT });
    await emu.start({ port: 0, host: '127.0.0.1' });
    emu.control.createApp('pushed');
    fly = createFlyClient({ baseUrl: emu.url, platformBaseUrl: emu.url, token: emu.token, rateLimit: false });
    for (let i = 0; i < 2; i++) {
      const connection = createRedis(redis.url, { role: 'bus' });
      const bus = createRedisEventBus({ redis: connection, stream: 'flygate:logs', logger: silentLogger });
      await bus.start();
      const streams = createLogStreams({
        bus,
        cursors: createRedisLogCursorStore({ redis: connection }),
        lockFor: (key, ttlMs) => createRedisLock({ redis: connection, key, ttlMs }),
        clock: systemClock,
        logger: silentLogger,
      });
      instances.push({
        streams,
        bus,
        close: async () => {
          await streams.close();
          await bus.close();
          connection.disconnect();
        },
      });
    }
  });
  afterAll(async () => {
    for (const instance of instances) await instance.close();
    await fly?.close();
    await emu?.stop();
    await redis?.stop();
  });

  it('should push every line in order to many subscribers on both instances from one poll loop, and let a declining one fall back to next() without losing order', async () => {
    const append = (message: string, instance = 'm1') =>
      emu.logs.append({ app: 'pushed', instance, region: 'iad', level: 'info', message });
    // Twenty pushing subscribers per instance; they never call next(), so whatever they get came through the sink.
    const pushed = instances.flatMap(({ streams }) =>
      Array.from({ length: 20 }, () => {
        const got: string[] = [];
        const stream = streams.follow('tenant', fly, { app: 'pushed' });
        expect(pushTo<LogDelivery>(stream, (item) => got.push(messageOf(item)) > 0)).toBe(true);
        return { stream, got };
      }),
    );
    // One filtered subscriber (machine m2 only) and one that declines the fifth line it is offered.
    const filteredGot: string[] = [];
    const filtered = instances[1]!.streams.follow('tenant', fly, { app: 'pushed', machineId: 'm2' });
    pushTo<LogDelivery>(filtered, (item) => filteredGot.push(messageOf(item)) > 0);
    const slowPushed: string[] = [];
    const slow = instances[0]!.streams.follow('tenant', fly, { app: 'pushed' });
    pushTo<LogDelivery>(slow, (item) => (slowPushed.length === 4 ? false : slowPushed.push(messageOf(item)) > 0));
    try {
      const status = () => instances.flatMap(({ streams }) => streams.status());
      await until(() => status().some((s) => s.polling));

      for (let i = 1; i <= 30; i++) append(`p-${i}`, i % 3 === 0 ? 'm2' : 'm1');
      await until(() => pushed.every(({ got }) => got.length >= 30));
      for (const { got } of pushed) expect(got).toEqual(series('p-', 30));
      expect(filteredGot).toEqual(series('p-', 30).filter((_, i) => (i + 1) % 3 === 0));
      // One poll loop for the whole deployment: one follower per instance, one of them polling.
      expect(status()).toHaveLength(2);
      expect(status().filter((s) => s.polling)).toHaveLength(1);
      expect(
        status()
          .map((s) => s.subscribers)
          .sort(),
      ).toEqual([21, 21]);

      // The declined line and the ones after it wait for next(), in order; the sink got nothing past the fourth.
      expect(slowPushed).toEqual(series('p-', 4));
      const pulled: string[] = [];
      for (let i = 0; i < 6; i++) pulled.push(messageOf((await slow.next()).value as LogDelivery));
      expect(pulled).toEqual(series('p-', 6, 5));
      // Armed again: what is still buffered goes to the sink first, then new lines as they arrive.
      const rearmed: string[] = [];
      expect(pushTo<LogDelivery>(slow, (item) => rearmed.push(messageOf(item)) > 0)).toBe(true);
      expect(rearmed).toEqual(series('p-', 20, 11));
      for (let i = 31; i <= 40; i++) append(`p-${i}`);
      await until(() => rearmed.length >= 30 && pushed.every(({ got }) => got.length >= 40));
      expect([...slowPushed, ...pulled, ...rearmed]).toEqual(series('p-', 40));
      for (const { got } of pushed) expect(got).toEqual(series('p-', 40));
    } finally {
      for (const { stream } of pushed) await stream.return?.();
      await filtered.return?.();
      await slow.return?.();
    }
    await until(() => instances.every(({ streams }) => streams.status().length === 0));
  }, 60_000);
});
