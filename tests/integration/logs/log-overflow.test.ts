import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '#src/emulator/emulator.js';
import { createFlyClient } from '#src/flyio/client.js';
import { createMemoryEventBus } from '#src/infra/memory/event-bus.js';
import { createMemoryLock } from '#src/infra/memory/lock.js';
import { createMemoryLogCursorStore } from '#src/infra/memory/log-cursor-store.js';
import { systemClock } from '#src/lib/clock.js';
import { silentLogger } from '#src/lib/logger.js';
import { createLogStreams } from '#src/services/logs/log-streams.js';
import { INSTANT } from '../../helpers/test-gateway.js';

// A live log subscriber that does not read holds at most LOGS_MAX_BUFFERED lines: past that its buffer is dropped
// for one RESYNC (overflow), and the lines after it still come, in order.

describe('live logs for a slow subscriber', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = createEmulator({ seed: 'none', delays: INSTANT });
    await emu.start({ port: 0, host: '127.0.0.1' });
    emu.control.createApp('slow');
  });
  afterAll(async () => emu?.stop());

  it('should replace an overflowing buffer with one RESYNC and go on with the next lines', async () => {
    const fly = createFlyClient({ baseUrl: emu.url, platformBaseUrl: emu.url, token: emu.token, rateLimit: false });
    const registry = new Map();
    const streams = createLogStreams({
      bus: createMemoryEventBus({ maxBuffered: 5 }),
      cursors: createMemoryLogCursorStore(systemClock),
      lockFor: (key, ttlMs) => createMemoryLock({ key, ttlMs, registry }),
      clock: systemClock,
      logger: silentLogger,
    });
    const stream = streams.follow('tenant', fly, { app: 'slow' });
    try {
      for (let i = 1; i <= 20; i++) emu.logs.append({ app: 'slow', instance: 'm1', region: 'iad', level: 'info', message: `s-${i}` });
      // Not reading while the loop polls and publishes all twenty.
      const deadline = Date.now() + 10_000;
      while ((emu.requestCounts()['logs.list'] ?? 0) < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 300));
      const first = await stream.next();
      expect(first.value).toEqual({ kind: 'resync', reason: 'overflow' });
      emu.logs.append({ app: 'slow', instance: 'm1', region: 'iad', level: 'info', message: 's-21' });
      const after: string[] = [];
      for (;;) {
        const item = (await stream.next()).value;
        if (item && item.kind === 'line') after.push(item.message);
        if (after.includes('s-21')) break;
      }
      // Whatever followed the RESYNC is in order and ends with the new line.
      expect(after).toEqual([...after].sort((a, b) => Number(a.slice(2)) - Number(b.slice(2))));
      expect(after.at(-1)).toBe('s-21');
      expect(after.length).toBeLessThanOrEqual(6);
    } finally {
      await stream.return?.();
      await streams.close();
      await fly.close();
    }
  });
});
