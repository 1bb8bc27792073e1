/**
 * The generic cell rate algorithm as a pure function, so every in-process limiter (Fly's rate budget, the per-caller
 * allowance) decides the same way and can be checked by property tests. The state is one number, the "theoretical
 * arrival time" (TAT) of the next call: a call is allowed while it is at most `burst - 1` emission intervals ahead
 * of now (plus whatever wait the caller accepts), and each allowed call moves it on by one interval per unit of cost.
 */

/** A sustained rate and how many calls may go at once. */
export interface GcraRule {
  ratePerSecond: number;
  burst: number;
}

/** What {@link gcra} decided. */
export interface GcraVerdict {
  allowed: boolean;
  /** The state to keep: moved on when allowed, the previous one otherwise (nothing is spent by a refusal). */
  newTat: number;
  /** Allowed: how long the call must wait for its slot (0 when at once). Refused: how long until it would fit. */
  waitMs: number;
}

/**
 * Decides one call of `cost` units at `now` (ms) against `rule`, given the stored `tat` (undefined: never used).
 * A call whose slot is at most `maxWaitMs` away is allowed and reserves it, so queued callers are served in order
 * (a negative `maxWaitMs` allows a call only while that much room stays in the burst after it).
 * The wait is exact (fractional); callers round it as their clock needs.
 */
export function gcra(tat: number | undefined, now: number, rule: GcraRule, maxWaitMs = 0, cost = 1): GcraVerdict {
  const interval = 1000 / rule.ratePerSecond;
  const start = tat === undefined || tat < now ? now : tat;
  // The burst tolerance as the limiters always computed it (`interval * (burst - 1)` for one call), so the same
  // inputs give the same decisions to the last bit.
  const wait = start - interval * (rule.burst - cost) - now;
  if (wait > maxWaitMs) return { allowed: false, newTat: tat ?? now, waitMs: wait };
  return { allowed: true, newTat: start + interval * cost, waitMs: Math.max(0, wait) };
}
