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
