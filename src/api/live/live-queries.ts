import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import type { ExecutionResult } from 'graphql';
import type { Clock } from '../../lib/clock.js';
import { createTurnPacer } from '../../lib/turn-pacer.js';

/** Told each cache tag an execution reads, as it reads it. */
export type TagSink = (tags: readonly string[]) => void;

/**
 * Which live operation depends on which cache tag. The read cache reports every read's tags ({@link LiveQueries.record})
 * and every invalidation, local or from another instance ({@link LiveQueries.invalidated}); a live operation runs its
 * executions inside {@link LiveQueries.track} so the tags land on it, and is woken when one of them is dropped.
 * One per gateway.
 */
export interface LiveQueries {
  readonly clock: Clock;
  /** Least time between two executions of one live operation, in ms. */
  readonly throttleMs: number;
  /** Runs `fn` with every cache read it makes (however deep in loaders) reported to `sink`. */
  track<T>(sink: TagSink, fn: () => T): T;
  /** Hook for the read cache's `onTags`. */
  record(tags: readonly string[]): void;
  /** Hook for the read cache's `onInvalidate`: wakes every live operation that read one of `tags`. */
  invalidated(tags: readonly string[]): void;
  /** Every tag read so far was invalidated: the cache dropped all its copies at once (Redis came back). */
  invalidatedAll(): void;
  /**
   * Runs one execution of a live operation, tracked. Live operations with the same `key` (same document, variables
   * and caller) that are woken by the same change share one execution: one joins another's only when no
   * invalidation came between that execution's start and the join. `stale` says a tag it read was invalidated while
   * it ran, so the caller should run again.
   */
  execute(key: string | undefined, fn: () => Promise<ExecutionResult>): Promise<LiveExecution>;
  /** Calls `onChange` when any tag added to the returned watch is invalidated, until it is closed. */
  watch(onChange: () => void): LiveWatch;
  /** Live operations open right now. */
  count(): number;
  /**
   * Called by a live operation before it hands a new result to its client: undefined while fewer than `perTurn`
   * did so in this turn of the event loop, else a promise for its place in a later turn. One change can wake
   * thousands of live operations sharing one execution; sending all their results in one go would hold the event
   * loop (and `/healthz`) for as long as that takes.
   */
  pace(): Promise<void> | undefined;
}

/** One tracked execution of a live operation. */
export interface LiveExecution {
  result: ExecutionResult;
  /** The result as JSON. */
  text: string;
  /** A hash of {@link LiveExecution.text}: what a stream keeps to tell whether a new result differs from the last. */
  digest: string;
  /** Every cache tag it read. */
  tags: ReadonlySet<string>;
  /** A tag it read was invalidated before it finished. */
  stale: boolean;
}

/** The tags one live operation depends on. */
export interface LiveWatch {
  add(tags: readonly string[]): void;
  /** Keeps only `tags` (what the latest execution read). */
  retain(tags: ReadonlySet<string>): void;
  close(): void;
}

/** The {@link LiveExecution.digest} of a result's JSON text. */
export function digestOf(text: string): string {
  return createHash('sha1').update(text).digest('base64');
}

/** Options of {@link createLiveQueries}. */
export interface LiveQueriesOptions {
  clock: Clock;
  /** @default 250 */
  throttleMs?: number;
  /** Live operations that may hand on a result in one turn of the event loop ({@link LiveQueries.pace}). @default 100 */
  perTurn?: number;
}

/** Creates the {@link LiveQueries} registry. */
export function createLiveQueries({ clock, throttleMs = 250, perTurn = 100 }: LiveQueriesOptions): LiveQueries {
  const storage = new AsyncLocalStorage<TagSink>();
  const watchersByTag = new Map<string, Set<() => void>>();
  let open = 0;
  // Bumped by every invalidation: an execution started before the latest one may have read what it replaced.
  let epoch = 0;
  interface Running {
    epoch: number;
    tags: Set<string>;
    stale: boolean;
    promise: Promise<LiveExecution>;
  }
  const running = new Set<Running>();
  const shared = new Map<string, Running>();

  const pacer = createTurnPacer(perTurn);

  const unlink = (tag: string, onChange: () => void) => {
    const set = watchersByTag.get(tag);
    set?.delete(onChange);
    if (set?.size === 0) watchersByTag.delete(tag);
  };

  function invalidated(tags: readonly string[]): void {
    epoch += 1;
    for (const entry of running) if (!entry.stale && tags.some((tag) => entry.tags.has(tag))) entry.stale = true;
    const woken = new Set<() => void>();
    for (const tag of tags) for (const onChange of watchersByTag.get(tag) ?? []) woken.add(onChange);
    for (const onChange of woken) onChange();
  }

  return {
    clock,
    throttleMs,
    track: (sink, fn) => storage.run(sink, fn),
    record(tags) {
      storage.getStore()?.(tags);
    },
    execute(key, fn) {
      const joinable = key === undefined ? undefined : shared.get(key);
      if (joinable && joinable.epoch === epoch) return joinable.promise;
      const entry = { epoch, tags: new Set<string>(), stale: false } as Running;
      const sink: TagSink = (tags) => tags.forEach((tag) => entry.tags.add(tag));
      entry.promise = (async () => {
        running.add(entry);
        try {
          const result = await storage.run(sink, fn);
          const text = JSON.stringify(result);
          return { result, text, digest: digestOf(text), tags: entry.tags, stale: entry.stale };
        } finally {
          running.delete(entry);
          if (key !== undefined && shared.get(key) === entry) shared.delete(key);
        }
      })();
      if (key !== undefined) shared.set(key, entry);
      return entry.promise;
    },
    invalidated,
    invalidatedAll() {
      const tags = new Set(watchersByTag.keys());
      for (const entry of running) for (const tag of entry.tags) tags.add(tag);
      invalidated([...tags]);
    },
    watch(onChange) {
      const mine = new Set<string>();
      let closed = false;
      open += 1;
      return {
        add(tags) {
          if (closed) return;
          for (const tag of tags) {
            if (mine.has(tag)) continue;
            mine.add(tag);
            let set = watchersByTag.get(tag);
            if (!set) watchersByTag.set(tag, (set = new Set()));
            set.add(onChange);
          }
        },
        retain(tags) {
          for (const tag of [...mine]) {
            if (tags.has(tag)) continue;
            mine.delete(tag);
            unlink(tag, onChange);
          }
        },
        close() {
          if (closed) return;
          closed = true;
          open -= 1;
          for (const tag of mine) unlink(tag, onChange);
          mine.clear();
        },
      };
    },
    count: () => open,
    pace: () => pacer.pace(),
  };
}
