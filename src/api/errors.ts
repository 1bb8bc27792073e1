import { GraphQLError } from 'graphql';
import { FlyErrorCode, isFlyApiError, type FlyApiError } from '../flyio/errors.js';

/**
 * Stable `extensions.code` values clients can switch on. Listed one by one: a new Fly client code does not become a
 * public GraphQL code until {@link publicCodeOf} maps it.
 */
export const ErrorCode = {
  NotFound: 'NOT_FOUND',
  LeaseHeld: 'LEASE_HELD',
  VersionConflict: 'VERSION_CONFLICT',
  InvalidState: 'INVALID_STATE',
  RateLimited: 'RATE_LIMITED',
  BadUserInput: 'BAD_USER_INPUT',
  Unavailable: 'UPSTREAM_UNAVAILABLE',
  /** Fly did not answer a read within the gateway's deadline (retries included). */
  DeadlineExceeded: 'DEADLINE_EXCEEDED',
  OutcomeUnknown: 'OUTCOME_UNKNOWN',
  /** Fly rejected the gateway's own token: an operator problem, not the caller's. */
  Unauthorized: 'UNAUTHORIZED',
  /** Fly answered with a body the gateway does not understand. */
  InvalidResponse: 'INVALID_RESPONSE',
  /** The request named no caller the gateway accepts (missing or unknown API key or token): HTTP 401. */
  Unauthenticated: 'UNAUTHENTICATED',
  /** The caller is known but its key lacks the scope, or its Fly token cannot read the app. */
  Forbidden: 'FORBIDDEN',
  /** An app of that name already exists somewhere on Fly (names are global). */
  NameTaken: 'NAME_TAKEN',
  /** The app still has machines or volumes and the caller did not say `force`. */
  AppNotEmpty: 'APP_NOT_EMPTY',
  Internal: 'INTERNAL_SERVER_ERROR',
} as const;
/** One of {@link ErrorCode}'s values. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The public code of each Fly client failure; the compiler insists that every client code has an entry. */
const publicCodes: Record<FlyErrorCode, ErrorCode> = {
  [FlyErrorCode.BadRequest]: ErrorCode.BadUserInput,
  [FlyErrorCode.Unprocessable]: ErrorCode.BadUserInput,
  [FlyErrorCode.Unauthorized]: ErrorCode.Unauthorized,
  [FlyErrorCode.NotFound]: ErrorCode.NotFound,
  [FlyErrorCode.LeaseHeld]: ErrorCode.LeaseHeld,
  [FlyErrorCode.VersionConflict]: ErrorCode.VersionConflict,
  [FlyErrorCode.RateLimited]: ErrorCode.RateLimited,
  [FlyErrorCode.Unavailable]: ErrorCode.Unavailable,
  [FlyErrorCode.DeadlineExceeded]: ErrorCode.DeadlineExceeded,
  [FlyErrorCode.WaitTimeout]: ErrorCode.Unavailable,
  [FlyErrorCode.OutcomeUnknown]: ErrorCode.OutcomeUnknown,
  [FlyErrorCode.InvalidResponse]: ErrorCode.InvalidResponse,
};

/** The public code a Fly client failure is reported with. */
export function publicCodeOf(code: FlyErrorCode): ErrorCode {
  return publicCodes[code];
}

/** Where an input problem is: the argument path (e.g. `input.wait.timeoutSeconds`) and what is wrong with it. */
export interface InputIssue {
  field: string;
  message: string;
}

/**
 * Base of the failures a client can act on. Mutations return them as typed results (Pothos errors plugin); queries
 * surface them as GraphQL errors carrying the same `code`.
 */
