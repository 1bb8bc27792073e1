/**
 * Counts open things per key and refuses one over `max`. The graphql-ws side keys sockets by client address; the
 * same limiter can key them by API key later without changing its callers' shape.
 */
export interface KeyedLimiter {
  /** Takes one slot for `key`; false (nothing taken) when `key` already holds `max`. */
  acquire(key: string): boolean;
  /** Gives back one slot taken by {@link KeyedLimiter.acquire}. */
  release(key: string): void;
  /** Slots `key` holds now. */
  count(key: string): number;
  readonly max: number;
}

/** Creates a {@link KeyedLimiter}; keys with no open slot are forgotten, so the map holds only live keys. */
export function createKeyedLimiter(max: number): KeyedLimiter {
  const open = new Map<string, number>();
  return {
    max,
    acquire(key) {
      const held = open.get(key) ?? 0;
      if (held >= max) return false;
      open.set(key, held + 1);
      return true;
    },
    release(key) {
      const held = open.get(key) ?? 0;
      if (held <= 1) open.delete(key);
      else open.set(key, held - 1);
    },
    count: (key) => open.get(key) ?? 0,
  };
}
