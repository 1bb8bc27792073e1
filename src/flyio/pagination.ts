/**
 * Following cursors to the end, with guards: a cursor that repeats or a runaway page count is an upstream bug,
 * and looping on it forever would pin a request (and Fly's rate budget) indefinitely.
 */
import { FlyApiError, FlyErrorCode } from './errors.js';
import type { Page } from './types.js';

/** Upper bound on pages one `listAll` will fetch. */
export const MAX_PAGES = 1000;

/** Calls `fetchPage` with each next cursor until a page has none, concatenating the items. */
export async function collectPages<T>(operation: string, fetchPage: (cursor: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await fetchPage(cursor);
    items.push(...result.items);
    if (!result.nextCursor) return items;
    if (seen.has(result.nextCursor)) {
      throw new FlyApiError({
        code: FlyErrorCode.InvalidResponse,
        operation,
        message: `${operation}: the API returned a cursor it had already returned`,
      });
    }
    seen.add(result.nextCursor);
    cursor = result.nextCursor;
  }
  throw new FlyApiError({ code: FlyErrorCode.InvalidResponse, operation, message: `${operation}: more than ${MAX_PAGES} pages` });
}
