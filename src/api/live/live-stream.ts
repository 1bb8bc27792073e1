import type { ExecutionResult } from 'graphql';
import type { TimerHandle } from '../../lib/clock.js';
import { diffJson, type JsonPatchOperation } from './json-patch.js';
import type { LiveExecution, LiveQueries } from './live-queries.js';

/**
 * What a live operation's messages carry in `extensions.live`: the revision (1 for the first result, one more per
 * push) and, in patch mode after the first result, the JSON Patch that turns the previous result's `data` into this
 * one's (the message then has no `data`).
 */
export interface LiveExtension {
  revision: number;
  patch?: JsonPatchOperation[];
}

// Clients sharing executions mostly ask for the same patch: it is worked out once per pair of executions. Weak keys:
// an entry goes when either execution is no longer held by any stream.
const wireForms = new WeakMap<LiveExecution, unknown>();
const patches = new WeakMap<LiveExecution, WeakMap<LiveExecution, JsonPatchOperation[]>>();

/**
 * The patch from one execution's `data` to another's, computed on their wire forms (results may hold values such as
 * Dates that only JSON turns into text, and a patch must describe what the client holds).
 */
function patchBetween(from: LiveExecution, to: LiveExecution): JsonPatchOperation[] {
  const wire = (execution: LiveExecution) => {
    if (!wireForms.has(execution)) wireForms.set(execution, (JSON.parse(execution.text) as ExecutionResult).data);
    return wireForms.get(execution);
  };
  let byTarget = patches.get(from);
  if (!byTarget) patches.set(from, (byTarget = new WeakMap()));
  let patch = byTarget.get(to);
  if (!patch) byTarget.set(to, (patch = diffJson(wire(from), wire(to))));
  return patch;
}

/** Options of {@link createLiveStream}. */
export interface LiveStreamOptions {
  live: LiveQueries;
  /** One execution of the operation (fresh loaders each time); its cache reads are tracked. */
  execute: () => Promise<ExecutionResult>;
  /** Live operations with the same key may share re-executions (see {@link LiveQueries.execute}). */
  key?: string;
  /** The first execution, already done. */
  first: LiveExecution;
  /** Send JSON patches against the previous result instead of whole results. */
  patch: boolean;
  /** Ends the stream (client gone, gateway stopping). */
  signal?: AbortSignal;
  /** Called once when the stream ends, however it ends. */
  onClose?: () => void;
}

/**
 * A live operation as an async iterator of results: the first result, then a new one whenever a cache tag it read is
 * invalidated, at most once per `live.throttleMs`. Changes that arrive while it executes or waits are coalesced into
 * one execution; a result equal to the previous one is not sent; a slow reader gets the newest result, never a
 * backlog. Stops on `signal` or `return()`.
 */
export function createLiveStream(options: LiveStreamOptions): AsyncIterableIterator<ExecutionResult> {
  // Taken apart so the closures below do not keep `options`, and with it the first execution, for the stream's life.
  const { live, signal, key, execute, patch, onClose, first } = options;
  const { clock } = live;
  let lastRunAt = clock.now();
  let running = false;
  let dirty = false;
  let done = false;
  let timer: TimerHandle | undefined;
  let wake: (() => void) | undefined;
  let revision = 0;
  // The newest result not yet taken by the reader, and the digest of the newest result seen (sent or pending): a
  // stream holds a result only until its client has it, so a thousand idle live queries hold no copies of it.
  let pending: LiveExecution | undefined = first;
  let latestDigest = first.digest;
  // What the client holds, in patch mode only (the next patch is computed against it).
  let lastSent: LiveExecution | undefined;
  // Whether the last message sent could be patched (it had data and no errors).
  let lastPatchable = false;

  const onChange = () => {
    if (done) return;
    dirty = true;
    schedule();
  };
  const watch = live.watch(onChange);
  watch.add([...first.tags]);
  dirty = first.stale;
  schedule();

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
    let execution: LiveExecution;
    try {
      execution = await live.execute(key, execute);
    } catch {
      // Execution failures arrive as results; anything else leaves the previous result standing until the next change.
      running = false;
      schedule();
      return;
    }
    // Thousands of operations may share this execution: they hand their results on a batch per turn of the loop.
    const turn = live.pace();
    if (turn) await turn;
    running = false;
    if (done) return;
    watch.add([...execution.tags]);
    watch.retain(execution.tags);
    // A change to something it read came while it ran: run again (after the throttle).
    if (execution.stale) dirty = true;
    if (execution.digest !== latestDigest) {
      latestDigest = execution.digest;
      pending = execution;
      wake?.();
    }
    schedule();
  }

  function message(execution: LiveExecution): ExecutionResult {
    revision += 1;
    const { result } = execution;
    // A result with errors, or one following a result without data, is sent whole: a patch only ever moves `data`.
    const previous = lastSent;
    const previousPatchable = lastPatchable;
    const patchable = result.data != null && !result.errors?.length;
    lastPatchable = patchable;
    if (patch) lastSent = execution;
    if (patch && previous && previousPatchable && patchable) {
      const live: LiveExtension = { revision, patch: patchBetween(previous, execution) };
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
    onClose?.();
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
      const execution = pending!;
      pending = undefined;
      return { done: false, value: message(execution) };
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
