import { AsyncLocalStorage } from 'node:async_hooks';
import type { Clock } from '../../lib/clock.js';

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
  /** Calls `onChange` when any tag added to the returned watch is invalidated, until it is closed. */
  watch(onChange: () => void): LiveWatch;
  /** Live operations open right now. */
  count(): number;
}

/** The tags one live operation depends on. */
export interface LiveWatch {
  add(tags: readonly string[]): void;
  /** Keeps only `tags` (what the latest execution read). */
  retain(tags: ReadonlySet<string>): void;
  close(): void;
}

/** Options of {@link createLiveQueries}. */
export interface LiveQueriesOptions {
  clock: Clock;
  /** @default 250 */
  throttleMs?: number;
}

/** Creates the {@link LiveQueries} registry. */
export function createLiveQueries({ clock, throttleMs = 250 }: LiveQueriesOptions): LiveQueries {
  const storage = new AsyncLocalStorage<TagSink>();
  const watchersByTag = new Map<string, Set<() => void>>();
  let open = 0;

  const unlink = (tag: string, onChange: () => void) => {
    const set = watchersByTag.get(tag);
    set?.delete(onChange);
    if (set?.size === 0) watchersByTag.delete(tag);
  };

  return {
    clock,
    throttleMs,
    track: (sink, fn) => storage.run(sink, fn),
    record(tags) {
      storage.getStore()?.(tags);
    },
    invalidated(tags) {
      const woken = new Set<() => void>();
      for (const tag of tags) for (const onChange of watchersByTag.get(tag) ?? []) woken.add(onChange);
      for (const onChange of woken) onChange();
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
  };
}
