/**
 * Retry decisions and backoff. Only safe methods are ever retried: a repeated POST can create or start a machine
 * twice (flyctl maintainers' own warning), so unsafe calls surface their first failure to the caller.
 */

/** What went wrong on one attempt, reduced to what the retry decision needs. */
export type AttemptFailure =
  | { kind: 'status'; status: number }
  /** `connect`: the request never left (refused, DNS); `reset`: the connection died mid-flight. */
  | { kind: 'transport'; transport: 'connect' | 'reset' | 'timeout' | 'other' };

/** Resolved retry settings. */
export interface RetrySettings {
  /** Total attempts including the first. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Retry defaults: three attempts, 100 ms base, 2 s cap. */
export const defaultRetrySettings: RetrySettings = { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 2000 };

const RETRYABLE_STATUSES = new Set([408, 429, 502, 503, 504]);

/** The start of an HTTP date in any of its forms (IMF-fixdate, RFC 850, asctime): a day name. */
const HTTP_DATE_START = /^(mon|tue|wed|thu|fri|sat|sun)[a-z]*[, ]/i;

/** HTTP methods that are safe to send again. */
export function isSafeMethod(method: string): boolean {
  return method === 'GET' || method === 'HEAD';
}

/**
 * Whether a failed attempt of `method` may be tried again. A 408 from `wait` is an answer ("not yet"), not a
 * transient failure, so the caller opts out with `isWait`.
 */
export function isRetryable(method: string, failure: AttemptFailure, isWait = false): boolean {
  if (!isSafeMethod(method)) return false;
  if (failure.kind === 'status') {
    if (failure.status === 408 && isWait) return false;
    return RETRYABLE_STATUSES.has(failure.status);
  }
  // A timeout is the deadline itself expiring: there is no time left to retry in.
  return failure.transport !== 'timeout';
}

/**
 * Full-jitter backoff: a uniform draw in [0, min(cap, base * 2^retryIndex)), where `retryIndex` is 0 before the
 * first retry. A server `Retry-After` is a floor, never shortened by jitter.
 */
export function backoffDelayMs(settings: RetrySettings, retryIndex: number, random: () => number, retryAfterMs?: number): number {
  const ceiling = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** retryIndex);
  const jittered = Math.floor(random() * ceiling);
  return retryAfterMs === undefined ? jittered : Math.max(jittered, retryAfterMs);
}

/**
 * Parses `Retry-After` (delta seconds or an HTTP date) into milliseconds from `nowMs`. Returns undefined when
 * absent or unparseable; a date in the past yields 0. Fractional seconds (not in the RFC, but some proxies send
 * them) are accepted, to the nearest millisecond.
 */
export function parseRetryAfterMs(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  // All three HTTP date forms start with a day name. Checking that first matters: V8's Date.parse also reads
  // junk such as "-1", "1." or "1,5" as dates in 2001, which would turn a malformed value into "retry now".
  if (!HTTP_DATE_START.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}
