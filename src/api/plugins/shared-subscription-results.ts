import { createSourceEventStream, execute, print, type DocumentNode, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { pushTo } from '../../lib/push-stream.js';

/**
 * Sends one error-free result to the subscriber straight away, given the result as UTF-8 JSON: the WebSocket
 * transport puts one in the context (src/api/ws.ts) so a result shared by many subscribers is serialised once and
 * the same bytes go to every socket.
 */
export interface DirectNext {
  /** Sends now; returns a promise only when the socket is behind and the next event should wait for it. */
  send(result: Buffer): Promise<void> | void;
  /** Sends now unless the socket is behind: then sends nothing and returns false. */
  trySend(result: Buffer): boolean;
}

/** Where the transport leaves its {@link DirectNext} in the context it hands to envelop. */
export interface DirectNextContext {
  directNext?: DirectNext;
}

/**
 * Runs each subscription's selection once per event for everyone who asked the same thing: subscribers with the
 * same document, operation, variables and tenant get the very same result object for the same delivered event
 * (the bus hands every subscription the same event object), so a thousand subscribers to one app cost one execution
 * per event, not a thousand. Each subscriber keeps its own bus subscription (its own buffer, resume point and
 * resyncs); only the execution is shared. Events that are not shared objects (a resync notice, a health report)
 * are executed per subscriber as before. Over WebSockets an error-free shared result is also serialised once and
 * written to each socket by the transport's {@link DirectNext}, bypassing graphql-ws's per-socket serialisation;
 * and when the event stream can push (src/lib/push-stream.ts), an event whose result is ready at once goes to the
 * socket in the bus's own delivery loop, with no promise on the way. The rest (async fields, errors, a socket that
 * is behind) waits its turn in `next()`, in order.
 */
export function useSharedSubscriptionResults(tenantOf: (context: unknown) => string): Plugin {
  // Per event object: one pending result per subscription key. Gone with the event once every subscriber has it.
  const results = new WeakMap<object, Map<string, Promise<ExecutionResult> | ExecutionResult>>();
  const printed = new WeakMap<DocumentNode, string>();
  // Per shared result: its JSON bytes, made by the first subscriber that sends it directly.
  const serialised = new WeakMap<ExecutionResult, Buffer>();
  const bytesOf = (result: ExecutionResult): Buffer => {
    let bytes = serialised.get(result);
    if (bytes === undefined) serialised.set(result, (bytes = Buffer.from(JSON.stringify(result))));
    return bytes;
  };

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
        const direct = (subscribeArgs.contextValue as DirectNextContext | undefined)?.directNext;
        const take = direct
          ? (event: unknown): boolean => {
              const result = sharedExecute(subscribeArgs, key, event);
              if (isPromise(result) || result.errors !== undefined) return false;
              return direct.trySend(bytesOf(result));
            }
          : undefined;
        const results: AsyncIterableIterator<ExecutionResult> = {
          async next() {
            for (;;) {
              if (take) pushTo(events, take);
              const step = await events.next();
              if (step.done) return { value: undefined, done: true };
              const result = await sharedExecute(subscribeArgs, key, step.value);
              // A result with errors takes the usual way, through error masking and the transport's own message.
              if (!direct || result.errors !== undefined) return { value: result, done: false };
              const full = direct.send(bytesOf(result));
              if (full) await full;
            }
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

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as Promise<T> | undefined)?.then === 'function';
}
