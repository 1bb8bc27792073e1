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

  // One string per distinct key, shared by its open subscriptions (each would otherwise keep its own copy of a few
  // hundred bytes) and so found by identity in the per-event maps.
  const keys = new Map<string, { key: string; holders: number }>();
  const hold = (text: string) => {
    let entry = keys.get(text);
    if (!entry) keys.set(text, (entry = { key: text, holders: 0 }));
    entry.holders += 1;
    return entry;
  };
  const release = (entry: { key: string; holders: number }) => {
    entry.holders -= 1;
    if (entry.holders === 0) keys.delete(entry.key);
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
    onSubscribe: ({ setSubscribeFn }) => {
      setSubscribeFn(async (subscribeArgs) => {
        const source = await createSourceEventStream(subscribeArgs);
        if (!(Symbol.asyncIterator in source)) return source;
        const events = source as AsyncIterableIterator<unknown>;
        const direct = (subscribeArgs.contextValue as DirectNextContext | undefined)?.directNext;
        // The same document, variables and context as onSubscribe's; made here so nothing long-lived keeps a copy.
        const held = hold(keyOf(subscribeArgs));
        const key = held.key;
        return new SharedResults(
          events,
          (event) => sharedExecute(subscribeArgs, key, event),
          bytesOf,
          direct,
          () => release(held),
        );
      });
    },
  };
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as Promise<T> | undefined)?.then === 'function';
}

/**
 * One subscriber's results: its own event stream, executions shared with everyone who asked the same thing. A
 * class, so an open subscription holds one object and one closure (its sink) rather than a closure per method.
 */
class SharedResults implements AsyncIterableIterator<ExecutionResult> {
  readonly #events: AsyncIterableIterator<unknown>;
  readonly #execute: (event: unknown) => Promise<ExecutionResult> | ExecutionResult;
  readonly #bytesOf: (result: ExecutionResult) => Buffer;
  readonly #direct: DirectNext | undefined;
  /** Takes an event on the spot when its result is ready and error-free and the socket is not behind. */
  readonly #take: ((event: unknown) => boolean) | undefined;
  #onEnd: (() => void) | undefined;

  constructor(
    events: AsyncIterableIterator<unknown>,
    execute: (event: unknown) => Promise<ExecutionResult> | ExecutionResult,
    bytesOf: (result: ExecutionResult) => Buffer,
    direct: DirectNext | undefined,
    onEnd: () => void,
  ) {
    this.#onEnd = onEnd;
    this.#events = events;
    this.#execute = execute;
    this.#bytesOf = bytesOf;
    this.#direct = direct;
    this.#take = direct
      ? (event) => {
          const result = execute(event);
          if (isPromise(result) || result.errors !== undefined) return false;
          return direct.trySend(bytesOf(result));
        }
      : undefined;
  }

  async next(): Promise<IteratorResult<ExecutionResult>> {
    const direct = this.#direct;
    try {
      for (;;) {
        if (this.#take) pushTo(this.#events, this.#take);
        const step = await this.#events.next();
        if (step.done) {
          this.#end();
          return { value: undefined, done: true };
        }
        const result = await this.#execute(step.value);
        // A result with errors takes the usual way, through error masking and the transport's own message.
        if (!direct || result.errors !== undefined) return { value: result, done: false };
        const full = direct.send(this.#bytesOf(result));
        if (full) await full;
      }
    } catch (error) {
      this.#end();
      throw error;
    }
  }

  async return(): Promise<IteratorResult<ExecutionResult>> {
    this.#end();
    await this.#events.return?.();
    return { value: undefined, done: true };
  }

  async throw(error?: unknown): Promise<IteratorResult<ExecutionResult>> {
    this.#end();
    await this.#events.return?.();
    throw error;
  }

  /** Runs the end callback once, however the subscription ends. */
  #end(): void {
    const onEnd = this.#onEnd;
    this.#onEnd = undefined;
    onEnd?.();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
