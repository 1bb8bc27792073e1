import { getOperationAST, GraphQLError, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { FlyErrorCode, isFlyApiError } from '../../flyio/errors.js';
import type { GraphQLContext } from '../context.js';
import { ErrorCode } from '../errors.js';
import type { Admission } from './admission.js';
import { allows, rememberCaller, scopeFor, type Caller } from './caller.js';
import { authFailureMessage, callerRateLimitedResponse, unauthenticatedResponse } from './responses.js';
import { endWhenRevoked } from './revocation.js';

type StreamHook = (payload: { result: unknown; setResult: (result: never) => void }) => void;

/** Ends a streamed result (subscription, `@live` query) once the caller's credential is withdrawn. */
function endOnRevocation(revoked: AbortSignal): StreamHook {
  return ({ result, setResult }) => {
    if (result && typeof result === 'object' && Symbol.asyncIterator in result) {
      setResult(endWhenRevoked(result as AsyncIterable<never>, revoked) as never);
    }
  };
}

/** Options for {@link useAuth}. */
export interface AuthPluginOptions {
  admission: Admission;
  /** Whether yoga serves the GraphiQL page: only then is a browser's GET of it let through without credentials. */
  graphiql: boolean;
  /** The GraphQL path (other paths were answered by the routes plugin before this one runs). */
  graphqlEndpoint: string;
  /** True for a request whose allowance was already spent in front of yoga (the whole-response cache's misses). */
  alreadyCharged?: (request: Request) => boolean;
}

/**
 * yoga answers a browser's GET with the GraphiQL page, and runs nothing, only while GraphiQL is on (yoga's own
 * test: GET with `text/html` accepted). With GraphiQL off the same request is executed, so it needs a caller.
 */
function isGraphiQLPage(request: Request, graphiql: boolean): boolean {
  return graphiql && request.method === 'GET' && (request.headers.get('accept') ?? '').includes('text/html');
}

/** The client's address as the server saw it (`in-process` for `gateway.fetch`). */
export function addressOf(serverContext: unknown): string {
  const req = (serverContext as { req?: { socket?: { remoteAddress?: string } } } | undefined)?.req;
  return req?.socket?.remoteAddress ?? 'in-process';
}

/** The FORBIDDEN error a read without the `read` scope gets (HTTP 403). */
export function readForbidden(): GraphQLError {
  return new GraphQLError('This API key may not read: it lacks the read scope.', {
    extensions: { code: ErrorCode.Forbidden, http: { status: 403 } },
  });
}

/** Whether `caller` may run the operation `document` selects (mutations are checked per field, as typed errors). */
export function mayRun(caller: Caller | undefined, document: DocumentNode, operationName?: string | null): boolean {
  const operation = getOperationAST(document, operationName)?.operation;
  if (!caller || !operation || operation === 'mutation') return true;
  return allows(caller, scopeFor(operation));
}

/**
 * Resolves the caller of every GraphQL request before the GraphQL pipeline (401 `UNAUTHENTICATED` when there is
 * none), spends its request allowance (429 `RATE_LIMITED` with `Retry-After`), and remembers it for
 * {@link callerOf} and the context. Queries and subscriptions need `read` (403 `FORBIDDEN` otherwise); mutations
 * answer a typed `ForbiddenError` per field (`guardMutations`). In fly-token mode a stream opened with a token Fly
 * has not accepted yet asks Fly about the token first (HTTP and graphql-ws alike: both run this hook).
 */
export function useAuth({ admission, graphiql, graphqlEndpoint, alreadyCharged }: AuthPluginOptions): Plugin<GraphQLContext> {
  // One question to Fly per unverified token at a time, however many streams it opens at once.
  const verifying = new Map<string, Promise<boolean>>();
  const verify = (caller: Caller, ctx: GraphQLContext): Promise<boolean> => {
    let pending = verifying.get(caller.tenant);
    if (!pending) {
      pending = ctx.services.fly.tokens.current(ctx.signal ? { signal: ctx.signal } : undefined).then(
        () => true,
        // Only Fly's refusal shuts the door; Fly being unreachable is not the caller's fault.
        (error: unknown) => !(isFlyApiError(error) && error.code === FlyErrorCode.Unauthorized),
      );
      verifying.set(caller.tenant, pending);
      void pending.finally(() => verifying.delete(caller.tenant));
    }
    return pending;
  };
  return {
    async onRequest({ request, url, serverContext, endResponse }) {
      if (url.pathname !== graphqlEndpoint || request.method === 'OPTIONS' || isGraphiQLPage(request, graphiql)) return;
      const verdict = await admission.admit(request.headers.get('authorization') ?? undefined, addressOf(serverContext), {
        charged: alreadyCharged?.(request),
      });
      if (!verdict.ok) {
        const { refusal } = verdict;
        return endResponse(
          refusal.kind === 'unauthenticated' ? unauthenticatedResponse(refusal.failure) : callerRateLimitedResponse(refusal.retryAfterMs),
        );
      }
      rememberCaller(request, verdict.caller);
    },
    onExecute({ args, setResultAndStopExecution }) {
      const { caller } = args.contextValue;
      if (!mayRun(caller, args.document, args.operationName)) return setResultAndStopExecution({ errors: [readForbidden()] });
      // A `@live` query is a stream too: it ends with its caller's key.
      if (caller?.revoked) return { onExecuteDone: endOnRevocation(caller.revoked) };
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const { caller } = args.contextValue;
      if (!mayRun(caller, args.document, args.operationName)) return setResultAndStopExecution({ errors: [readForbidden()] });
      const ending = caller?.revoked ? { onSubscribeResult: endOnRevocation(caller.revoked) } : undefined;
      // Synchronous unless a token needs asking about: every other subscribe (each one at fan-out) pays no promise.
      if (!caller || !admission.unverified(caller)) return ending;
      return verify(caller, args.contextValue).then((accepted) => {
        if (accepted) return ending;
        const error = new GraphQLError(authFailureMessage('rejected'), {
          extensions: { code: ErrorCode.Unauthenticated, http: { status: 401 } },
        });
        setResultAndStopExecution({ errors: [error] });
      });
    },
  };
}
