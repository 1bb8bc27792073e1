import type { ExecutionResult } from 'graphql';
import type { TimerHandle } from '../../lib/clock.js';
import { diffJson, type JsonPatchOperation } from './json-patch.js';
import type { LiveQueries } from './live-queries.js';

/**
 * What a live operation's messages carry in `extensions.live`: the revision (1 for the first result, one more per
 * push) and, in patch mode after the first result, the JSON Patch that turns the previous result's `data` into this
 * one's (the message then has no `data`).
 */
export interface LiveExtension {
  revision: number;
  patch?: JsonPatchOperation[];
}

/** Options of {@link createLiveStream}. */
export interface LiveStreamOptions {
  live: LiveQueries;
  /** One execution of the operation (fresh loaders each time); its cache reads are tracked. */
  execute: () => Promise<ExecutionResult>;
  /** The first result, already executed (and tracked into `tags`). */
  first: ExecutionResult;
  /** Tags the first execution read. */
  tags: ReadonlySet<string>;
  /** Send JSON patches against the previous result instead of whole results. */
  patch: boolean;
  /** Ends the stream (client gone, gateway stopping). */
  signal?: AbortSignal;
  /** Told the serialised size of every message sent, and whether it was a patch. */
  onPush?: (bytes: number, patched: boolean) => void;
}

/**
 * A live operation as an async iterator of results: the first result, then a new one whenever a cache tag it read is
 * invalidated, at most once per `live.throttleMs`. Changes that arrive while it executes or waits are coalesced into
 * one execution; a result equal to the previous one is not sent; a slow reader gets the newest result, never a
 * backlog. Stops on `signal` or `return()`.
 */
export function createLiveStream(options: LiveStreamOptions): AsyncIterableIterator<ExecutionResult> {
  const { live, signal } = options;
  const { clock } = live;
  let lastRunAt = clock.now();
  let running = false;
  let dirty = false;
  let done = false;
  let timer: TimerHandle | undefined;
  let wake: (() => void) | undefined;
  let revision = 0;
  // The newest result not yet taken by the reader, and the text of the newest result seen (sent or pending).
  let pending: ExecutionResult | undefined = options.first;
  let latestText = JSON.stringify(options.first);
  let lastSent: ExecutionResult | undefined;

  const onChange = () => {
    if (done) return;
    dirty = true;
    schedule();
  };
  const watch = live.watch(onChange);
  watch.add([...options.tags]);

  function schedule(): void {
    if (timer !== undefined || running || done || !dirty) return;
    const wait = Math.max(0, lastRunAt + live.throttleMs - clock.now());
    timer = clock.setTimeout(() => {
      timer = undefined;
      void run();
    }, wait);
  }

  async function run(): Promise<void> {
    running = true;
    dirty = false;
    lastRunAt = clock.now();
    const read = new Set<string>();
    let result: ExecutionResult;
    try {
      // Tags are watched as they are read, so a change during this execution makes another one follow it.
      result = await live.track((tags) => {
        for (const tag of tags) read.add(tag);
        watch.add(tags);
      }, options.execute);
    } catch {
      // Execution failures arrive as results; anything else leaves the previous result standing until the next change.
      running = false;
      schedule();
      return;
    }
    running = false;
    if (done) return;
    watch.retain(read);
    const text = JSON.stringify(result);
    if (text !== latestText) {
      latestText = text;
      pending = result;
      wake?.();
    }
    schedule();
  }

  function message(result: ExecutionResult): ExecutionResult {
    revision += 1;
    // A result with errors, or one following a result without data, is sent whole: a patch only ever moves `data`.
    const previous = lastSent;
    lastSent = result;
    if (options.patch && previous?.data != null && !previous.errors?.length && result.data != null && !result.errors?.length) {
      const live: LiveExtension = { revision, patch: diffJson(previous.data, result.data) };
      return { extensions: { live } };
    }
    const live: LiveExtension = { revision };
    return { ...result, extensions: { ...result.extensions, live } };
  }

  function stop(): void {
    if (done) return;
    done = true;
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
    watch.close();
    signal?.removeEventListener('abort', stop);
    wake?.();
  }
  if (signal?.aborted) stop();
  else signal?.addEventListener('abort', stop, { once: true });

  const iterator: AsyncIterableIterator<ExecutionResult> = {
    [Symbol.asyncIterator]: () => iterator,
    async next() {
      while (!done && pending === undefined) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
      if (done) return { done: true, value: undefined };
      const result = pending!;
      pending = undefined;
      const sent = message(result);
      options.onPush?.(Buffer.byteLength(JSON.stringify(sent)), sent.data === undefined);
      return { done: false, value: sent };
    },
    async return() {
      stop();
      return { done: true, value: undefined };
    },
    async throw(error: unknown) {
      stop();
      throw error;
    },
  };
  return iterator;
}
