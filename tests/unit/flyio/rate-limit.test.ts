import { afterEach, describe, expect, it } from 'vitest';
import { FlyApiError } from '#src/flyio/errors.js';
import { createRateBudget } from '#src/flyio/rate-limit.js';
import { createManualClock } from '#src/lib/clock.js';
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
    h.pool
      .intercept({ path: `${MACHINE}/start`, method: 'POST' })
      .reply(200, {})
      .times(4);
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
    h.pool
      .intercept({ path: `${MACHINE}/stop`, method: 'POST' })
      .reply(200, {})
      .times(10);
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
    h.pool
      .intercept({ path: `${MACHINE}/start`, method: 'POST' })
      .reply(200, {})
      .times(3);
    await Promise.all([1, 2, 3].map(() => h.client.machines.start(REF)));
    const error = (await rejectionOf(h.client.machines.start(REF, { deadlineMs: 500 }))) as FlyApiError;
    expect(error.code).toBe('RATE_LIMITED');
    expect(h.calls).toHaveLength(3);
  });

  it('should keep separate buckets per machine and per action', async () => {
    h = createHarness();
    h.pool
      .intercept({ path: (p) => p.endsWith('/start') || p.endsWith('/stop'), method: 'POST' })
      .reply(200, {})
      .times(9);
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
    h.pool
      .intercept({ path: MACHINE, method: 'GET' })
      .reply(200, buildMachine({ id: 'm1' }))
      .times(11);
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
    h.pool
      .intercept({ path: `${MACHINE}/start`, method: 'POST' })
      .reply(200, {})
      .times(8);
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

describe('createRateBudget arithmetic', () => {
  /** A clock whose `now` the test sets directly, including backwards. */
  function settableClock(start = 1_000_000) {
    const manual = createManualClock(start);
    let now = start;
    return { clock: { ...manual, now: () => now }, set: (ms: number) => (now = ms), manual };
  }

  it('should refill fractions of a token in proportion to elapsed time', async () => {
    const clock = createManualClock();
    const budget = createRateBudget({ clock, defaultRule: { ratePerSecond: 5, burst: 2 }, queueMarginMs: 0 });
    await budget.acquire('a', 's', 0);
    await budget.acquire('a', 's', 0);
    await clock.advance(100);
    // Half a token is back: the rest takes 100 ms more at 5 per second.
    expect(await budget.acquire('a', 's', 0)).toEqual({ ok: false, retryAfterMs: 100 });
    await clock.advance(100);
    expect(await budget.acquire('a', 's', 0)).toEqual({ ok: true, waitedMs: 0 });
    expect(await budget.acquire('a', 's', 0)).toEqual({ ok: false, retryAfterMs: 200 });
  });

  it('should compute the wait from the rate and add the queue margin', async () => {
    const clock = createManualClock();
    const budget = createRateBudget({ clock, defaultRule: { ratePerSecond: 0.5, burst: 1 }, queueMarginMs: 7 });
    await budget.acquire('a', 's', 0);
    expect(await budget.acquire('a', 's', 0)).toEqual({ ok: false, retryAfterMs: 2007 });
    await clock.advance(500);
    expect(await budget.acquire('a', 's', 0)).toEqual({ ok: false, retryAfterMs: 1507 });
  });

  it('should never hold more than the burst however long the bucket idles', async () => {
    const clock = createManualClock();
    const budget = createRateBudget({ clock, queueMarginMs: 0 });
    await budget.acquire('a', 's', 0);
    await clock.advance(3_600_000);
    for (let i = 0; i < 3; i++) expect((await budget.acquire('a', 's', 0)).ok).toBe(true);
    expect(await budget.acquire('a', 's', 0)).toEqual({ ok: false, retryAfterMs: 1000 });
  });

  it('should not take tokens away when the clock steps backwards', async () => {
    const { clock, set } = settableClock();
    const budget = createRateBudget({ clock, queueMarginMs: 0 });
    await budget.acquire('a', 's', 0);
    set(1_000_000 - 60_000);
    expect((await budget.acquire('a', 's', 0)).ok).toBe(true);
    expect((await budget.acquire('a', 's', 0)).ok).toBe(true);
    expect(await budget.acquire('a', 's', 0)).toEqual({ ok: false, retryAfterMs: 1000 });
    // Refill restarts from the backward step, not from the earlier, later time.
    set(1_000_000 - 59_000);
    expect((await budget.acquire('a', 's', 0)).ok).toBe(true);
  });

  it('should queue a caller whose wait equals maxWaitMs and report how long it waited', async () => {
    const clock = createManualClock();
    const budget = createRateBudget({ clock, defaultRule: { ratePerSecond: 1, burst: 1 } });
    await budget.acquire('a', 's', 0);
    const queued = budget.acquire('a', 's', 1050);
    await clock.advance(1050);
    expect(await queued).toEqual({ ok: true, waitedMs: 1050 });
  });

  it('should serve queued callers in arrival order, each reserving its slot', async () => {
    const clock = createManualClock();
    const budget = createRateBudget({ clock, defaultRule: { ratePerSecond: 1, burst: 1 }, queueMarginMs: 0 });
    await budget.acquire('a', 's', 0);
    const done: string[] = [];
    const first = budget.acquire('a', 's', 5000).then((r) => done.push(`first ${JSON.stringify(r)}`));
    const second = budget.acquire('a', 's', 5000).then((r) => done.push(`second ${JSON.stringify(r)}`));
    // A third would need a 3 s wait: shed, and it reserves nothing.
    expect(await budget.acquire('a', 's', 2999)).toEqual({ ok: false, retryAfterMs: 3000 });
    await clock.advance(1000);
    expect(done).toEqual(['first {"ok":true,"waitedMs":1000}']);
    await clock.advance(1000);
    await Promise.all([first, second]);
    expect(done).toEqual(['first {"ok":true,"waitedMs":1000}', 'second {"ok":true,"waitedMs":2000}']);
    // Both reservations are used up: the next token comes a second later.
    expect(await budget.acquire('a', 's', 0)).toEqual({ ok: false, retryAfterMs: 1000 });
  });

  it('should not consume a token when it sheds a call', async () => {
    const clock = createManualClock();
    const budget = createRateBudget({ clock, defaultRule: { ratePerSecond: 1, burst: 1 }, queueMarginMs: 0 });
    await budget.acquire('a', 's', 0);
    for (let i = 0; i < 5; i++) expect((await budget.acquire('a', 's', 10)).ok).toBe(false);
    await clock.advance(1000);
    expect(await budget.acquire('a', 's', 0)).toEqual({ ok: true, waitedMs: 0 });
  });

  it('should return the token when the signal is already aborted', async () => {
    const clock = createManualClock();
    const budget = createRateBudget({ clock, defaultRule: { ratePerSecond: 1, burst: 1 }, queueMarginMs: 0 });
    await budget.acquire('a', 's', 0);
    await expect(budget.acquire('a', 's', 5000, AbortSignal.abort(new Error('already gone')))).rejects.toThrow('already gone');
    expect(await budget.acquire('a', 's', 0)).toEqual({ ok: false, retryAfterMs: 1000 });
  });

  it('should use the rule of the action, the Fly rules by default, and the default rule otherwise', async () => {
    const clock = createManualClock();
    const fly = createRateBudget({ clock, queueMarginMs: 0 });
    for (let i = 0; i < 10; i++) expect((await fly.acquire('machines.get', 'm', 0)).ok).toBe(true);
    expect(await fly.acquire('machines.get', 'm', 0)).toEqual({ ok: false, retryAfterMs: 200 });
    const custom = createRateBudget({
      clock,
      queueMarginMs: 0,
      rules: { slow: { ratePerSecond: 0.25, burst: 1 } },
      defaultRule: { ratePerSecond: 2, burst: 2 },
    });
    expect((await custom.acquire('slow', 'x', 0)).ok).toBe(true);
    expect(await custom.acquire('slow', 'x', 0)).toEqual({ ok: false, retryAfterMs: 4000 });
    // With explicit rules the Fly table no longer applies: machines.get gets the default rule.
    expect((await custom.acquire('machines.get', 'x', 0)).ok).toBe(true);
    expect((await custom.acquire('machines.get', 'x', 0)).ok).toBe(true);
    expect(await custom.acquire('machines.get', 'x', 0)).toEqual({ ok: false, retryAfterMs: 500 });
  });

  it('should keep one bucket per action and scope pair', async () => {
    const clock = createManualClock();
    const budget = createRateBudget({ clock, defaultRule: { ratePerSecond: 1, burst: 1 } });
    for (const [action, scope] of [
      ['a', 'b'],
      ['a', 'c'],
      ['ab', ''],
      ['a', 'b\u0000'],
    ])
      expect((await budget.acquire(action!, scope!, 0)).ok).toBe(true);
    expect(budget.size()).toBe(4);
  });

  it('should evict a full bucket before a busy older one when at the cap', async () => {
    const clock = createManualClock();
    const budget = createRateBudget({ clock, maxBuckets: 2, queueMarginMs: 0, defaultRule: { ratePerSecond: 1, burst: 3 } });
    for (let i = 0; i < 3; i++) await budget.acquire('a', 'busy', 0);
    await budget.acquire('a', 'idle', 0);
    await clock.advance(1000);
    // 'busy' (oldest) has 1 token, 'idle' is full again: the new bucket replaces 'idle'.
    await budget.acquire('a', 'new', 0);
    expect(budget.size()).toBe(2);
    expect((await budget.acquire('a', 'busy', 0)).ok).toBe(true);
    expect(await budget.acquire('a', 'busy', 0)).toEqual({ ok: false, retryAfterMs: 1000 });
  });

  it('should drop the least recently used bucket when none is idle', async () => {
    const clock = createManualClock();
    const budget = createRateBudget({ clock, maxBuckets: 2, queueMarginMs: 0, defaultRule: { ratePerSecond: 1, burst: 1 } });
    await budget.acquire('a', 'first', 0);
    await budget.acquire('a', 'second', 0);
    // Touching 'first' (a shed call) makes 'second' the least recently used.
    await budget.acquire('a', 'first', 0);
    await budget.acquire('a', 'third', 0);
    expect(budget.size()).toBe(2);
    expect(await budget.acquire('a', 'first', 0)).toEqual({ ok: false, retryAfterMs: 1000 });
    expect(budget.size()).toBe(2);
    // 'second' was dropped, so it comes back as a fresh, full bucket (evicting 'third').
    expect(await budget.acquire('a', 'second', 0)).toEqual({ ok: true, waitedMs: 0 });
  });

  it('should sweep idle buckets on the 1000th acquire and not before', async () => {
    const clock = createManualClock();
    const budget = createRateBudget({ clock, defaultRule: { ratePerSecond: 1, burst: 1 } });
    for (let i = 0; i < 10; i++) await budget.acquire('a', `m${i}`, 0);
    await clock.advance(1000);
    for (let i = 10; i < 999; i++) await budget.acquire('a', 'one', 0);
    expect(budget.size()).toBe(11);
    // The sweep runs before the 1000th call's own bucket is looked up; 'one' is busy, so it stays and still sheds.
    expect(await budget.acquire('a', 'one', 0)).toEqual({ ok: false, retryAfterMs: 1050 });
    expect(budget.size()).toBe(1);
  });

  it('should evict only as many idle buckets as it needs to make room', async () => {
    const clock = createManualClock();
    const budget = createRateBudget({ clock, maxBuckets: 3 });
    for (const scope of ['a', 'b', 'c']) await budget.acquire('x', scope, 0);
    await clock.advance(60_000);
    await budget.acquire('x', 'd', 0);
    expect(budget.size()).toBe(3);
  });
});
