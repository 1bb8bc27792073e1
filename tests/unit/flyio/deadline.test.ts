import { afterEach, describe, expect, it } from 'vitest';
import { FlyApiError } from '#src/flyio/errors.js';
import { systemClock } from '#src/lib/clock.js';
import { buildMachine, createHarness, rejectionOf, type Harness } from './helpers.js';

const MACHINE = '/v1/apps/my-app/machines/m1';

describe('deadlines', () => {
  let h: Harness;
  afterEach(async () => {
    await h.agent.close();
  });

  it('should fail with DEADLINE_EXCEEDED within the deadline when the upstream hangs (real time)', async () => {
    h = createHarness({ clock: systemClock, deadlineMs: 200 });
    h.pool.intercept({ path: MACHINE, method: 'GET' }).reply(200, buildMachine()).delay(5000);
    const started = Date.now();
    const error = (await rejectionOf(h.client.machines.get({ app: 'my-app', machineId: 'm1' }))) as FlyApiError;
    const elapsed = Date.now() - started;
    expect(error.code).toBe('DEADLINE_EXCEEDED');
    expect(elapsed).toBeGreaterThanOrEqual(150);
    expect(elapsed).toBeLessThan(1500);
    expect(h.calls).toHaveLength(1);
  });

  it('should let a per-call deadline override the client default', async () => {
    h = createHarness({ deadlineMs: 60_000 });
    h.pool.intercept({ path: MACHINE, method: 'GET' }).reply(200, buildMachine()).delay(3000);
    const outcome = rejectionOf(h.client.machines.get({ app: 'my-app', machineId: 'm1' }, { deadlineMs: 500 }));
    await h.clock.advance(500);
    expect(((await outcome) as FlyApiError).code).toBe('DEADLINE_EXCEEDED');
  });

  it('should cover retries with one deadline instead of one per attempt', async () => {
    h = createHarness({
      rateLimit: false,
      deadlineMs: 1000,
      retry: { maxAttempts: 10, baseDelayMs: 400, maxDelayMs: 400 },
      random: () => 0.99,
    });
    h.pool.intercept({ path: MACHINE, method: 'GET' }).reply(503, {}).times(10);
    const outcome = rejectionOf(h.client.machines.get({ app: 'my-app', machineId: 'm1' }));
    for (let i = 0; i < 20; i++) await h.clock.advance(100);
    const error = (await outcome) as FlyApiError;
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    // 396 ms sleeps inside a 1000 ms budget leave room for three attempts, not ten.
    expect(h.calls).toHaveLength(3);
  });

  it('should abort with DEADLINE_EXCEEDED when the caller signal fires', async () => {
    h = createHarness();
    h.pool.intercept({ path: MACHINE, method: 'GET' }).reply(200, buildMachine()).delay(3000);
    const controller = new AbortController();
    const outcome = rejectionOf(h.client.machines.get({ app: 'my-app', machineId: 'm1' }, { signal: controller.signal }));
    await h.clock.advance(0);
    controller.abort();
    const error = (await outcome) as FlyApiError;
    expect(error.code).toBe('DEADLINE_EXCEEDED');
    expect(error.message).toMatch(/aborted by the caller/);
  });

  it('should not call Fly at all when the caller signal is already aborted', async () => {
    h = createHarness();
    const error = (await rejectionOf(
      h.client.machines.start({ app: 'my-app', machineId: 'm1' }, { signal: AbortSignal.abort() }),
    )) as FlyApiError;
    expect(error.code).toBe('DEADLINE_EXCEEDED');
    expect(h.calls).toHaveLength(0);
  });

  it('should give wait calls a deadline of their own timeout plus a margin', async () => {
    h = createHarness({ deadlineMs: 1000 });
    h.pool
      .intercept({ path: `${MACHINE}/wait?timeout=30`, method: 'GET' })
      .reply(200, { ok: true, state: 'started' })
      .delay(200);
    const pending = h.client.machines.wait({ app: 'my-app', machineId: 'm1', timeoutSeconds: 30 });
    // Well past the client default of 1 s on the clock, still inside 30 s + margin.
    await h.clock.advance(20_000);
    await expect(pending).resolves.toMatchObject({ reached: true, state: 'started' });
  });
});
