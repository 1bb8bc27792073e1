import { describe, expect, it } from 'vitest';
import { createRateBudget, decideFairAcquire, fairShare, type RateBudget } from '#src/flyio/rate-limit.js';
import { createManualClock, type ManualClock } from '#src/lib/clock.js';

const RULE = { ratePerSecond: 1, burst: 3 };
/** What the Fly client allows a call to queue. */
const MAX_WAIT_MS = 2_000;

interface Tally {
  sent: number;
  shed: number;
  /** Clock time at which each granted call would go to Fly. */
  grantedAt: number[];
}

/**
 * A polls every `pollMs`, B every `calmMs`, for `runMs` of the manual clock; each call queues up to 2 s like the Fly
 * client's. Returns what each was granted and shed.
 */
async function contend(
  clock: ManualClock,
  budget: RateBudget,
  names: { a?: string; b?: string },
  { pollMs = 250, calmMs = 3_000, runMs = 60_000 } = {},
): Promise<{ a: Tally; b: Tally }> {
  const a: Tally = { sent: 0, shed: 0, grantedAt: [] };
  const b: Tally = { sent: 0, shed: 0, grantedAt: [] };
  const pending: Promise<void>[] = [];
  const ask = (tally: Tally, caller: string | undefined) => {
    tally.sent += 1;
    pending.push(
      budget.acquire('machines.list', 'web', MAX_WAIT_MS, undefined, caller).then((result) => {
        if (result.ok) tally.grantedAt.push(clock.now());
        else tally.shed += 1;
      }),
    );
  };
  const start = clock.now();
  for (let t = 0; t < runMs; t += 50) {
    if (t % pollMs === 0) ask(a, names.a);
    // B starts a little after A, once A has spent the burst.
    if (t % calmMs === 1_000) ask(b, names.b);
    await clock.advance(50);
  }
  await clock.advance(MAX_WAIT_MS + 100);
  await Promise.all(pending);
  expect(clock.now() - start).toBeGreaterThanOrEqual(runMs);
  return { a, b };
}

/** The most calls granted in any window of `windowMs` (as Fly would count them). */
function busiestWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((x, y) => x - y);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= windowMs) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe('Fly rate budget shared fairly between callers', () => {
  it('should serve a caller under its share while the caller polling above the budget is the one shed', async () => {
    const clock = createManualClock();
    const budget = createRateBudget({ clock, rules: {}, defaultRule: RULE, queueMarginMs: 0 });
    const { a, b } = await contend(clock, budget, { a: 'poller', b: 'dashboard' });
    expect(b.sent).toBe(20);
    expect(b.grantedAt.length / b.sent).toBeGreaterThanOrEqual(0.9);
    expect(a.shed).toBeGreaterThan(a.sent / 2);
    // A still gets what B leaves: together they use the budget, not half of it.
    expect(a.grantedAt.length + b.grantedAt.length).toBeGreaterThan(0.8 * 60);
  });

  it('should starve the calm caller when the callers are not told apart (the problem this solves)', async () => {
    const clock = createManualClock();
    const budget = createRateBudget({ clock, rules: {}, defaultRule: RULE, queueMarginMs: 0 });
    const { b } = await contend(clock, budget, {});
    expect(b.grantedAt.length / b.sent).toBeLessThan(0.5);
  });

  it('should never let the callers together exceed the bucket in any window', async () => {
    const clock = createManualClock();
    const budget = createRateBudget({ clock, rules: {}, defaultRule: RULE, queueMarginMs: 0 });
    const { a, b } = await contend(clock, budget, { a: 'poller', b: 'dashboard' }, { pollMs: 100, calmMs: 1_000 });
    const all = [...a.grantedAt, ...b.grantedAt];
    for (const windowMs of [1_000, 2_000, 5_000, 20_000]) expect(busiestWindow(all, windowMs)).toBeLessThanOrEqual(3 + windowMs / 1_000);
  });

  it('should give a lone caller the whole budget, burst included', async () => {
    const clock = createManualClock();
    const budget = createRateBudget({ clock, rules: {}, defaultRule: RULE, queueMarginMs: 0 });
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await budget.acquire('a', 's', 0, undefined, 'alone'));
    expect(results.map((r) => r.ok)).toEqual([true, true, true, false]);
  });

  it('should lend an idle caller share at once, but keep a token for each other active caller', async () => {
    const clock = createManualClock();
    const budget = createRateBudget({ clock, rules: {}, defaultRule: RULE, queueMarginMs: 0 });
    expect((await budget.acquire('a', 's', 0, undefined, 'calm')).ok).toBe(true);
    // 'busy' has a share of half a token a second and a burst of 1.5: one at once, then one lent; the last token
    // of the bucket stays for 'calm'.
    const busy = [];
    for (let i = 0; i < 3; i++) busy.push((await budget.acquire('a', 's', 0, undefined, 'busy')).ok);
    expect(busy).toEqual([true, false, false]);
    await clock.advance(1_000);
    expect((await budget.acquire('a', 's', 0, undefined, 'busy')).ok).toBe(true);
    expect((await budget.acquire('a', 's', 0, undefined, 'calm')).ok).toBe(true);
  });

  it('should forget a caller once it has been quiet for the share window', async () => {
    const clock = createManualClock();
    const budget = createRateBudget({ clock, rules: {}, defaultRule: RULE, queueMarginMs: 0, shareWindowMs: 5_000 });
    await budget.acquire('a', 's', 0, undefined, 'calm');
    await clock.advance(5_000);
    // Alone again: the full burst of 3.
    const busy = [];
    for (let i = 0; i < 4; i++) busy.push((await budget.acquire('a', 's', 0, undefined, 'busy')).ok);
    expect(busy).toEqual([true, true, true, false]);
  });

  it('should split the rate and the burst between active callers, never below one call', () => {
    expect(fairShare(RULE, 2)).toEqual({ ratePerSecond: 0.5, burst: 1.5 });
    expect(fairShare(RULE, 5)).toEqual({ ratePerSecond: 0.2, burst: 1 });
  });

  it('should queue within the share first, then take the bucket slot after it', () => {
    const verdict = decideFairAcquire({ rule: RULE, bucketTat: 10_000, callerTat: 12_000, active: 2, now: 10_000, maxWaitMs: 2_000 });
    // Share: 2 s per call, burst 1.5 (1 s of tolerance) -> 1 s wait; bucket slot at 11 s is free.
    expect(verdict).toEqual({ allowed: true, waitMs: 1_000, bucketTat: 12_000, callerTat: 14_000 });
    const over = decideFairAcquire({ rule: RULE, bucketTat: 13_000, callerTat: 14_000, active: 2, now: 10_000, maxWaitMs: 2_000 });
    expect(over).toEqual({ allowed: false, waitMs: 3_000 });
  });
});

