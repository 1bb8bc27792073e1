import { getDirectiveValues, getOperationAST, print, type DocumentNode, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { anySignal } from '../../lib/signals.js';
import type { GraphQLContext } from '../context.js';
import { liveDirective } from '../schema/live.js';
import type { LiveQueries } from './live-queries.js';
import { createLiveStream } from './live-stream.js';
import { refusalError, type StreamLimits } from '../stream-limits.js';

/**
 * Which live operations may share a re-execution: the same document, operation and variables, asked by the same
 * caller (`context.caller`, when access control sets one). Undefined, so never shared, when the caller cannot be
 * told apart reliably.
 */
function shareKey(args: ExecutionArgs, ctx: GraphQLContext): string | undefined {
  try {
    const caller = (ctx as { caller?: unknown }).caller;
    return JSON.stringify([print(args.document), args.operationName ?? null, args.variableValues ?? {}, caller ?? null]);
  } catch {
    return undefined;
  }
}

/** Whether the operation to run is a query marked `@live`. */
export function isLiveOperation(document: DocumentNode, operationName?: string | null): boolean {
  const operation = getOperationAST(document, operationName);
  return operation?.operation === 'query' && operation.directives?.some((d) => d.name.value === 'live') === true;
}

/**
 * Turns a query operation marked `@live` into a stream of results (see {@link createLiveStream}). It hooks envelop's
 * execute, so HTTP (SSE) and graphql-ws, which both run through yoga's envelop, get it alike, after the same parsing,
 * validation, limits and context as any other operation; graphql-ws counts an open live query against the socket's
 * operation cap like a subscription. Each re-execution gets fresh loaders and goes through the read cache, so many
 * clients on the same query cost one Fly call per changed entity between them. With `limits`, each open live
 * operation holds a slot for its client address and the process (taken before the first execution, given back when
 * its stream ends); one over a cap, or while the heap is high, is answered with a refusal error instead (SSE: 429
 * or 503 with `Retry-After`; graphql-ws: the operation's error message).
 */
export function useLiveQuery(live: LiveQueries, limits?: StreamLimits): Plugin<GraphQLContext> {
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      if (!isLiveOperation(args.document, args.operationName)) return;
      const operation = getOperationAST(args.document, args.operationName)!;
      const values = getDirectiveValues(liveDirective, operation, args.variableValues ?? undefined);
      setExecuteFn(async (execArgs: ExecutionArgs) => {
        const ctx = execArgs.contextValue as GraphQLContext;
        const once = (contextValue: GraphQLContext) => executeFn({ ...execArgs, contextValue }) as Promise<ExecutionResult>;
        const slot = ctx.liveSlot ?? limits?.openLive(ctx.clientAddress);
        ctx.liveSlot = undefined;
        // Only HTTP requests carry a signal: there the refusal sets the status; graphql-ws sends it as an error message.
        if (slot && !slot.ok) return { errors: [refusalError(slot.refusal, { http: ctx.signal !== undefined })] };
        let first;
        try {
          first = await live.execute(undefined, () => once(ctx));
        } catch (error) {
          slot?.release();
          throw error;
        }
        // The transport keeps the context for as long as the operation is open, and with it the first execution's
        // loaders and everything they fetched; re-executions bring their own, so these are let go (a fresh set
        // holds nothing until used).
        ctx.loaders = ctx.services.createLoaders();
        // A request error (bad variables) or an incremental result is answered as it is: there is nothing to keep current.
        const result = first.result;
        if (result === null || typeof result !== 'object' || Symbol.asyncIterator in result || result.data == null) {
          slot?.release();
          return result;
        }
        return createLiveStream({
          onClose: slot?.release,
          live,
          first,
          key: shareKey(execArgs, ctx),
          patch: values?.patch === true,
          // SSE ends with its request; graphql-ws ends the stream itself (complete, or the socket closing).
          signal: ctx.signal ? anySignal([ctx.signal, ctx.shutdownSignal]) : ctx.shutdownSignal,
          // No request signal: a re-execution may be shared with other clients, and one leaving must not cut it short.
          execute: () => once({ ...ctx, signal: undefined, loaders: ctx.services.createLoaders() }),
        });
      });
    },
  };
}
