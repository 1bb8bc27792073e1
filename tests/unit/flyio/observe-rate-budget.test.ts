import { describe, expect, it } from 'vitest';
import { createRateBudget, observeRateBudget, type AcquireOutcome } from '#src/flyio/rate-limit.js';
import { createManualClock } from '#src/lib/clock.js';

function observed(rule = { ratePerSecond: 1, burst: 1 }) {
  const clock = createManualClock();
  const seen: [string, AcquireOutcome, number][] = [];
  const inner = createRateBudget({ clock, defaultRule: rule, queueMarginMs: 0 });
  const budget = observeRateBudget(inner, (action, outcome, waitedMs) => seen.push([action, outcome, waitedMs]));
  return { clock, seen, budget, inner };
}

describe('observeRateBudget', () => {
  it('should report immediate, queued (with its wait) and shed acquires when the bucket empties', async () => {
    const { clock, seen, budget } = observed();
    expect(await budget.acquire('machines.start', 'm1', 5_000)).toEqual({ ok: true, waitedMs: 0 });
    const queued = budget.acquire('machines.start', 'm1', 5_000);
    // A third would wait 2 s: over its 1.5 s limit, so it is shed.
    expect(await budget.acquire('machines.start', 'm1', 1_500)).toEqual({ ok: false, retryAfterMs: 2_000 });
    await clock.advance(1_000);
    expect(await queued).toEqual({ ok: true, waitedMs: 1_000 });
    expect(seen).toEqual([
      ['machines.start', 'immediate', 0],
      ['machines.start', 'shed', 0],
      ['machines.start', 'queued', 1_000],
    ]);
  });

  it('should report nothing and pass the rejection on when a queued wait is aborted', async () => {
    const { seen, budget } = observed();
    await budget.acquire('apps.list', 'org', 5_000);
    const controller = new AbortController();
    const waiting = budget.acquire('apps.list', 'org', 5_000, controller.signal);
    controller.abort(new Error('deadline'));
    await expect(waiting).rejects.toThrow('deadline');
    expect(seen.map(([, outcome]) => outcome)).toEqual(['immediate']);
  });

  it('should answer size from the budget it wraps when asked', async () => {
    const { budget, inner } = observed();
    await budget.acquire('a', 's1', 0);
    await budget.acquire('a', 's2', 0);
    expect(budget.size()).toBe(2);
    expect(inner.size()).toBe(2);
  });
});
