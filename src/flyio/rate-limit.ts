/**
 * Client-side rate budgets mirroring Fly's documented limits (1 req/s, burst 3, per action and per machine or
 * app; Get Machine 5 req/s, burst 10). Spending our own budget first means a busy gateway queues briefly instead
 * of collecting 429s, and a flood is shed locally without touching Fly. Each bucket is shared fairly between the
 * callers using it ({@link decideFairAcquire}), so one caller asking for more than the budget is the one shed.
 */
import type { Clock } from '../lib/clock.js';
import { gcra } from '../lib/gcra.js';

/** Refill rate and bucket size for one action. */
export interface BucketRule {
  ratePerSecond: number;
  burst: number;
}

/** Options for {@link createRateBudget}. */
export interface RateBudgetOptions {
  clock: Clock;
  /** Rule per action name; actions not listed use `defaultRule`. */
  rules?: Record<string, BucketRule>;
  /** @default { ratePerSecond: 1, burst: 3 } */
  defaultRule?: BucketRule;
  /**
   * Extra wait added to queued calls. Fly's bucket starts when our first request *arrives*, so a queued call sent
   * exactly on our refill schedule can land early (the first call paid for a new connection; a busy host delayed it)
   * and draw a 429. The gateway passes {@link GATEWAY_QUEUE_MARGIN_MS}. @default 50
   */
  queueMarginMs?: number;
  /** Upper bound on buckets kept; idle (full) buckets are dropped first, then the least recently used. @default 10000 */
  maxBuckets?: number;
  /**
   * How long a caller counts as active on a bucket after its last call there: the bucket is shared equally between
   * the callers active on it. @default 10000
   */
  shareWindowMs?: number;
}

/** Outcome of asking for a token. */
export type AcquireResult = { ok: true; waitedMs: number } | { ok: false; retryAfterMs: number };

/** A set of token buckets keyed by (action, scope). */
export interface RateBudget {
  /**
   * Takes one token for `action` on `scope`, queueing up to `maxWaitMs` on the clock. When the wait would be
   * longer the call is shed (`ok: false`) and no token is consumed. Rejects with the signal's reason on abort.
   * `caller` names whose share of the bucket the call spends (see {@link fairShare}); calls without one share the
   * gateway's own ('').
   */
  acquire(action: string, scope: string, maxWaitMs: number, signal?: AbortSignal, caller?: string): Promise<AcquireResult>;
  /** Number of live buckets (for tests and metrics). */
  size(): number;
}

/**
 * How much later than its own schedule the gateway sends a queued call. The first call of a burst can reach Fly tens
 * of milliseconds after it was granted (a new connection, a loaded host) while the queued one rides a warm
 * connection; 50 ms drew an occasional 429 on a loaded two-core machine. It delays only calls that queue.
 */
export const GATEWAY_QUEUE_MARGIN_MS = 150;

/** Fly's documented limits as bucket rules. */
export const flyRateRules: Record<string, BucketRule> = {
  'machines.get': { ratePerSecond: 5, burst: 10 },
};

/**
 * One caller's share of a bucket while `active` callers use it: an equal part of the rate and of the burst (at
 * least one call, so a lone call is never refused by its share alone).
 */
export function fairShare(rule: BucketRule, active: number): BucketRule {
  return { ratePerSecond: rule.ratePerSecond / active, burst: Math.max(1, rule.burst / active) };
}

/**
 * The fair-budget decision, given the bucket's and the caller's stored arrival times: the caller first queues
 * within its share, then takes the bucket's next slot from there; a caller over its share may still take a token
 * at once while one stays for each other active caller. A caller that was shed within the window (it asks for more
 * than the budget) queues one slot less than `maxWaitMs` allows: queued calls hold their slots, so without that room
 * it would fill the queue while alone and shed the first call of anyone joining. Pure, so the in-process budget and
 * tests share it (the Redis script in infra/redis/gcra-script.ts is the same decision on Redis).
 */
