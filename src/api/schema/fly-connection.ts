import type { Page } from '../../flyio/types.js';
import { InvalidInputError } from '../errors.js';

/** Relay's forward connection arguments (the schema offers no `last`/`before`: Fly's cursors only go forward). */
export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
}

/** Where a Fly list reads from. `all` is the de-duplicated full list; `page` one page from a Fly cursor. */
export interface FlyListSource<T> {
  all(): Promise<T[]>;
  page(cursor: string | undefined, limit: number): Promise<Page<T>>;
}

/** One edge; its cursor is encoded only when something reads it (most dashboards never select one). */
export interface FlyEdge<T> {
  readonly cursor: string;
  readonly node: T;
}

/** A Relay connection as the relay plugin expects it. */
export interface ResolvedConnection<T> {
  edges: FlyEdge<T>[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

/** Largest `first`; also the most items asked of Fly per page (Fly's own maximum for machines and volumes). */
export const MAX_PAGE_SIZE = 1000;
/** Pages one connection request may read before giving up: a guard against a Fly list that never ends. */
const MAX_PAGES_PER_REQUEST = 50;

/**
 * A position in a Fly list: "read from Fly cursor `cursor` (the start when absent) and drop `skip` items". Fly hands
 * out one cursor per page, not per item, so an edge in the middle of a page is that page's cursor plus an offset.
 */
interface Position {
  cursor?: string;
  skip: number;
}

const PREFIX = 'fly:';

function encode(position: Position): string {
  return PREFIX + Buffer.from(JSON.stringify([position.cursor ?? null, position.skip])).toString('base64url');
}

function decode(cursor: string): Position {
  const invalid = () =>
    new InvalidInputError('Invalid argument: after: not a cursor returned by this connection', {
      issues: [{ field: 'after', message: 'not a cursor returned by this connection' }],
    });
  if (!cursor.startsWith(PREFIX)) throw invalid();
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor.slice(PREFIX.length), 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      (value[0] === null || typeof value[0] === 'string') &&
      Number.isInteger(value[1]) &&
      value[1] >= 0
    ) {
      return { cursor: value[0] ?? undefined, skip: value[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw invalid();
}

class LazyEdge<T> implements FlyEdge<T> {
  constructor(
    readonly node: T,
    private readonly flyCursor: string | undefined,
    private readonly skip: number,
  ) {}

  get cursor(): string {
    return encode({ cursor: this.flyCursor, skip: this.skip });
  }
}

function badArgument(field: string, message: string): InvalidInputError {
  return new InvalidInputError(`Invalid argument: ${field}: ${message}`, { issues: [{ field, message }] });
}

function connection<T>(edges: FlyEdge<T>[], hasNextPage: boolean, hasPreviousPage: boolean): ResolvedConnection<T> {
  return {
    edges,
    pageInfo: { hasNextPage, hasPreviousPage, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
  };
}

/**
 * Resolves a Relay connection over a Fly list. Without `first`/`after` it returns the whole list through the
 * request's shared loader (so the same list asked for twice costs one call); with them it follows Fly's own
 * cursors, reading only the pages needed (forward only: the schema has no `last`/`before`). `toNode`
 * turns each Fly item into the GraphQL node (once per item, as the edge is made).
 */
export async function resolveFlyConnection<T, N = T>(
  args: ConnectionArgs,
  source: FlyListSource<T>,
  toNode: (item: T) => N = (item) => item as unknown as N,
): Promise<ResolvedConnection<N>> {
  if (args.first != null && (args.first < 0 || args.first > MAX_PAGE_SIZE)) {
    throw badArgument('first', `must be between 0 and ${MAX_PAGE_SIZE}`);
  }

  if (args.first == null && args.after == null) {
    const items = await source.all();
    const edges = new Array<FlyEdge<N>>(items.length);
    for (let i = 0; i < items.length; i++) edges[i] = new LazyEdge(toNode(items[i]!), undefined, i + 1);
    return connection(edges, false, false);
  }

  const first = args.first ?? MAX_PAGE_SIZE;
  let position = args.after ? decode(args.after) : { skip: 0 };
  const hasPreviousPage = args.after != null;
  const edges: FlyEdge<N>[] = [];
  if (first === 0) return connection(edges, false, hasPreviousPage);

  for (let pages = 0; pages < MAX_PAGES_PER_REQUEST; pages++) {
    const limit = Math.min(MAX_PAGE_SIZE, position.skip + first - edges.length);
    const page = await source.page(position.cursor, limit);
    const { items, nextCursor } = page;
    let i = position.skip;
    for (; i < items.length && edges.length < first; i++) {
      const lastOfPage = i === items.length - 1;
      const node = toNode(items[i]!);
      edges.push(lastOfPage && nextCursor ? new LazyEdge(node, nextCursor, 0) : new LazyEdge(node, position.cursor, i + 1));
    }
    if (edges.length >= first) return connection(edges, i < items.length || nextCursor !== undefined, hasPreviousPage);
    if (!nextCursor) return connection(edges, false, hasPreviousPage);
    position = { cursor: nextCursor, skip: Math.max(0, position.skip - items.length) };
  }
  return connection(edges, true, hasPreviousPage);
}
