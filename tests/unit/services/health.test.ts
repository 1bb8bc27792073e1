import { describe, expect, it } from 'vitest';
import { createManualClock } from '#src/lib/clock.js';
import { createHealthService } from '#src/services/health.js';

function setup(probeIntervalMs = 1_000) {
  const clock = createManualClock();
  let probes = 0;
  const health = createHealthService({
    mode: 'demo',
    clock,
    probeIntervalMs,
    probes: {
      fly: async () => {
        probes += 1;
      },
    },
  });
  return { clock, health, probes: () => probes };
}

describe('createHealthService.check', () => {
  it('should run one probe round for many concurrent callers when a refresh is in flight', async () => {
    const clock = createManualClock();
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const health = createHealthService({
      mode: 'live',
      clock,
      probes: {
        fly: async () => {
          calls += 1;
          await gate;
        },
      },
    });

    const reports = Array.from({ length: 50 }, () => health.check());
    release();

    const settled = await Promise.all(reports);
    expect(calls).toBe(1);
    expect(new Set(settled).size).toBe(1);
  });

  it('should answer from the cached report until the probe interval has passed since the last round began', async () => {
    const { clock, health, probes } = setup(5_000);
    await health.check();
    await clock.advance(4_999);
    for (let i = 0; i < 20; i++) await health.check();
    expect(probes()).toBe(1);

    await clock.advance(1);
    await health.check();

    expect(probes()).toBe(2);
  });

  it('should share one probe round per interval between many watchers when each asks every second', async () => {
    const { clock, health, probes } = setup(5_000);
    const watchers = Array.from({ length: 50 }, () => health.watch(1_000));
    await Promise.all(watchers.map((w) => w.next()));
    for (let second = 0; second < 10; second++) {
      const next = watchers.map((w) => w.next());
      await clock.advance(1_000);
      await Promise.all(next);
    }

    // Rounds at t=0, 5 s and 10 s only.
    expect(probes()).toBe(3);
    await Promise.all(watchers.map((w) => w.return!()));
  });
});

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

describe('degraded readiness', () => {
  const failing = async () => {
    throw new Error('connection refused');
  };
  const passing = async () => undefined;

  it('should report degraded, not failing, when only a degradable probe fails', async () => {
    const health = createHealthService({
      mode: 'live',
      clock: createManualClock(),
      probes: { fly: passing, redis: failing },
      degradable: ['redis'],
    });
    const report = await health.check();
    expect(report.status).toBe('degraded');
    expect(report.checks.find((c) => c.name === 'redis')).toMatchObject({ status: 'fail', message: 'connection refused' });
  });

  it('should still fail when a probe that is not degradable fails', async () => {
    const health = createHealthService({
      mode: 'live',
      clock: createManualClock(),
      probes: { fly: failing, redis: failing },
      degradable: ['redis'],
    });
    expect((await health.check()).status).toBe('fail');
  });
});