export function decideFairAcquire(input: {
  rule: BucketRule;
  bucketTat: number | undefined;
  callerTat: number | undefined;
  active: number;
  now: number;
  maxWaitMs: number;
  /** The caller was shed within the window. */
  shedRecently?: boolean;
}): { allowed: true; waitMs: number; bucketTat: number; callerTat: number | undefined } | { allowed: false; waitMs: number } {
  const { rule, now, active } = input;
  const maxWaitMs = input.shedRecently ? Math.max(0, input.maxWaitMs - 1000 / rule.ratePerSecond) : input.maxWaitMs;
  const share = gcra(input.callerTat, now, fairShare(rule, active), maxWaitMs);
  let retryMs = share.waitMs;
  if (share.allowed) {
    const slot = gcra(input.bucketTat, now + share.waitMs, rule, maxWaitMs - share.waitMs);
    if (slot.allowed) return { allowed: true, waitMs: share.waitMs + slot.waitMs, bucketTat: slot.newTat, callerTat: share.newTat };
    retryMs = share.waitMs + slot.waitMs;
  }
  if (active > 1) {
    // Lending what the others leave unused: only a token at once, never a queued slot, and only while one token
    // stays for each other active caller (a negative longest wait asks for that much room left).
    const spare = gcra(input.bucketTat, now, rule, -((active - 1) * 1000) / rule.ratePerSecond);
    if (spare.allowed) return { allowed: true, waitMs: 0, bucketTat: spare.newTat, callerTat: input.callerTat };
  }
  return { allowed: false, waitMs: retryMs };
}

interface CallerState {
  tat: number | undefined;
  seenAt: number;
  shedAt: number | undefined;
}

interface Bucket {
  tat: number | undefined;
  /** The clock when the bucket was last used: a clock that steps back shifts every arrival time with it. */
  seenAt: number;
  rule: BucketRule;
  /** Per caller: its own arrival time within its share, when it last asked, and when it was last shed. */
  callers: Map<string, CallerState>;
}

