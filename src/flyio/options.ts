/**
 * Validation of {@link FlyClientOptions}. Every problem is reported at once, and no message ever quotes the
 * token: a misconfigured deployment must not print its secret while complaining about it.
 */
import { stripAuthScheme } from './auth.js';
import { defaultRetrySettings, type RetrySettings } from './retry.js';
import type { FlyClientOptions } from './types.js';

/** Where Fly serves what is not the Machines API (logs, metrics, releases). */
export const DEFAULT_PLATFORM_BASE_URL = 'https://api.fly.io';

/** Default deadline per call. */
export const DEFAULT_DEADLINE_MS = 10_000;
/** Longest accepted deadline; anything longer is almost certainly a unit mistake (seconds for ms). */
export const MAX_DEADLINE_MS = 10 * 60_000;

/** Options after validation and defaulting. */
export interface ResolvedOptions {
  baseUrl: string;
  /** api.fly.io's base (logs, metrics, releases), without `/api`. */
  platformBaseUrl: string;
  deadlineMs: number;
  retry: RetrySettings;
  rateLimit: boolean;
}

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARS = /[\x00-\x1f\x7f]/;

function checkBaseUrl(value: unknown, problems: string[]): string {
  if (typeof value !== 'string' || value.trim() === '') {
    problems.push('baseUrl must be a non-empty string such as "https://api.machines.dev"');
    return '';
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.push(`baseUrl is not a valid absolute URL: "${value.slice(0, 200)}"`);
    return '';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') problems.push(`baseUrl must use http or https, got "${url.protocol}"`);
  if (url.username || url.password) problems.push('baseUrl must not contain credentials; pass the token as `token`');
  if (url.search || url.hash) problems.push('baseUrl must not contain a query string or fragment');
  const trimmed = `${url.origin}${url.pathname}`.replace(/\/+$/, '');
  if (/\/v1$/.test(trimmed)) problems.push('baseUrl must not end with /v1: the client adds the /v1 prefix itself');
  return trimmed;
}

function checkToken(value: unknown, problems: string[]): void {
  if (typeof value !== 'string') {
    problems.push('token must be a string');
  } else if (stripAuthScheme(value) === '') {
    problems.push('token must not be empty (nor only an auth scheme such as "Bearer ")');
  } else if (CONTROL_CHARS.test(value)) {
    problems.push('token contains control characters (a trailing newline from a file or env var?)');
  }
}

function checkNumber(name: string, value: unknown, min: number, max: number, integer: boolean, problems: string[]): void {
  if (value === undefined) return;
  const ok = typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max && (!integer || Number.isInteger(value));
  if (!ok) problems.push(`${name} must be ${integer ? 'an integer' : 'a number'} between ${min} and ${max}`);
}

function checkFunction(name: string, value: unknown, problems: string[]): void {
  if (value !== undefined && typeof value !== 'function') problems.push(`${name} must be a function`);
}

/** Validates `options`, throwing one TypeError that lists every problem. */
export function resolveOptions(options: FlyClientOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError('createFlyClient: options must be an object');
  const problems: string[] = [];
  const baseUrl = checkBaseUrl(options.baseUrl, problems);
  const platformProblems: string[] = [];
  const platformBaseUrl = checkBaseUrl(options.platformBaseUrl ?? DEFAULT_PLATFORM_BASE_URL, platformProblems);
  problems.push(...platformProblems.map((problem) => `platform${problem[0]!.toUpperCase()}${problem.slice(1)}`));
  checkToken(options.token, problems);
  checkNumber('deadlineMs', options.deadlineMs, 1, MAX_DEADLINE_MS, false, problems);
  const retry = options.retry ?? {};
  if (typeof retry !== 'object' || retry === null) problems.push('retry must be an object');
  checkNumber('retry.maxAttempts', retry.maxAttempts, 1, 10, true, problems);
  checkNumber('retry.baseDelayMs', retry.baseDelayMs, 0, 60_000, false, problems);
  checkNumber('retry.maxDelayMs', retry.maxDelayMs, 0, 60_000, false, problems);
  const resolvedRetry: RetrySettings = { ...defaultRetrySettings, ...stripUndefined(retry) };
  if (resolvedRetry.maxDelayMs < resolvedRetry.baseDelayMs) problems.push('retry.maxDelayMs must be at least retry.baseDelayMs');
  if (options.rateLimit !== undefined && typeof options.rateLimit !== 'boolean') problems.push('rateLimit must be a boolean');
  if (options.dispatcher !== undefined && typeof (options.dispatcher as { dispatch?: unknown })?.dispatch !== 'function') {
    problems.push('dispatcher must be an undici Dispatcher (Agent, Pool, MockAgent)');
  }
  checkFunction('onCall', options.onCall, problems);
  checkFunction('random', options.random, problems);
  const clock = options.clock as unknown as Record<string, unknown> | undefined;
  if (clock !== undefined && !['now', 'setTimeout', 'clearTimeout', 'sleep'].every((key) => typeof clock?.[key] === 'function')) {
    problems.push('clock must implement now, setTimeout, clearTimeout and sleep');
  }
  if (
    options.userAgent !== undefined &&
    (typeof options.userAgent !== 'string' || options.userAgent === '' || CONTROL_CHARS.test(options.userAgent))
  ) {
    problems.push('userAgent must be a non-empty string without control characters');
  }
  if (problems.length > 0) throw new TypeError(`createFlyClient: invalid options: ${problems.join('; ')}`);
  return {
    baseUrl,
    platformBaseUrl,
    deadlineMs: options.deadlineMs ?? DEFAULT_DEADLINE_MS,
    retry: resolvedRetry,
    rateLimit: options.rateLimit ?? true,
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
