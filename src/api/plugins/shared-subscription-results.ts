import { createSourceEventStream, execute, print, type DocumentNode, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Runs each subscription's selection once per event for everyone who asked the same thing: subscribers with the
 * same document, operation, variables and tenant get the very same result object for the same delivered event
 * (the bus hands every subscription the same event object), so a thousand subscribers to one app cost one execution
 * per event, not a thousand. Each subscriber keeps its own bus subscription (its own buffer, resume point and
 * resyncs); only the execution is shared. Events that are not shared objects (a resync notice, a health report)
 * are executed per subscriber as before.
 */
export function useSharedSubscriptionResults(tenantOf: (context: unknown) => string): Plugin {
  // Per event object: one pending result per subscription key. Gone with the event once every subscriber has it.
  const results = new WeakMap<object, Map<string, Promise<ExecutionResult> | ExecutionResult>>();
  const printed = new WeakMap<DocumentNode, string>();

  const keyOf = (args: ExecutionArgs): string => {
    let text = printed.get(args.document);
    if (text === undefined) printed.set(args.document, (text = print(args.document)));
    return JSON.stringify([tenantOf(args.contextValue), args.operationName ?? null, args.variableValues ?? null, text]);
  };

  const sharedExecute = (args: ExecutionArgs, key: string, event: unknown) => {
    if (event === null || typeof event !== 'object') return execute({ ...args, rootValue: event });
    let byKey = results.get(event);
    if (!byKey) results.set(event, (byKey = new Map()));
    let result = byKey.get(key);
    if (result === undefined) {
      result = execute({ ...args, rootValue: event });
      byKey.set(key, result);
    }
    return result;
  };

  return {
    onSubscribe: ({ args, setSubscribeFn }) => {
      const key = keyOf(args);
      setSubscribeFn(async (subscribeArgs) => {
        const source = await createSourceEventStream(subscribeArgs);
        if (!(Symbol.asyncIterator in source)) return source;
        const events = source as AsyncIterableIterator<unknown>;
        const results: AsyncIterableIterator<ExecutionResult> = {
          async next() {
            const step = await events.next();
            if (step.done) return { value: undefined, done: true };
            return { value: await sharedExecute(subscribeArgs, key, step.value), done: false };
          },
          return: async () => {
            await events.return?.();
            return { value: undefined, done: true };
          },
          throw: async (error?: unknown) => {
            await events.return?.();
            throw error;
          },
          [Symbol.asyncIterator]: () => results,
        };
        return results;
      });
    },
  };
}
