import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideFairAcquire } from '#src/flyio/rate-limit.js';
import { gcra, type GcraRule } from '#src/lib/gcra.js';

/** Rates from one call a minute to a hundred a second; bursts from one call to fifty (fractional ones are shares). */
const rules = fc.record({
  ratePerSecond: fc.double({ min: 1 / 60, max: 100, noNaN: true }),
  burst: fc.oneof(fc.integer({ min: 1, max: 50 }), fc.double({ min: 1, max: 50, noNaN: true })),
});
/** Gaps between calls, in ms: many at once, some spread out. */
const gaps = fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 5_000 })), {
  minLength: 1,
  maxLength: 200,
});

/**
 * The most calls any window may hold: the burst, plus the rate times the window's length (a hair of slack for
 * floating point).
 */
function expectWithinBudget(times: readonly number[], rule: GcraRule): void {
  const sorted = [...times].sort((a, b) => a - b);
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i; j < sorted.length; j++) {
      const allowed = rule.burst + (rule.ratePerSecond * (sorted[j]! - sorted[i]!)) / 1000;
      expect(j - i + 1).toBeLessThanOrEqual(allowed + 1e-6);
    }
  }
}

describe('gcra (property)', () => {
  it('should never allow more than burst + rate × t in any window when nothing queues', () => {
    fc.assert(
      fc.property(rules, gaps, (rule, steps) => {
        let tat: number | undefined;
        let now = 1_000_000;
        const allowedAt: number[] = [];
        for (const gap of steps) {
          now += gap;
          const verdict = gcra(tat, now, rule);
          if (verdict.allowed) {
            expect(verdict.waitMs).toBe(0);
            allowedAt.push(now);
          } else {
            expect(verdict.waitMs).toBeGreaterThan(0);
            // A refusal spends nothing.
            expect(verdict.newTat).toBe(tat ?? now);
          }
          tat = verdict.newTat;
        }
        expectWithinBudget(allowedAt, rule);
      }),
      { numRuns: 300 },
    );
  });

  it('should keep the slots of queued calls within burst + rate × t, in arrival order, each within the accepted wait', () => {
    fc.assert(
      fc.property(rules, gaps, fc.integer({ min: 0, max: 5_000 }), (rule, steps, maxWaitMs) => {
        let tat: number | undefined;
        let now = 1_000_000;
        const slots: number[] = [];
        for (const gap of steps) {
          now += gap;
          const verdict = gcra(tat, now, rule, maxWaitMs);
          if (verdict.allowed) {
            expect(verdict.waitMs).toBeLessThanOrEqual(maxWaitMs);
            const slot = now + verdict.waitMs;
            if (slots.length > 0) expect(slot).toBeGreaterThanOrEqual(slots[slots.length - 1]! - 1e-6);
            slots.push(slot);
          } else expect(verdict.waitMs).toBeGreaterThan(maxWaitMs);
          tat = verdict.newTat;
        }
        expectWithinBudget(slots, rule);
      }),
      { numRuns: 300 },
    );
  });

  it('should allow a refused call once its wait has passed', () => {
    fc.assert(
      fc.property(rules, gaps, (rule, steps) => {
        let tat: number | undefined;
        let now = 1_000_000;
        for (const gap of steps) {
          now += gap;
          const verdict = gcra(tat, now, rule);
          if (!verdict.allowed) expect(gcra(tat, now + verdict.waitMs, rule).allowed).toBe(true);
          tat = verdict.newTat;
        }
      }),
      { numRuns: 200 },
    );
  });

  it('should keep the fair decision within the bucket whatever the callers, shares and waits', () => {
    const calls = fc.array(
      fc.record({
        gap: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 2_000 })),
        caller: fc.integer({ min: 0, max: 3 }),
        active: fc.integer({ min: 1, max: 4 }),
        maxWaitMs: fc.integer({ min: 0, max: 3_000 }),
        shedRecently: fc.boolean(),
      }),
      { minLength: 1, maxLength: 150 },
    );
    fc.assert(
      fc.property(rules, calls, (rule, steps) => {
        let bucketTat: number | undefined;
        const callerTats = new Map<number, number | undefined>();
        let now = 1_000_000;
        const slots: number[] = [];
        for (const step of steps) {
          now += step.gap;
          const verdict = decideFairAcquire({
            rule,
            bucketTat,
            callerTat: callerTats.get(step.caller),
            active: step.active,
            now,
            maxWaitMs: step.maxWaitMs,
            shedRecently: step.shedRecently,
          });
          if (!verdict.allowed) continue;
          expect(verdict.waitMs).toBeLessThanOrEqual(step.maxWaitMs);
          slots.push(now + verdict.waitMs);
          bucketTat = verdict.bucketTat;
          callerTats.set(step.caller, verdict.callerTat);
        }
        expectWithinBudget(slots, rule);
      }),
      { numRuns: 300 },
    );
  });
});
