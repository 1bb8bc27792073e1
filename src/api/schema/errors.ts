import {
  ForbiddenError,
  InvalidInputError,
  InvalidStateError,
  LeaseHeldError,
  NotFoundError,
  OutcomeUnknownError,
  RateLimitedError,
  UpstreamUnavailableError,
  userFacingErrorClasses,
  VersionConflictError,
  type InputIssue,
  type UserFacingError,
} from '../errors.js';
import { builder } from '../builder.js';

/** The interface every typed error implements, so clients can always select `... on Error { code message }`. */
export const ErrorInterface = builder.interfaceRef<UserFacingError>('Error').implement({
  description: 'A failure the caller can act on. `code` is stable; `message` is for humans.',
  fields: (t) => ({
    message: t.exposeString('message'),
    code: t.string({ description: 'Stable machine-readable code, e.g. NOT_FOUND or LEASE_HELD.', resolve: (e) => e.code }),
    retryable: t.boolean({ description: 'Whether the same request may succeed if sent again later.', resolve: (e) => e.retryable }),
    requestId: t.string({ nullable: true, description: "Fly's request id, for support.", resolve: (e) => e.requestId ?? null }),
  }),
});

const InputIssueRef = builder.objectRef<InputIssue>('InputIssue').implement({
  description: 'One invalid argument.',
  fields: (t) => ({
    field: t.exposeString('field', { description: 'Argument path, e.g. `input.wait.timeoutSeconds`.' }),
    message: t.exposeString('message'),
  }),
});

const simpleErrors = [
  [NotFoundError, 'NotFoundError', 'The app, machine, volume, lease or key does not exist.'],
  [LeaseHeldError, 'LeaseHeldError', "Another holder has the machine's lease; pass its nonce as leaseNonce, or wait for it to expire."],
  [VersionConflictError, 'VersionConflictError', 'The machine changed since it was read; read it again and retry.'],
  [InvalidStateError, 'InvalidStateError', "The machine's current state does not allow this action."],
  [UpstreamUnavailableError, 'UpstreamUnavailableError', 'Fly could not be reached or failed; nothing was changed. Retry later.'],
  [
    OutcomeUnknownError,
    'OutcomeUnknownError',
    'Fly did not confirm the change in time: it may or may not have happened. Read the machine before retrying.',
  ],
  [
    ForbiddenError,
    'ForbiddenError',
    'The caller may not do this: its API key lacks the scope (write for mutations), or its Fly token cannot read the app.',
  ],
] as const;

for (const [cls, name, description] of simpleErrors) {
  builder.objectType(cls, { name, description, interfaces: [ErrorInterface], fields: () => ({}) });
}

builder.objectType(RateLimitedError, {
  name: 'RateLimitedError',
  description: "Fly's rate limit was reached.",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    retryAfterSeconds: t.int({ nullable: true, resolve: (e) => e.retryAfterSeconds ?? null }),
  }),
});

builder.objectType(InvalidInputError, {
  name: 'InvalidInputError',
  description: 'An argument is invalid; `issues` names each one (empty when Fly itself rejected the request).',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    issues: t.field({ type: [InputIssueRef], resolve: (e) => e.issues }),
  }),
});

/** The typed errors every mutation can return. */
export const mutationErrors = { types: [...userFacingErrorClasses] };