export abstract class UserFacingError extends Error {
  abstract readonly code: ErrorCode;
  /** Fly's `fly-request-id`, for support tickets. */
  readonly requestId?: string;
  constructor(message: string, options: { requestId?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.requestId = options.requestId;
  }
  /** Whether sending the same request again later may succeed. */
  get retryable(): boolean {
    return false;
  }
}

/** The app, machine, volume, lease or key does not exist. */
export class NotFoundError extends UserFacingError {
  readonly code = ErrorCode.NotFound;
}

/** Someone else holds the machine's lease (or the nonce sent is wrong). */
export class LeaseHeldError extends UserFacingError {
  readonly code = ErrorCode.LeaseHeld;
}

/** The machine's version (or metadata version) moved on since the caller read it. */
export class VersionConflictError extends UserFacingError {
  readonly code = ErrorCode.VersionConflict;
}

/** The machine's current state does not allow the action (e.g. starting a started machine). */
export class InvalidStateError extends UserFacingError {
  readonly code = ErrorCode.InvalidState;
}

/** Fly's rate limit was reached. */
export class RateLimitedError extends UserFacingError {
  readonly code = ErrorCode.RateLimited;
  readonly retryAfterSeconds?: number;
  constructor(message: string, options: { requestId?: string; retryAfterSeconds?: number; cause?: unknown } = {}) {
    super(message, options);
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
  override get retryable(): boolean {
    return true;
  }
}

/** An argument is invalid: rejected by the gateway's validation (`issues` name the arguments) or by Fly. */
export class InvalidInputError extends UserFacingError {
  readonly code = ErrorCode.BadUserInput;
  readonly issues: InputIssue[];
  constructor(message: string, options: { issues?: InputIssue[]; requestId?: string; cause?: unknown } = {}) {
    super(message, options);
    this.issues = options.issues ?? [];
  }
}

/** Fly could not be reached or answered with a server error; nothing was changed. */
export class UpstreamUnavailableError extends UserFacingError {
  /** `DEADLINE_EXCEEDED` when Fly did not answer in time, else `UPSTREAM_UNAVAILABLE`. */
  readonly code: typeof ErrorCode.Unavailable | typeof ErrorCode.DeadlineExceeded;
  constructor(message: string, options: { requestId?: string; cause?: unknown; timedOut?: boolean } = {}) {
    super(message, options);
    this.code = options.timedOut ? ErrorCode.DeadlineExceeded : ErrorCode.Unavailable;
  }
  override get retryable(): boolean {
    return true;
  }
}

/** A change request to Fly timed out or lost its connection: it may or may not have been applied. */
export class OutcomeUnknownError extends UserFacingError {
  readonly code = ErrorCode.OutcomeUnknown;
}

/** The caller's API key lacks the scope this needs (`write` for mutations), or its Fly token cannot read the app. */
export class ForbiddenError extends UserFacingError {
  readonly code = ErrorCode.Forbidden;
}

/** An app of that name already exists (Fly's 422 `name_taken`); app names are unique across all of Fly. */
export class NameTakenError extends UserFacingError {
  readonly code = ErrorCode.NameTaken;
}

/** The app still holds machines or volumes; deleting it would destroy them, so the caller must say `force`. */
export class AppNotEmptyError extends UserFacingError {
  readonly code = ErrorCode.AppNotEmpty;
  readonly machineCount: number;
  readonly volumeCount: number;
  constructor(message: string, counts: { machineCount: number; volumeCount: number }) {
    super(message);
    this.machineCount = counts.machineCount;
    this.volumeCount = counts.volumeCount;
  }
}

/** Every typed error class, in the order the result unions list them. */
export const userFacingErrorClasses = [
  NotFoundError,
  LeaseHeldError,
  VersionConflictError,
  InvalidStateError,
  RateLimitedError,
  InvalidInputError,
  UpstreamUnavailableError,
  OutcomeUnknownError,
  ForbiddenError,
] as const;

/** Fly answers 412 when a lifecycle action does not fit the machine's state; elsewhere 412 is a version check. */
const stateCheckedOperations = new Set([
  'machines.start',
  'machines.stop',
  'machines.restart',
  'machines.suspend',
  'machines.destroy',
  'machines.update',
  'machines.signal',
  'machines.cordon',
  'machines.uncordon',
  // A volume that is being forked, restored or destroyed (or is attached, for a delete) refuses with 412 too.
  'volumes.update',
  'volumes.extend',
  'volumes.delete',
  'volumes.snapshots.create',
  // exec needs a started machine (src/api/schema/machines/exec.ts).
  'machines.exec',
]);

/** Human text for each Fly failure; the upstream message is appended where it helps and is secret-free. */
function describe(error: FlyApiError): string {
  switch (error.code) {
    case FlyErrorCode.NotFound:
      return `Not found on Fly: ${error.message}`;
    case FlyErrorCode.Unauthorized:
      return error.credential === 'caller'
        ? 'The Fly API rejected your Fly token (the one this request sent): check that it is valid, not expired, and allowed to read this organization.'
        : "The Fly API rejected the gateway's token.";
    case FlyErrorCode.RateLimited:
      return `Fly rate limit reached${error.retryAfterSeconds ? `; retry after ${error.retryAfterSeconds} s` : ''}.`;
    case FlyErrorCode.OutcomeUnknown:
      return 'The request to Fly timed out or lost its connection; it may or may not have taken effect. Check the machine before retrying.';
    case FlyErrorCode.DeadlineExceeded:
      return 'Fly did not answer in time.';
    case FlyErrorCode.Unavailable:
      return 'Fly is unavailable right now.';
    default:
      return error.message;
  }
}

/**
 * The one mapping from Fly failures to typed errors. Returns `undefined` for failures a client cannot act on
 * (a rejected gateway token, a malformed upstream answer): those stay GraphQL errors.
 */
export function toUserFacingError(error: FlyApiError): UserFacingError | undefined {
  const options = { requestId: error.requestId, cause: error };
  const message = describe(error);
  switch (error.code) {
    case FlyErrorCode.NotFound:
      return new NotFoundError(message, options);
    case FlyErrorCode.LeaseHeld:
      return new LeaseHeldError(message, options);
    case FlyErrorCode.VersionConflict:
      return error.httpStatus === 412 && stateCheckedOperations.has(error.operation)
        ? new InvalidStateError(message, options)
        : new VersionConflictError(message, options);
    case FlyErrorCode.RateLimited:
      return new RateLimitedError(message, { ...options, retryAfterSeconds: error.retryAfterSeconds });
    case FlyErrorCode.Unprocessable:
      if (error.flyStatus === 'name_taken') return new NameTakenError(message, options);
      return new InvalidInputError(message, options);
    case FlyErrorCode.BadRequest:
      return new InvalidInputError(message, options);
    case FlyErrorCode.Unavailable:
    case FlyErrorCode.WaitTimeout:
      return new UpstreamUnavailableError(message, options);
    case FlyErrorCode.DeadlineExceeded:
      return new UpstreamUnavailableError(message, { ...options, timedOut: true });
    case FlyErrorCode.OutcomeUnknown:
      return new OutcomeUnknownError(message, options);
    default:
      return undefined;
  }
}

/** Rethrows a Fly failure as its typed error where there is one; anything else is rethrown unchanged. */
export function rethrowAsUserFacing(error: unknown): never {
  if (isFlyApiError(error)) throw toUserFacingError(error) ?? error;
  throw error;
}

/** The one place where a Fly error becomes a GraphQL error. */
export function flyErrorToGraphQL(error: FlyApiError, path?: readonly (string | number)[]): GraphQLError {
  const typed = toUserFacingError(error);
  return new GraphQLError(describe(error), {
    path,
    extensions: {
      code: typed?.code ?? publicCodeOf(error.code),
      ...(error.httpStatus ? { upstreamStatus: error.httpStatus } : {}),
      ...(error.flyStatus ? { flyStatus: error.flyStatus } : {}),
      ...(error.requestId ? { requestId: error.requestId } : {}),
      ...(error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
      retryable: error.retryable,
    },
  });
}

function userFacingToGraphQL(error: UserFacingError, path?: readonly (string | number)[]): GraphQLError {
  return new GraphQLError(error.message, {
    path,
    extensions: {
      code: error.code,
      ...(error instanceof InvalidInputError && error.issues.length > 0 ? { issues: error.issues } : {}),
      ...(error instanceof RateLimitedError && error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
      ...(error.requestId ? { requestId: error.requestId } : {}),
      retryable: error.retryable,
    },
  });
}

/** An error graphql-js (or yoga) raised itself, e.g. a variable of the wrong type: safe to show as it is. */
function isGraphQLOwnError(error: GraphQLError): boolean {
  const original = error.originalError;
  return original == null || (original instanceof GraphQLError && isGraphQLOwnError(original));
}

/** Extension keys that describe the server rather than the request: a parser's error object, a stack. */
const internalExtensions = ['originalError', 'stack', 'exception'] as const;

/**
 * Drops server internals from the error's extensions. yoga itself adds `originalError` (a `SyntaxError` that quotes
 * the body) to its answer for malformed JSON, outside the masking that covers resolver errors. Edited in place: a
 * new error object would make yoga log every malformed request as a server error.
 */
function withoutInternals(error: GraphQLError): GraphQLError {
  const extensions = error.extensions as Record<string, unknown> | undefined;
  for (const key of internalExtensions) if (extensions && key in extensions) delete extensions[key];
  return error;
}

/**
 * yoga `maskedErrors.maskError`: Fly errors and typed errors keep their code and safe details, errors that already
 * carry a code pass through (outside development without internal extensions), and anything else becomes a generic
 * INTERNAL_SERVER_ERROR (details only in development).
 */
export function maskError(error: unknown, message: string, isDev?: boolean): Error {
  const original = error instanceof GraphQLError ? error.originalError : error;
  const path = error instanceof GraphQLError ? error.path : undefined;
  if (isFlyApiError(original)) return flyErrorToGraphQL(original, path);
  if (original instanceof UserFacingError) return userFacingToGraphQL(original, path);
  if (error instanceof GraphQLError && (error.extensions?.code || isGraphQLOwnError(error))) return isDev ? error : withoutInternals(error);
  return new GraphQLError(message, {
    path,
    extensions: {
      code: ErrorCode.Internal,
      ...(isDev && original instanceof Error ? { originalMessage: original.message } : {}),
    },
  });
}
