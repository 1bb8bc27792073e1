import { afterEach, describe, expect, it } from 'vitest';
import { FlyApiError } from '../../../src/flyio/errors.js';
import { createRateBudget } from '../../../src/flyio/rate-limit.js';
import { createManualClock } from '../../../src/lib/clock.js';
import { buildMachine, createHarness, rejectionOf, type Harness } from './helpers.js';

const MACHINE = '/v1/apps/my-app/machines/m1';
const REF = { app: 'my-app', machineId: 'm1' };

function track<T>(promise: Promise<T>) {
  const state = { settled: false, value: undefined as T | undefined, error: undefined as unknown };
  promise.then(
    (value) => Object.assign(state, { settled: true, value }),
    (error: unknown) => Object.assign(state, { settled: true, error }),
  );
  return state;
}

describe('client rate budgets', () => {
  let h: Harness;
  afterEach(async () => {
    await h.agent.close();
  });

  it('should pass a burst of 3 and queue the 4th start until the clock frees a token', async () => {
    h = createHarness();
    h.pool.intercept({ path: `${MACHINE}/start`, method: 'POST' }).reply(200, {}).times(4);
    const results = [1, 2, 3, 4].map(() => track(h.client.machines.start(REF)));
    await h.clock.advance(0);
    await h.clock.advance(0);
    expect(results.map((r) => r.settled)).toEqual([true, true, true, false]);
    expect(h.calls).toHaveLength(3);
    // One token per second plus the 50 ms safety margin.
    await h.clock.advance(1049);
    expect(results[3].settled).toBe(false);
    await h.clock.advance(1);
    await h.clock.advance(0);
    expect(results[3].settled).toBe(true);
    expect(results[3].error).toBeUndefined();
    expect(h.calls).toHaveLength(4);
  });

  it('should shed with RATE_LIMITED without calling Fly when the queue wait would exceed 2 s', async () => {
    h = createHarness();
    h.pool.intercept({ path: `${MACHINE}/stop`, method: 'POST' }).reply(200, {}).times(10);
    const results = [1, 2, 3, 4, 5, 6].map(() => track(h.client.machines.stop(REF)));
    await h.clock.advance(0);
    // 4th waits 1.05 s; 5th and 6th would wait 2.05 s, beyond the 2 s queue bound.
    for (const shed of results.slice(4)) {
      expect(shed.settled).toBe(true);
      const error = shed.error as FlyApiError;
      expect(error).toBeInstanceOf(FlyApiError);
      expect(error.code).toBe('RATE_LIMITED');
      expect(error.retryAfterSeconds).toBe(3);
      expect(error.httpStatus).toBeUndefined();
    }
    await h.clock.advance(1100);
    await h.clock.advance(0);
    expect(results.slice(0, 4).every((r) => r.settled && r.error === undefined)).toBe(true);
    expect(h.calls).toHaveLength(4);
  });

  it('should bound the queue wait by the call deadline when it is shorter than 2 s', async () => {
    h = createHarness();
    h.pool.intercept({ path: `${MACHINE}/start`, method: 'POST' }).reply(200, {}).times(3);
    await Promise.all([1, 2, 3].map(() => h.client.machines.start(REF)));
    const error = (await rejectionOf(h.client.machines.start(REF, { deadlineMs: 500 }))) as FlyApiError;
    expect(error.code).toBe('RATE_LIMITED');
    expect(h.calls).toHaveLength(3);
  });

  it('should keep separate buckets per machine and per action', async () => {
    h = createHarness();
    h.pool.intercept({ path: (p) => p.endsWith('/start') || p.endsWith('/stop'), method: 'POST' }).reply(200, {}).times(9);
    const calls = [
      ...[1, 2, 3].map(() => h.client.machines.start(REF)),
      ...[1, 2, 3].map(() => h.client.machines.stop(REF)),
      ...[1, 2, 3].map(() => h.client.machines.start({ app: 'my-app', machineId: 'm2' })),
    ];
    await Promise.all(calls);
    expect(h.calls).toHaveLength(9);
  });

  it('should allow a burst of 10 for machines.get', async () => {
    h = createHarness();
    h.pool.intercept({ path: MACHINE, method: 'GET' }).reply(200, buildMachine({ id: 'm1' })).times(11);
    const results = Array.from({ length: 11 }, () => track(h.client.machines.get(REF)));
    await h.clock.advance(0);
    await h.clock.advance(0);
    expect(results.filter((r) => r.settled)).toHaveLength(10);
    await h.clock.advance(250);
    await h.clock.advance(0);
    expect(results.every((r) => r.settled && r.error === undefined)).toBe(true);
  });

  it('should send everything at once when rateLimit is false', async () => {
    h = createHarness({ rateLimit: false });
    h.pool.intercept({ path: `${MACHINE}/start`, method: 'POST' }).reply(200, {}).times(8);
    await Promise.all(Array.from({ length: 8 }, () => h.client.machines.start(REF)));
    expect(h.calls).toHaveLength(8);
  });
});

describe('createRateBudget', () => {
  it('should refill at the configured rate when the clock advances', async () => {
    const clock = createManualClock();
    const budget = createRateBudget({ clock });
    for (let i = 0; i < 3; i++) expect(await budget.acquire('a', 's', 0)).toEqual({ ok: true, waitedMs: 0 });
    expect(await budget.acquire('a', 's', 0)).toEqual({ ok: false, retryAfterMs: 1050 });
    await clock.advance(1000);
    expect(await budget.acquire('a', 's', 0)).toEqual({ ok: true, waitedMs: 0 });
  });

  it('should return the token when a queued caller is aborted', async () => {
    const clock = createManualClock();
    const budget = createRateBudget({ clock, defaultRule: { ratePerSecond: 1, burst: 1 } });
    await budget.acquire('a', 's', 0);
    const controller = new AbortController();
    const queued = budget.acquire('a', 's', 5000, controller.signal);
    controller.abort(new Error('gone'));
    await expect(queued).rejects.toThrow('gone');
    await clock.advance(1000);
    expect(await budget.acquire('a', 's', 0)).toEqual({ ok: true, waitedMs: 0 });
  });

  it('should evict idle buckets so memory stays bounded when many scopes are seen', async () => {
    const clock = createManualClock();
    const budget = createRateBudget({ clock, maxBuckets: 100 });
    for (let i = 0; i < 1000; i++) await budget.acquire('machines.start', `m${i}`, 0);
    expect(budget.size()).toBeLessThanOrEqual(100);
  });

  it('should sweep long-idle buckets even below the cap', async () => {
    const clock = createManualClock();
    const budget = createRateBudget({ clock });
    for (let i = 0; i < 500; i++) await budget.acquire('machines.start', `m${i}`, 0);
    expect(budget.size()).toBe(500);
    await clock.advance(10_000);
    for (let i = 0; i < 500; i++) await budget.acquire('machines.stop', 'one', 0);
    expect(budget.size()).toBe(1);
  });
});
