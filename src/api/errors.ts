import { GraphQLError } from 'graphql';
import { FlyErrorCode, isFlyApiError, type FlyApiError } from '../flyio/errors.js';

/** Stable `extensions.code` values clients can switch on. */
export const ErrorCode = {
  ...FlyErrorCode,
  BadUserInput: 'BAD_USER_INPUT',
  Internal: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Human text for each Fly failure; the upstream message is appended where it helps and is secret-free. */
function describe(error: FlyApiError): string {
  switch (error.code) {
    case FlyErrorCode.NotFound:
      return `Not found on Fly: ${error.message}`;
    case FlyErrorCode.Unauthorized:
      return 'The Fly API rejected the gateway\'s token.';
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

/** The one place where a Fly error becomes a GraphQL error. */
export function flyErrorToGraphQL(error: FlyApiError, path?: readonly (string | number)[]): GraphQLError {
  return new GraphQLError(describe(error), {
    path,
    extensions: {
      code: error.code,
      ...(error.httpStatus ? { upstreamStatus: error.httpStatus } : {}),
      ...(error.flyStatus ? { flyStatus: error.flyStatus } : {}),
      ...(error.requestId ? { requestId: error.requestId } : {}),
      ...(error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
      retryable: error.retryable,
    },
  });
}

/**
 * yoga `maskedErrors.maskError`: Fly errors keep their code and safe details, errors that already carry a code
 * pass through, and anything else becomes a generic INTERNAL_SERVER_ERROR (details only in development).
 */
export function maskError(error: unknown, message: string, isDev?: boolean): Error {
  const original = error instanceof GraphQLError ? error.originalError : error;
  if (isFlyApiError(original)) return flyErrorToGraphQL(original, error instanceof GraphQLError ? error.path : undefined);
  if (error instanceof GraphQLError && (error.extensions?.code || !error.originalError)) return error;
  return new GraphQLError(message, {
    path: error instanceof GraphQLError ? error.path : undefined,
    extensions: {
      code: ErrorCode.Internal,
      ...(isDev && original instanceof Error ? { originalMessage: original.message } : {}),
    },
  });
}
