import { GraphQLError, type ExecutionResult } from 'graphql';
import { PUSH, pushTo, type Pushable } from '../../lib/push-stream.js';
import { ErrorCode } from '../errors.js';

type Results = AsyncIterableIterator<ExecutionResult>;

/** The last result of a stream whose caller's credential was withdrawn (a reload removed its API key). */
export function revokedError(): GraphQLError {
  return new GraphQLError('The credential this stream was opened with is no longer accepted.', {
    extensions: { code: ErrorCode.Unauthenticated },
  });
}

/**
 * The same stream of results, ended once `revoked` aborts: the stream under it is returned (its subscriptions
 * close) and the client gets one last result carrying an `UNAUTHENTICATED` error, then the end. Items the stream
 * pushes (src/lib/push-stream.ts) pass as they are; the revocation comes through `next()`, which the consumer keeps
 * waiting on. Not an async generator, so that return() does not wait for a pending item.
 */
export function endWhenRevoked(inner: AsyncIterable<ExecutionResult>, revoked: AbortSignal): Results {
  const source = inner[Symbol.asyncIterator]();
  let state: 'open' | 'revoked' | 'done' = 'open';
  const gone = new Promise<'revoked'>((resolve) => {
    const fire = () => resolve('revoked');
    if (revoked.aborted) fire();
    else revoked.addEventListener('abort', fire, { once: true });
  });
  const close = async () => {
    state = 'done';
    await source.return?.();
  };
  const stream: Results & Pushable<ExecutionResult> = {
    [PUSH]: (sink) => (state === 'open' && !revoked.aborted ? pushTo(source, sink) : false),
    async next() {
      if (state === 'done') return { value: undefined, done: true };
      if (state === 'open' && !revoked.aborted) {
        const item = await Promise.race([source.next(), gone]);
        if (item !== 'revoked') {
          if (item.done) state = 'done';
          return item;
        }
      }
      await close();
      return { value: { errors: [revokedError()] }, done: false };
    },
    async return() {
      await close();
      return { value: undefined, done: true };
    },
    async throw(error?: unknown) {
      await close();
      throw error;
    },
    [Symbol.asyncIterator]: () => stream,
  };
  return stream;
}
