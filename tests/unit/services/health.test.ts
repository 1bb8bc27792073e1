import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../../src/lib/clock.js';
import { createHealthService } from '../../../src/services/health.js';

function setup() {
  const clock = createManualClock();
  let probes = 0;
  const health = createHealthService({
    mode: 'demo',
    clock,
    probes: {
      fly: async () => {
        probes += 1;
      },
    },
  });
  return { clock, health, probes: () => probes };
}

describe('createHealthService.watch', () => {
  it('should report at once and then once per interval when consumed', async () => {
    const { clock, health, probes } = setup();
    const ticks = health.watch(1_000);

    await expect(ticks.next()).resolves.toMatchObject({ done: false, value: { status: 'pass' } });
    const second = ticks.next();
    await clock.advance(999);
    expect(probes()).toBe(1);
    await clock.advance(1);

    await expect(second).resolves.toMatchObject({ done: false, value: { status: 'pass' } });
    expect(probes()).toBe(2);
  });

  it('should end the pending wait without probing again when the consumer returns', async () => {
    const { clock, health, probes } = setup();
    const ticks = health.watch(60_000);
    await ticks.next();
    const pending = ticks.next();

    await ticks.return!();

    await expect(pending).resolves.toEqual({ value: undefined, done: true });
    expect(probes()).toBe(1);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('should end the pending wait and leave no timer when the signal aborts between ticks', async () => {
    const { clock, health } = setup();
    const shutdown = new AbortController();
    const ticks = health.watch(1_000, shutdown.signal);
    for (let i = 0; i < 3; i++) {
      const next = ticks.next();
      await clock.advance(1_000);
      await next;
    }
    const pending = ticks.next();

    shutdown.abort();

    await expect(pending).resolves.toEqual({ value: undefined, done: true });
    expect(clock.pendingTimers()).toBe(0);
  });
});
