import { flyError } from './http-error.js';

/** A position in a list ordered by `(at, id)`; lists resume strictly after it. */
export interface CursorPosition {
  at: number;
  id: string;
}

/** Opaque cursor: base64url of `at:id`. */
export function encodeCursor(pos: CursorPosition): string {
  return Buffer.from(`${pos.at}:${pos.id}`).toString('base64url');
}

/** Decodes a cursor from {@link encodeCursor}; 400 when malformed. */
export function decodeCursor(cursor: string): CursorPosition {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const i = text.indexOf(':');
  const at = Number(text.slice(0, i));
  const id = text.slice(i + 1);
  if (i <= 0 || !id || !Number.isFinite(at)) throw flyError(400, 'invalid cursor');
  return { at, id };
}

/** Orders by `(at, id)`. */
export function comparePositions(a: CursorPosition, b: CursorPosition): number {
  return a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** One page of `sorted` (ordered by `position`) after `cursor`, plus the cursor of the next page if more remain. */
export function paginate<T>(
  sorted: T[],
  position: (item: T) => CursorPosition,
  cursor: string | null,
  limit: number | undefined,
): { page: T[]; next?: string } {
  const after = cursor ? decodeCursor(cursor) : undefined;
  const rest = after ? sorted.filter((item) => comparePositions(position(item), after) > 0) : sorted;
  const page = limit === undefined ? rest : rest.slice(0, limit);
  return { page, next: page.length < rest.length ? encodeCursor(position(page[page.length - 1])) : undefined };
}
