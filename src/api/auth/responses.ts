import { ErrorCode } from '../errors.js';
import type { AuthFailure } from './caller.js';

/** Close code for a WebSocket whose `connectionParams.authorization` names no accepted caller. */
export const WS_UNAUTHENTICATED = { code: 4401, reason: 'Unauthorized' } as const;
/** Close code for a WebSocket operation the caller's scopes do not allow (a subscription without `read`). */
export const WS_FORBIDDEN = { code: 4403, reason: 'Forbidden' } as const;

const messages: Record<AuthFailure, string> = {
  missing: 'Authentication required: send Authorization: Bearer <key or token>.',
  malformed: 'The Authorization header is not in a form this gateway accepts.',
  unknown: 'The API key is not known.',
  rejected: 'Fly refused this token: send a valid Fly API token (refused tokens are not tried again for a minute).',
  'invalid-token': 'The token is not accepted here: its signature, issuer, audience or lifetime is wrong.',
  unverifiable: "The token cannot be checked now: the issuer's keys are out of reach. Retry shortly.",
};

/** Human text for a refused caller; never quotes what was sent. */
export function authFailureMessage(failure: AuthFailure): string {
  return messages[failure];
}

function graphqlErrorBody(message: string, code: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ errors: [{ message, extensions: { code, ...extra } }] });
}

/** HTTP 401 with code `UNAUTHENTICATED` and a `WWW-Authenticate` challenge. */
export function unauthenticatedResponse(failure: AuthFailure): Response {
  return new Response(graphqlErrorBody(authFailureMessage(failure), ErrorCode.Unauthenticated), {
    status: 401,
    headers: { 'content-type': 'application/json; charset=utf-8', 'www-authenticate': 'Bearer realm="flygate"' },
  });
}

/** HTTP 429 with code `RATE_LIMITED` and `Retry-After` in whole seconds (at least 1). */
export function callerRateLimitedResponse(retryAfterMs: number): Response {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  const body = graphqlErrorBody(`Too many requests from this caller; retry in ${seconds} s.`, ErrorCode.RateLimited, {
    retryAfterSeconds: seconds,
    limit: 'caller',
  });
  return new Response(body, {
    status: 429,
    headers: { 'content-type': 'application/json; charset=utf-8', 'retry-after': String(seconds) },
  });
}
