/** Marks Fly bodies with when they were read, so the API can tell clients how old what they see is. */
const FETCHED_AT = Symbol('flygate.fetchedAt');

/**
 * Records `at` (ms) on a value read from Fly: on the value, on each element of a list, and on each item of a page.
 * The mark is a non-enumerable symbol, so it never reaches JSON (cache entries, responses).
 */
export function markFetched(value: unknown, at: number): void {
  const mark = (target: unknown) => {
    if (target !== null && typeof target === 'object' && Object.isExtensible(target)) {
      Object.defineProperty(target, FETCHED_AT, { value: at, enumerable: false, configurable: true, writable: true });
    }
  };
  mark(value);
  if (Array.isArray(value)) value.forEach(mark);
  const items = (value as { items?: unknown } | null)?.items;
  if (Array.isArray(items)) items.forEach(mark);
}

/** When a Fly body was read (ms), when it came through the read cache. */
export function fetchedAtOf(value: unknown): number | undefined {
  return value !== null && typeof value === 'object' ? ((value as Record<symbol, number | undefined>)[FETCHED_AT] ?? undefined) : undefined;
}
