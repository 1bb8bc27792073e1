/**
 * The single place where HTTP statuses, upstream bodies and transport failures become {@link FlyApiError}s.
 * Messages are bounded, built only from Fly's `error`/`message` fields, and passed through a redactor so the
 * token can never ride along in an error, its JSON, or its `cause`.
 */
import { FlyApiError, FlyErrorCode } from './errors.js';
import type { AttemptFailure } from './retry.js';
import { isSafeMethod } from './retry.js';

const MAX_MESSAGE_CHARS = 300;

/** What the mapper knows about a failed HTTP response. */
export interface StatusErrorContext {
  operation: string;
  method: string;
  status: number;
  /** Parsed JSON body, or the raw text when it was not JSON. */
  body: unknown;
  requestId?: string;
  retryAfterMs?: number;
  isWait?: boolean;
  redact: (text: string) => string;
}

function bounded(text: string, redact: (text: string) => string): string {
  const clean = redact(text).replace(/\s+/g, ' ').trim();
  return clean.length > MAX_MESSAGE_CHARS ? `${clean.slice(0, MAX_MESSAGE_CHARS)}…` : clean;
}

function field(body: unknown, name: string): string | undefined {
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const value = (body as Record<string, unknown>)[name];
    if (typeof value === 'string' && value.length > 0) return value;
  }
  return undefined;
}

/** Fly's human message: `error`, else `message` (lease errors and fly-go's generic decoder use the latter). */
function upstreamMessage(body: unknown): string | undefined {
  return field(body, 'error') ?? field(body, 'message');
}

function looksLikeLeaseError(body: unknown): boolean {
  if (field(body, 'status') === 'error') return true;
  const text = upstreamMessage(body) ?? (typeof body === 'string' ? body : '');
  return /lease|nonce/i.test(text);
}

function codeForStatus(ctx: StatusErrorContext): FlyErrorCode {
  const { status, method } = ctx;
  if (status === 400) return FlyErrorCode.BadRequest;
  if (status === 401 || status === 403) return FlyErrorCode.Unauthorized;
  if (status === 404 || status === 410) return FlyErrorCode.NotFound;
  if (status === 408) return ctx.isWait ? FlyErrorCode.WaitTimeout : FlyErrorCode.Unavailable;
  if (status === 409) return looksLikeLeaseError(ctx.body) ? FlyErrorCode.LeaseHeld : FlyErrorCode.VersionConflict;
  if (status === 412) return FlyErrorCode.VersionConflict;
  if (status === 422) return FlyErrorCode.Unprocessable;
  if (status === 429) return FlyErrorCode.RateLimited;
  // A 502/504 on a mutation comes from a proxy that gave up waiting: Fly may well have acted on it.
  if ((status === 502 || status === 504) && !isSafeMethod(method)) return FlyErrorCode.OutcomeUnknown;
  if (status >= 500) return FlyErrorCode.Unavailable;
  if (status >= 300 && status < 400) return FlyErrorCode.InvalidResponse;
  return FlyErrorCode.BadRequest;
}

/** Maps a non-success HTTP response to a {@link FlyApiError}. */
export function statusError(ctx: StatusErrorContext): FlyApiError {
  const code = codeForStatus(ctx);
  const detail = upstreamMessage(ctx.body);
  const text = detail ? bounded(detail, ctx.redact) : `HTTP ${ctx.status}`;
  const flyStatus = field(ctx.body, 'status');
  return new FlyApiError({
    code,
    operation: ctx.operation,
    message: `${ctx.operation} failed: ${text} (HTTP ${ctx.status})`,
    httpStatus: ctx.status,
    flyStatus: flyStatus ? bounded(flyStatus, ctx.redact) : undefined,
    requestId: ctx.requestId,
    retryAfterSeconds: ctx.retryAfterMs === undefined ? undefined : Math.ceil(ctx.retryAfterMs / 1000),
  });
}

/** Reduces a thrown transport error to the class the retry logic and the mapper care about. */
export function classifyTransportError(error: unknown): AttemptFailure & { kind: 'transport' } {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return { kind: 'transport', transport: 'connect' };
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return { kind: 'transport', transport: 'timeout' };
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ECONNABORTED':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      return { kind: 'transport', transport: 'reset' };
    default:
      return { kind: 'transport', transport: 'other' };
  }
}

/**
 * A copy of a transport error safe to attach as `cause`: name, code and a redacted message only, never the
 * original object (it can reference the request, and through it the headers).
 */
export function safeCause(error: unknown, redact: (text: string) => string): Error {
  const source = error as { name?: unknown; code?: unknown; message?: unknown } | null;
  const copy = new Error(bounded(typeof source?.message === 'string' ? source.message : 'unknown error', redact));
  copy.name = typeof source?.name === 'string' ? source.name : 'Error';
  if (typeof source?.code === 'string') (copy as Error & { code?: string }).code = source.code;
  return copy;
}

/** What the request path knows when an attempt ended without a usable response. */
export interface TransportErrorContext {
  operation: string;
  method: string;
  failure: AttemptFailure & { kind: 'transport' };
  /** Why our own signal fired, if it did: the deadline or the caller. */
  aborted?: 'deadline' | 'caller';
  deadlineMs: number;
  cause: Error;
}

/**
 * Maps a failed attempt with no response. Unsafe methods that may have reached Fly become OUTCOME_UNKNOWN: the
 * caller must look before trying again. A refused connection never reached Fly, so it stays UPSTREAM_UNAVAILABLE.
 */
export function transportError(ctx: TransportErrorContext): FlyApiError {
  const safe = isSafeMethod(ctx.method);
  const timedOut = ctx.aborted !== undefined || ctx.failure.transport === 'timeout';
  const reachedFly = ctx.failure.transport !== 'connect' || timedOut;
  let code: FlyErrorCode;
  let what: string;
  if (!safe && reachedFly) {
    code = FlyErrorCode.OutcomeUnknown;
    what = timedOut
      ? `no response within ${ctx.deadlineMs} ms; the change may or may not have been applied`
      : 'the connection failed mid-request; the change may or may not have been applied';
  } else if (timedOut) {
    code = FlyErrorCode.DeadlineExceeded;
    what = ctx.aborted === 'caller' ? 'the call was aborted by the caller' : `no response within ${ctx.deadlineMs} ms`;
  } else {
    code = FlyErrorCode.Unavailable;
    what = ctx.failure.transport === 'connect' ? 'could not connect to the Fly API' : 'the connection to the Fly API failed';
  }
  return new FlyApiError({ code, operation: ctx.operation, message: `${ctx.operation} failed: ${what}`, cause: ctx.cause });
}

/** The error for a call that never started because its deadline or the caller's signal fired first. */
export function notStartedError(operation: string, aborted: 'deadline' | 'caller', deadlineMs: number): FlyApiError {
  const what = aborted === 'caller' ? 'the call was aborted by the caller' : `no response within ${deadlineMs} ms`;
  return new FlyApiError({ code: FlyErrorCode.DeadlineExceeded, operation, message: `${operation} failed: ${what}` });
}
