import { getDirectiveValues, getOperationAST, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { anySignal } from '../../lib/signals.js';
import type { GraphQLContext } from '../context.js';
import { liveDirective } from '../schema/live.js';
import type { LiveQueries } from './live-queries.js';
import { createLiveStream } from './live-stream.js';

/** Options of {@link useLiveQuery}. */
export interface LiveQueryPluginOptions {
  /** Told the size of every live message sent (bytes of its JSON), and whether it was a patch. */
  onPush?: (bytes: number, patched: boolean) => void;
}

/**
 * Turns a query operation marked `@live` into a stream of results (see {@link createLiveStream}). It hooks envelop's
 * execute, so HTTP (SSE) and graphql-ws, which both run through yoga's envelop, get it alike, after the same parsing,
 * validation, limits and context as any other operation; graphql-ws counts an open live query against the socket's
 * operation cap like a subscription. Each re-execution gets fresh loaders and goes through the read cache, so many
 * clients on the same query cost one Fly call per changed entity between them.
 */
export function useLiveQuery(live: LiveQueries, options: LiveQueryPluginOptions = {}): Plugin<GraphQLContext> {
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const operation = getOperationAST(args.document, args.operationName);
      if (operation?.operation !== 'query' || !operation.directives?.some((d) => d.name.value === 'live')) return;
      const values = getDirectiveValues(liveDirective, operation, args.variableValues ?? undefined);
      setExecuteFn(async (execArgs: ExecutionArgs) => {
        const ctx = execArgs.contextValue as GraphQLContext;
        const once = (contextValue: GraphQLContext) => executeFn({ ...execArgs, contextValue }) as Promise<ExecutionResult>;
        const tags = new Set<string>();
        const first = await live.track(
          (read) => read.forEach((tag) => tags.add(tag)),
          () => once(ctx),
        );
        // A request error (bad variables) or an incremental result is answered as it is: there is nothing to keep current.
        if (first === null || typeof first !== 'object' || Symbol.asyncIterator in first || first.data == null) return first;
        return createLiveStream({
          live,
          first,
          tags,
          patch: values?.patch === true,
          // SSE ends with its request; graphql-ws ends the stream itself (complete, or the socket closing).
          signal: ctx.signal ? anySignal([ctx.signal, ctx.shutdownSignal]) : ctx.shutdownSignal,
          execute: () => once({ ...ctx, loaders: ctx.services.createLoaders(ctx.signal) }),
          onPush: options.onPush,
        });
      });
    },
  };
}