describe('decideFairAcquire edge cases', () => {
  const NOW = 100_000;

  it('should let a recently shed caller queue one slot less, at the rule rate', () => {
    // 0.5 per second: one slot is 2 s, so a 2.5 s wait allows 0.5 s once shed.
    const rule = { ratePerSecond: 0.5, burst: 1 };
    const input = { rule, bucketTat: NOW + 2_000, callerTat: NOW + 2_000, active: 1, now: NOW, maxWaitMs: 2_500 };
    expect(decideFairAcquire(input)).toEqual({ allowed: true, waitMs: 2_000, bucketTat: NOW + 4_000, callerTat: NOW + 4_000 });
    expect(decideFairAcquire({ ...input, shedRecently: true })).toEqual({ allowed: false, waitMs: 2_000 });
    expect(decideFairAcquire({ ...input, bucketTat: NOW + 500, callerTat: NOW + 500, shedRecently: true })).toEqual({
      allowed: true,
      waitMs: 500,
      bucketTat: NOW + 2_500,
      callerTat: NOW + 2_500,
    });
  });

  it('should bound the bucket slot by what the share wait leaves of maxWaitMs and report both waits together', () => {
    const rule = { ratePerSecond: 1, burst: 1 };
    // Share: 1 s away. Bucket: its slot is 0.5 s after that, 1.5 s in all.
    const input = { rule, bucketTat: NOW + 1_500, callerTat: NOW + 1_000, active: 1, now: NOW };
    expect(decideFairAcquire({ ...input, maxWaitMs: 1_200 })).toEqual({ allowed: false, waitMs: 1_500 });
    expect(decideFairAcquire({ ...input, maxWaitMs: 1_500 })).toEqual({
      allowed: true,
      waitMs: 1_500,
      bucketTat: NOW + 2_500,
      callerTat: NOW + 2_000,
    });
  });

  it('should not lend a lone caller a token its own share refuses', () => {
    const verdict = decideFairAcquire({ rule: RULE, bucketTat: undefined, callerTat: NOW + 3_000, active: 1, now: NOW, maxWaitMs: 0 });
    expect(verdict).toEqual({ allowed: false, waitMs: 1_000 });
  });

  it('should lend a caller over its share a token at once only while one stays for each other active caller', () => {
    // 2 per second, burst 3: a slot is 500 ms. With two callers the share is 1 per second, burst 1.5.
    const rule = { ratePerSecond: 2, burst: 3 };
    const over = { rule, callerTat: NOW + 1_000, active: 2, now: NOW, maxWaitMs: 0 };
    // The share alone refuses: 500 ms to wait.
    expect(decideFairAcquire({ ...over, bucketTat: NOW + 2_000 })).toEqual({ allowed: false, waitMs: 500 });
    // A full bucket (3 tokens) lends one, and so does one with 2 left: the caller's share is left as it was.
    expect(decideFairAcquire({ ...over, bucketTat: undefined })).toEqual({
      allowed: true,
      waitMs: 0,
      bucketTat: NOW + 500,
      callerTat: NOW + 1_000,
    });
    expect(decideFairAcquire({ ...over, bucketTat: NOW + 500 })).toEqual({
      allowed: true,
      waitMs: 0,
      bucketTat: NOW + 1_000,
      callerTat: NOW + 1_000,
    });
    // Less than 2 tokens left: the last one is the other caller's.
    expect(decideFairAcquire({ ...over, bucketTat: NOW + 600 })).toEqual({ allowed: false, waitMs: 500 });
    // With three callers two tokens stay: only a full bucket lends.
    const three = { ...over, active: 3, callerTat: NOW + 2_000 };
    expect(decideFairAcquire({ ...three, bucketTat: undefined })).toMatchObject({ allowed: true, waitMs: 0, bucketTat: NOW + 500 });
    expect(decideFairAcquire({ ...three, bucketTat: NOW + 100 })).toMatchObject({ allowed: false });
  });
});

