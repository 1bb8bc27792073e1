/**
 * The one error type that leaves the Fly client. Everything above `src/flyio/` reasons about `code`, never about
 * HTTP details, so the mapping to GraphQL (`src/api/errors.ts`) is a single switch over this closed set.
 */
export const FlyErrorCode = {
  /** 400: Fly rejected the parameters or body. */
  BadRequest: 'BAD_REQUEST',
  /** 401/403: the token is missing, invalid or not allowed. */
  Unauthorized: 'UNAUTHORIZED',
  /** 404: the app, machine, volume, lease or key does not exist. */
  NotFound: 'NOT_FOUND',
  /** 408 from `wait`: the target state was not reached in time. */
  WaitTimeout: 'WAIT_TIMEOUT',
  /** 409: a lease is held by someone else (or a nonce is missing/wrong on a leased machine). */
  LeaseHeld: 'LEASE_HELD',
  /** 409/412: `current_version` or `machine_version` no longer matches. */
  VersionConflict: 'VERSION_CONFLICT',
  /** 422 and other validation failures, e.g. `name_taken`. */
  Unprocessable: 'UNPROCESSABLE',
  /**
   * 429, after the client's own retries (safe methods) or at once (unsafe methods); also a call shed by the
   * client's local rate budget before it was sent (then `httpStatus` is absent and `retryAfterSeconds` is set).
   */
  RateLimited: 'RATE_LIMITED',
  /** 5xx, or connection refused/reset on a safe method after retries (a refused unsafe call was never sent). */
  Unavailable: 'UPSTREAM_UNAVAILABLE',
  /** A safe call did not complete within its deadline. */
  DeadlineExceeded: 'DEADLINE_EXCEEDED',
  /**
   * An unsafe call (POST/DELETE/...) timed out or lost its connection, or a proxy answered 502/504 for it: it may
   * or may not have taken effect.
   */
  OutcomeUnknown: 'OUTCOME_UNKNOWN',
  /** The response did not match the shape we rely on. */
  InvalidResponse: 'INVALID_RESPONSE',
} as const;
export type FlyErrorCode = (typeof FlyErrorCode)[keyof typeof FlyErrorCode];

/** Construction options for {@link FlyApiError}. */
export interface FlyApiErrorOptions {
  code: FlyErrorCode;
  message: string;
  /** Logical operation name, e.g. `machines.start`. */
  operation: string;
  /** HTTP status, when a response arrived. */
  httpStatus?: number;
  /** Fly's machine-readable `status` field (`name_taken`, `insufficient_capacity`, ...). */
  flyStatus?: string;
  /** The `fly-request-id` response header. */
  requestId?: string;
  /** Seconds Fly asked us to wait (429 `Retry-After`). */
  retryAfterSeconds?: number;
  /** Whose token the call carried: a caller's own (fly-token mode) or, by default, the client's. */
  credential?: 'client' | 'caller';
  cause?: unknown;
}

/** An error from the Fly Machines API or from reaching it. Never carries the token or request headers. */
export class FlyApiError extends Error {
  override readonly name = 'FlyApiError';
  readonly code: FlyErrorCode;
  readonly operation: string;
  readonly httpStatus?: number;
  readonly flyStatus?: string;
  readonly requestId?: string;
  readonly retryAfterSeconds?: number;
  /** Whose token the call carried, so a rejected token is blamed on its owner. */
  readonly credential: 'client' | 'caller';

  constructor(options: FlyApiErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    this.operation = options.operation;
    this.httpStatus = options.httpStatus;
    this.flyStatus = options.flyStatus;
    this.requestId = options.requestId;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.credential = options.credential ?? 'client';
  }

  /** Whether repeating the same call later could succeed (never true for OUTCOME_UNKNOWN: the caller must look first). */
  get retryable(): boolean {
    return (
      this.code === FlyErrorCode.RateLimited ||
      this.code === FlyErrorCode.Unavailable ||
      this.code === FlyErrorCode.DeadlineExceeded ||
      this.code === FlyErrorCode.WaitTimeout
    );
  }
}

/** Type guard for {@link FlyApiError}. */
export function isFlyApiError(error: unknown): error is FlyApiError {
  return error instanceof FlyApiError;
}

/** True when `error` is Fly's answer that the app, machine, volume, lease or key does not exist. */
export function isNotFound(error: unknown): error is FlyApiError {
  return error instanceof FlyApiError && error.code === FlyErrorCode.NotFound;
}
