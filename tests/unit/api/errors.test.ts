import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  ErrorCode,
  flyErrorToGraphQL,
  InvalidInputError,
  InvalidStateError,
  LeaseHeldError,
  maskError,
  NotFoundError,
  OutcomeUnknownError,
  publicCodeOf,
  RateLimitedError,
  toUserFacingError,
  UpstreamUnavailableError,
  VersionConflictError,
} from '#src/api/errors.js';
import { FlyApiError, FlyErrorCode, type FlyApiErrorOptions } from '#src/flyio/errors.js';

function buildFlyError(overrides: Partial<FlyApiErrorOptions> = {}): FlyApiError {
  return new FlyApiError({
    code: FlyErrorCode.NotFound,
    operation: 'machines.start',
    message: 'machines.start failed (HTTP 404)',
    ...overrides,
  });
}

describe('toUserFacingError', () => {
  const table: [FlyApiErrorOptions['code'], number | undefined, string, new (...args: never[]) => Error][] = [
    [FlyErrorCode.NotFound, 404, 'machines.start', NotFoundError],
    [FlyErrorCode.LeaseHeld, 409, 'machines.stop', LeaseHeldError],
    [FlyErrorCode.VersionConflict, 409, 'machines.update', VersionConflictError],
    [FlyErrorCode.VersionConflict, 412, 'machines.setMetadata', VersionConflictError],
    [FlyErrorCode.VersionConflict, 412, 'machines.start', InvalidStateError],
    [FlyErrorCode.RateLimited, 429, 'machines.start', RateLimitedError],
    [FlyErrorCode.BadRequest, 400, 'machines.create', InvalidInputError],
    [FlyErrorCode.Unprocessable, 422, 'apps.create', InvalidInputError],
    [FlyErrorCode.Unavailable, 503, 'machines.start', UpstreamUnavailableError],
    [FlyErrorCode.DeadlineExceeded, undefined, 'machines.get', UpstreamUnavailableError],
    [FlyErrorCode.OutcomeUnknown, undefined, 'machines.create', OutcomeUnknownError],
  ];
  for (const [code, httpStatus, operation, expected] of table) {
    it(`should map ${code} (HTTP ${httpStatus ?? 'none'}) from ${operation} to ${expected.name} when Fly fails`, () => {
      const typed = toUserFacingError(buildFlyError({ code, httpStatus, operation, requestId: 'req-1' }));
      expect(typed).toBeInstanceOf(expected);
      expect(typed?.requestId).toBe('req-1');
    });
  }

  it('should keep failures a client cannot act on untyped when the token is rejected or the answer is malformed', () => {
    expect(toUserFacingError(buildFlyError({ code: FlyErrorCode.Unauthorized }))).toBeUndefined();
    expect(toUserFacingError(buildFlyError({ code: FlyErrorCode.InvalidResponse }))).toBeUndefined();
  });

  it("should carry Fly's Retry-After when rate limited", () => {
    const typed = toUserFacingError(buildFlyError({ code: FlyErrorCode.RateLimited, retryAfterSeconds: 7 }));
    expect(typed).toMatchObject({ retryAfterSeconds: 7, retryable: true });
    expect(typed?.message).toContain('7 s');
  });
});

describe('maskError', () => {
  it('should keep the typed code and issues when a typed error reaches a query field', () => {
    const original = new InvalidInputError('Invalid argument: app: bad', { issues: [{ field: 'app', message: 'bad' }] });
    const masked = maskError(
      new GraphQLError(original.message, { originalError: original, path: ['app'] }),
      'Unexpected error.',
    ) as GraphQLError;
    expect(masked.extensions).toMatchObject({ code: 'BAD_USER_INPUT', issues: [{ field: 'app', message: 'bad' }] });
    expect(masked.path).toEqual(['app']);
  });

  it('should hide the message when an unexpected error happens outside development', () => {
    const masked = maskError(
      new GraphQLError('boom', { originalError: new Error('secret detail') }),
      'Unexpected error.',
      false,
    ) as GraphQLError;
    expect(masked.message).toBe('Unexpected error.');
    expect(masked.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
  });

  it("should pass graphql-js's own errors through unchanged when a variable is invalid", () => {
    const inner = new GraphQLError('String cannot represent a non string value: 42');
    const error = new GraphQLError('Variable "$name" got invalid value 42', { originalError: inner });
    expect(maskError(error, 'Unexpected error.')).toBe(error);
  });

  it('should give a Fly error its stable code and upstream status when it reaches a query field', () => {
    const fly = buildFlyError({ code: FlyErrorCode.Unavailable, httpStatus: 503, requestId: 'abc' });
    const masked = maskError(new GraphQLError('x', { originalError: fly }), 'Unexpected error.') as GraphQLError;
    expect(masked.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', upstreamStatus: 503, requestId: 'abc', retryable: true });
  });
});

describe('publicCodeOf', () => {
  it('should map every Fly client code to one of the listed public codes', () => {
    const publicCodes = new Set<string>(Object.values(ErrorCode));
    for (const code of Object.values(FlyErrorCode)) expect(publicCodes, code).toContain(publicCodeOf(code));
  });

  it('should report client-only codes under their public names, not the client vocabulary', () => {
    expect(publicCodeOf(FlyErrorCode.BadRequest)).toBe('BAD_USER_INPUT');
    expect(publicCodeOf(FlyErrorCode.Unprocessable)).toBe('BAD_USER_INPUT');
    expect(publicCodeOf(FlyErrorCode.WaitTimeout)).toBe('UPSTREAM_UNAVAILABLE');
    expect(publicCodeOf(FlyErrorCode.Unauthorized)).toBe('UNAUTHORIZED');
  });

  it('should carry the public code on the GraphQL error of a failure without a typed error', () => {
    const error = flyErrorToGraphQL(new FlyApiError({ code: FlyErrorCode.InvalidResponse, message: 'odd body', operation: 'apps.list' }));
    expect(error.extensions.code).toBe('INVALID_RESPONSE');
  });
});