/** Creates an in-memory {@link RateBudget}. */
export function createRateBudget(options: RateBudgetOptions): RateBudget {
  const { clock } = options;
  const rules = options.rules ?? flyRateRules;
  const defaultRule = options.defaultRule ?? { ratePerSecond: 1, burst: 3 };
  const maxBuckets = options.maxBuckets ?? 10_000;
  const queueMarginMs = options.queueMarginMs ?? 50;
  const shareWindowMs = options.shareWindowMs ?? 10_000;
  // Map iteration order doubles as recency order: a bucket is re-inserted each time it is used.
  const buckets = new Map<string, Bucket>();

  function catchUp(bucket: Bucket, now: number): void {
    // Time that went backwards is not time that passed: the bucket keeps what it had, as a token count would.
    const back = bucket.seenAt - now;
    if (back > 0) {
      if (bucket.tat !== undefined) bucket.tat -= back;
      for (const caller of bucket.callers.values()) {
        if (caller.tat !== undefined) caller.tat -= back;
        caller.seenAt -= back;
        if (caller.shedAt !== undefined) caller.shedAt -= back;
      }
    }
    bucket.seenAt = now;
  }

  // A bucket that has refilled completely, with every caller's share refilled too, is indistinguishable from a new one
  // (bar who was active on it, which only matters while it is contended), so dropping it loses nothing.
  function isIdle(bucket: Bucket, now: number): boolean {
    catchUp(bucket, now);
    if (bucket.tat !== undefined && bucket.tat > now) return false;
    for (const caller of bucket.callers.values()) if (caller.tat !== undefined && caller.tat > now) return false;
    return true;
  }

  function evict(now: number): void {
    for (const [key, bucket] of buckets) {
      if (buckets.size < maxBuckets) return;
      if (isIdle(bucket, now)) buckets.delete(key);
    }
    while (buckets.size >= maxBuckets) {
      const oldest = buckets.keys().next().value as string;
      buckets.delete(oldest);
    }
  }

  let acquiresSinceSweep = 0;
  function sweepIdle(now: number): void {
    for (const [key, bucket] of buckets) if (isIdle(bucket, now)) buckets.delete(key);
  }

  function bucketFor(key: string, action: string, now: number): Bucket {
    // Periodic sweep so long-idle buckets go away even while the map is below its cap.
    if (++acquiresSinceSweep >= 1000) {
      acquiresSinceSweep = 0;
      sweepIdle(now);
    }
    let bucket = buckets.get(key);
    if (bucket) {
      buckets.delete(key);
    } else {
      if (buckets.size >= maxBuckets) evict(now);
      bucket = { tat: undefined, seenAt: now, rule: rules[action] ?? defaultRule, callers: new Map() };
    }
    buckets.set(key, bucket);
    return bucket;
  }

  /** Marks `name` active and counts the callers active within the window; forgets the others once their share is full. */
  function activeCallers(bucket: Bucket, name: string, now: number): { own: CallerState; active: number } {
    let active = 0;
    for (const [other, state] of bucket.callers) {
      if (other === name) continue;
      if (now - state.seenAt < shareWindowMs) active += 1;
      else if (state.tat === undefined || state.tat <= now) bucket.callers.delete(other);
    }
    let own = bucket.callers.get(name);
    if (!own) bucket.callers.set(name, (own = { tat: undefined, seenAt: now, shedAt: undefined }));
    own.seenAt = now;
    return { own, active: active + 1 };
  }

  return {
    async acquire(action, scope, maxWaitMs, signal, caller = '') {
      const now = clock.now();
      const bucket = bucketFor(`${action}\u0000${scope}`, action, now);
      catchUp(bucket, now);
      const { own, active } = activeCallers(bucket, caller, now);
      const verdict = decideFairAcquire({
        rule: bucket.rule,
        bucketTat: bucket.tat,
        callerTat: own.tat,
        active,
        now,
        maxWaitMs: Math.max(0, maxWaitMs - queueMarginMs),
        shedRecently: own.shedAt !== undefined && now - own.shedAt < shareWindowMs,
      });
      if (!verdict.allowed) {
        own.shedAt = now;
        return { ok: false, retryAfterMs: Math.ceil(verdict.waitMs) + queueMarginMs };
      }
      const before = own.tat;
      bucket.tat = verdict.bucketTat;
      own.tat = verdict.callerTat;
      if (verdict.waitMs <= 0) return { ok: true, waitedMs: 0 };
      // Each queued caller has reserved its slot, so waiters are served in arrival order.
      const waitMs = Math.ceil(verdict.waitMs) + queueMarginMs;
      try {
        await clock.sleep(waitMs, signal);
      } catch (error) {
        // The token goes back as it would to a token count; the caller's share only if nothing moved it since.
        bucket.tat = bucket.tat! - 1000 / bucket.rule.ratePerSecond;
        if (own.tat === verdict.callerTat) own.tat = before;
        throw error;
      }
      return { ok: true, waitedMs: waitMs };
    },
    size: () => buckets.size,
  };
}

/** What one acquire did: a token at once, a token after queueing, or refused (shed). */
export type AcquireOutcome = 'immediate' | 'queued' | 'shed';

/**
 * The same budget, reporting every answered acquire to `onAcquire` (how long it queued; 0 when shed). An acquire
 * that rejects (its deadline or signal ended the wait) is not reported: the caller reports that failure itself.
 */
export function observeRateBudget(
  budget: RateBudget,
  onAcquire: (action: string, outcome: AcquireOutcome, waitedMs: number) => void,
): RateBudget {
  return {
    async acquire(action, scope, maxWaitMs, signal, caller) {
      const result = await budget.acquire(action, scope, maxWaitMs, signal, caller);
      if (!result.ok) onAcquire(action, 'shed', 0);
      else onAcquire(action, result.waitedMs > 0 ? 'queued' : 'immediate', result.waitedMs);
      return result;
    },
    size: () => budget.size(),
  };
}