describe('Fly rate budget caller state', () => {
  /** A clock whose `now` the test sets directly, including backwards; sleeps run on `manual`. */
  function settableClock(start = 1_000_000) {
    const manual = createManualClock(start);
    let now = start;
    return { clock: { ...manual, now: () => now }, set: (ms: number) => (now = ms), manual };
  }
  const S = 1_000_000;

  it('should treat calls without a caller as the gateway caller named ""', async () => {
    const clock = createManualClock();
    const budget = createRateBudget({ clock, rules: {}, defaultRule: RULE, queueMarginMs: 0 });
    expect((await budget.acquire('a', 's', 0, undefined, '')).ok).toBe(true);
    // The same caller, alone on the bucket: the whole burst of 3.
    expect((await budget.acquire('a', 's', 0)).ok).toBe(true);
    expect((await budget.acquire('a', 's', 0)).ok).toBe(true);
    expect((await budget.acquire('a', 's', 0)).ok).toBe(false);
  });

  it('should shift every caller share back with the clock', async () => {
    const { clock, set } = settableClock();
    const budget = createRateBudget({ clock, rules: {}, defaultRule: RULE, queueMarginMs: 0 });
    await budget.acquire('a', 's', 0, undefined, 'first');
    set(S + 500);
    // 'second' shares with 'first': its share is 2 s a call, so it reaches 1.5 s past the bucket's next slot.
    expect((await budget.acquire('a', 's', 0, undefined, 'second')).ok).toBe(true);
    set(S + 500 - 60_000);
    expect(await budget.acquire('a', 's', 0, undefined, 'second')).toEqual({ ok: false, retryAfterMs: 1_000 });
    set(S + 1_500 - 60_000);
    expect(await budget.acquire('a', 's', 0, undefined, 'second')).toEqual({ ok: true, waitedMs: 0 });
  });

  it('should shift when each caller was last seen back with the clock', async () => {
    const { clock, set } = settableClock();
    const budget = createRateBudget({ clock, rules: {}, defaultRule: RULE, queueMarginMs: 0, shareWindowMs: 10_000 });
    await budget.acquire('a', 's', 0, undefined, 'first');
    await budget.acquire('a', 's', 0, undefined, 'second');
    // The bucket notices the step back on its next call ('second', over its share, is shed).
    set(S - 60_000);
    expect((await budget.acquire('a', 's', 0, undefined, 'second')).ok).toBe(false);
    // A window after the step back 'first' is no longer active: 'second' has the whole burst.
    set(S - 60_000 + 10_000);
    const second = [];
    for (let i = 0; i < 4; i++) second.push((await budget.acquire('a', 's', 0, undefined, 'second')).ok);
    expect(second).toEqual([true, true, true, false]);
  });

  it('should shift when a caller was last shed back with the clock', async () => {
    const { clock, set, manual } = settableClock();
    const budget = createRateBudget({
      clock,
      rules: {},
      defaultRule: { ratePerSecond: 1, burst: 1 },
      queueMarginMs: 0,
      shareWindowMs: 5_000,
    });
    await budget.acquire('a', 's', 0, undefined, 'poller');
    expect((await budget.acquire('a', 's', 500, undefined, 'poller')).ok).toBe(false);
    // The bucket notices the step back on the next call, which queues (so it is not shed again).
    set(S - 60_000);
    const queued = budget.acquire('a', 's', 2_500, undefined, 'poller');
    await manual.advance(1_000);
    expect(await queued).toEqual({ ok: true, waitedMs: 1_000 });
    // Exactly a window after the shed (on the stepped-back clock) it is forgotten: the caller may queue a full slot.
    set(S - 60_000 + 5_000);
    expect((await budget.acquire('a', 's', 0, undefined, 'poller')).ok).toBe(true);
    const again = budget.acquire('a', 's', 1_500, undefined, 'poller');
    await manual.advance(1_000);
    expect(await again).toEqual({ ok: true, waitedMs: 1_000 });
  });

  it('should let a caller shed within the window queue one slot less, and only then', async () => {
    const clock = createManualClock();
    const budget = createRateBudget({
      clock,
      rules: {},
      defaultRule: { ratePerSecond: 1, burst: 1 },
      queueMarginMs: 0,
      shareWindowMs: 5_000,
    });
    // Never shed: a 1 s wait fits in 1.5 s.
    await budget.acquire('a', 'calm', 0, undefined, 'c');
    const calm = budget.acquire('a', 'calm', 1_500, undefined, 'c');
    await clock.advance(1_000);
    expect(await calm).toEqual({ ok: true, waitedMs: 1_000 });
    // Shed once: the same call now has only 0.5 s of room.
    await budget.acquire('a', 'busy', 0, undefined, 'p');
    expect((await budget.acquire('a', 'busy', 500, undefined, 'p')).ok).toBe(false);
    const shed = budget.acquire('a', 'busy', 1_500, undefined, 'p');
    await clock.advance(1_000);
    expect(await shed).toEqual({ ok: false, retryAfterMs: 1_000 });
    // A window after that last shed it queues a full slot again.
    await clock.advance(4_000);
    expect((await budget.acquire('a', 'busy', 0, undefined, 'p')).ok).toBe(true);
    const again = budget.acquire('a', 'busy', 1_500, undefined, 'p');
    await clock.advance(1_000);
    expect(await again).toEqual({ ok: true, waitedMs: 1_000 });
  });

  it('should keep a quiet caller whose share is still refilling, and forget one whose share is full', async () => {
    const clock = createManualClock();
    const budget = createRateBudget({ clock, rules: {}, defaultRule: RULE, queueMarginMs: 0, shareWindowMs: 100 });
    await budget.acquire('a', 's', 0, undefined, 'first');
    await clock.advance(50);
    // Sharing with 'first': 'second' spends 2 s of its share, past the bucket's next slot.
    expect((await budget.acquire('a', 's', 0, undefined, 'second')).ok).toBe(true);
    await clock.advance(150);
    // Both are quiet for longer than the window; 'third' is alone and takes a token.
    expect((await budget.acquire('a', 's', 0, undefined, 'third')).ok).toBe(true);
    // 'second' still owes 850 ms of its share (a forgotten caller would wait only for the bucket: 800 ms).
    expect(await budget.acquire('a', 's', 0, undefined, 'second')).toEqual({ ok: false, retryAfterMs: 850 });
  });

  it('should refund an aborted queued call at the rule rate', async () => {
    const clock = createManualClock();
    const budget = createRateBudget({ clock, rules: {}, defaultRule: { ratePerSecond: 2, burst: 1 }, queueMarginMs: 0 });
    await budget.acquire('a', 's', 0);
    const controller = new AbortController();
    const queued = budget.acquire('a', 's', 5_000, controller.signal);
    controller.abort(new Error('gone'));
    await expect(queued).rejects.toThrow('gone');
    // The queued slot (500 ms) is back to the bucket, no more: even another caller, with its share untouched, gets
    // the next token only when the first call's slot ends.
    expect(await budget.acquire('a', 's', 0, undefined, 'other')).toEqual({ ok: false, retryAfterMs: 500 });
    expect(await budget.acquire('a', 's', 0)).toEqual({ ok: false, retryAfterMs: 500 });
    await clock.advance(500);
    expect(await budget.acquire('a', 's', 0, undefined, 'other')).toEqual({ ok: true, waitedMs: 0 });
  });

  it('should not give back a caller share that a later call of the same caller moved on', async () => {
    const clock = createManualClock();
    const budget = createRateBudget({ clock, rules: {}, defaultRule: { ratePerSecond: 1, burst: 1 }, queueMarginMs: 0 });
    await budget.acquire('a', 's', 0, undefined, 'c');
    const controller = new AbortController();
    const first = budget.acquire('a', 's', 5_000, controller.signal, 'c');
    const second = budget.acquire('a', 's', 5_000, undefined, 'c');
    controller.abort(new Error('gone'));
    await expect(first).rejects.toThrow('gone');
    // The share still holds the second call's slot (3 s away), though the bucket took the first one back.
    expect(await budget.acquire('a', 's', 0, undefined, 'c')).toEqual({ ok: false, retryAfterMs: 3_000 });
    await clock.advance(2_000);
    expect(await second).toEqual({ ok: true, waitedMs: 2_000 });
  });

  it('should give back the caller share of an aborted call when nothing moved it since', async () => {
    const clock = createManualClock();
    const budget = createRateBudget({ clock, rules: {}, defaultRule: RULE, queueMarginMs: 0 });
    await budget.acquire('a', 's', 0, undefined, 'other');
    // 'c' shares with 'other': 2 s a call, burst 1.5. Its first call goes at once, the second queues 1 s.
    await budget.acquire('a', 's', 0, undefined, 'c');
    const controller = new AbortController();
    const queued = budget.acquire('a', 's', 5_000, controller.signal, 'c');
    controller.abort(new Error('gone'));
    await expect(queued).rejects.toThrow('gone');
    await clock.advance(1_000);
    expect(await budget.acquire('a', 's', 0, undefined, 'c')).toEqual({ ok: true, waitedMs: 0 });
  });

  it('should shift a caller that has only been shed back with the clock without inventing a share', async () => {
    const { clock, set, manual } = settableClock();
    const budget = createRateBudget({ clock, rules: {}, defaultRule: { ratePerSecond: 1, burst: 1 }, queueMarginMs: 0 });
    await budget.acquire('a', 's', 0, undefined, 'first');
    // 'late' has its share but not the bucket's slot: shed, so it has no arrival time of its own yet.
    expect(await budget.acquire('a', 's', 0, undefined, 'late')).toEqual({ ok: false, retryAfterMs: 1_000 });
    set(S - 60_000);
    let result: unknown;
    void budget.acquire('a', 's', 0, undefined, 'late').then((r) => (result = r));
    await manual.advance(5_000);
    expect(result).toEqual({ ok: false, retryAfterMs: 1_000 });
  });

  it('should not evict a bucket whose own slots are still taken though every caller share has refilled', async () => {
    const clock = createManualClock();
    const budget = createRateBudget({ clock, rules: {}, defaultRule: RULE, queueMarginMs: 0, maxBuckets: 2 });
    // 'a' takes two tokens alone, then 'b' the third on its share: the bucket is 3 s ahead, each share 2 s.
    await budget.acquire('x', 'shared', 0, undefined, 'a');
    await budget.acquire('x', 'shared', 0, undefined, 'a');
    await budget.acquire('x', 'shared', 0, undefined, 'b');
    await budget.acquire('x', 'other', 0);
    await clock.advance(2_000);
    // At the cap: 'other' has refilled, 'shared' has not (though its callers have), so 'other' goes.
    await budget.acquire('x', 'new', 0);
    const a = [];
    for (let i = 0; i < 3; i++) a.push((await budget.acquire('x', 'shared', 0, undefined, 'a')).ok);
    expect(a).toEqual([true, false, false]);
  });

  it('should not evict a bucket while a caller share on it is still refilling', async () => {
    const clock = createManualClock();
    const budget = createRateBudget({ clock, rules: {}, defaultRule: RULE, queueMarginMs: 0, maxBuckets: 2 });
    await budget.acquire('x', 'shared', 0, undefined, 'a');
    await clock.advance(5_000);
    // 'b' shares with 'a': its share reaches 2 s ahead, the bucket's slot only 1 s.
    await budget.acquire('x', 'shared', 0, undefined, 'b');
    await budget.acquire('x', 'other', 0);
    await clock.advance(1_000);
    // At the cap: the bucket of 'shared' has refilled, the share of 'b' has not, so 'other' goes.
    await budget.acquire('x', 'new', 0);
    const b = [];
    for (let i = 0; i < 3; i++) b.push((await budget.acquire('x', 'shared', 0, undefined, 'b')).ok);
    expect(b).toEqual([true, true, false]);
  });
});
