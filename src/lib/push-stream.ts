/**
 * A fast path our event streams offer beside `next()`. Pulling costs a promise and an async resumption per item in
 * every layer (bus subscription, filter, access check, execution), for every subscriber; with ten thousand
 * subscribers that is most of the CPU an event costs. A consumer that can take an item on the spot instead hands the
 * stream a sink: items then reach it synchronously as they arrive, through each layer's own filter. Whatever the
 * sink declines (it needs to wait for something: an async execution, a socket that is behind) goes to `next()`
 * instead, and so does every item after it until the consumer arms a sink again, so the order never changes.
 * The five stages an event passes, and what makes each decline: docs/ARCHITECTURE.md, "Following one event to one
 * subscriber".
 */

/** The key under which a stream offers {@link Pushable}. */
export const PUSH = Symbol('flygate.push');

/** Takes one item as it arrives; false hands it back to `next()` and disarms the sink. */
export type PushSink<T> = (item: T) => boolean;

/** A stream that can push items to a sink. */
export interface Pushable<T> {
  /**
   * Arms `sink`: buffered items go to it first, in order, then new ones as they arrive, until it declines one or
   * the stream ends. Returns false when the stream cannot push (the consumer keeps pulling).
   */
  [PUSH](sink: PushSink<T>): boolean;
}

/** Arms `sink` on `stream` when it can push; false when it cannot. */
export function pushTo<T>(stream: object, sink: PushSink<T>): boolean {
  const push = (stream as Partial<Pushable<T>>)[PUSH];
  return typeof push === 'function' ? push.call(stream, sink) : false;
}
