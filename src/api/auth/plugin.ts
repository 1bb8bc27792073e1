import { getOperationAST, GraphQLError, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { CallerLimiter } from '../../services/ports.js';
import type { GraphQLContext } from '../context.js';
import { ErrorCode } from '../errors.js';
import { allows, rememberCaller, scopeFor, type AuthMode, type Caller, type CallerResolver } from './caller.js';
import { callerRateLimitedResponse, unauthenticatedResponse } from './responses.js';

/** Options for {@link useAuth}. */
export interface AuthPluginOptions {
  mode: AuthMode;
  resolve: CallerResolver;
  /** Per-caller request limits; absent when off (and always in `none` mode). */
  limiter?: CallerLimiter;
  /** The GraphQL path (other paths were answered by the routes plugin before this one runs). */
  graphqlEndpoint: string;
  /** True for a request whose allowance was already spent in front of yoga (the whole-response cache's misses). */
  alreadyCharged?: (request: Request) => boolean;
}

/** yoga renders GraphiQL for a browser's GET: the page itself carries no data and needs no key. */
function isGraphiQLPage(request: Request): boolean {
  return request.method === 'GET' && (request.headers.get('accept') ?? '').includes('text/html');
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
 * answer a typed `ForbiddenError` per field (`guardMutations`).
 */
export function useAuth({ mode, resolve, limiter, graphqlEndpoint, alreadyCharged }: AuthPluginOptions): Plugin<GraphQLContext> {
  return {
    async onRequest({ request, url, endResponse }) {
      if (url.pathname !== graphqlEndpoint || request.method === 'OPTIONS' || isGraphiQLPage(request)) return;
      const caller = resolve(request.headers.get('authorization') ?? undefined);
      if (typeof caller === 'string') return endResponse(unauthenticatedResponse(caller));
      if (limiter && mode !== 'none' && !alreadyCharged?.(request)) {
        const verdict = await limiter.take(caller.name);
        if (!verdict.ok) return endResponse(callerRateLimitedResponse(verdict.retryAfterMs));
      }
      rememberCaller(request, caller);
    },
    onExecute({ args, setResultAndStopExecution }) {
      if (!mayRun(args.contextValue.caller, args.document, args.operationName)) setResultAndStopExecution({ errors: [readForbidden()] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      if (!mayRun(args.contextValue.caller, args.document, args.operationName)) setResultAndStopExecution({ errors: [readForbidden()] });
    },
  };
}
