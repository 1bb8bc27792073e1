/**
 * App logs as one caller sees them: history pages from Fly's logs endpoint, and the live stream (one upstream poll
 * loop per stream, `log-streams.ts`). Bound to the caller's tenant and Fly client by `Services.forCaller`.
 */
import { appLogs } from '../../flyio/logs.js';
import type { FlyClient } from '../../flyio/types.js';
import type { FollowInput, LogStreams } from './log-streams.js';
import { atLeast, type LogDelivery, type LogLine } from './types.js';

/** What a history page asks for. */
export interface LogHistoryInput {
  app: string;
  machineId?: string;
  region?: string;
  /** Lines from this instant on (RFC 3339); ignored when `after` is given. */
  since?: string;
  /** Lines at this level or above. */
  level?: string;
  /** Most lines to return. */
  first: number;
  /** A previous page's `endCursor`. */
  after?: string;
}

/** One page of history. */
export interface LogHistoryPage {
  lines: LogLine[];
  /** Where the next page starts; pass it as `after` (also later, for lines printed since). */
  endCursor: string;
  /** True when the page was filled: more lines may follow at once. */
  hasNextPage: boolean;
}

/** The logs of one caller. */
export interface LogsService {
  history(input: LogHistoryInput, signal?: AbortSignal): Promise<LogHistoryPage>;
  follow(input: FollowInput, signal?: AbortSignal): AsyncIterableIterator<LogDelivery>;
}

/** Most lines one history page returns. */
export const MAX_LOG_PAGE = 500;

/** Our cursor: Fly's token before a page and how many of that page's lines were already returned. */
interface HistoryCursor {
  t?: string;
  skip: number;
  since?: string;
}

/** Thrown for a cursor this gateway did not make. */
export class InvalidLogCursorError extends Error {
  constructor() {
    super('after is not a cursor returned by logs');
    this.name = 'InvalidLogCursorError';
  }
}

function encodeCursor(cursor: HistoryCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(text: string): HistoryCursor {
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as HistoryCursor;
    if (typeof value !== 'object' || value === null || !Number.isInteger(value.skip) || value.skip < 0) throw new Error('shape');
    if (value.t !== undefined && typeof value.t !== 'string') throw new Error('shape');
    if (value.since !== undefined && typeof value.since !== 'string') throw new Error('shape');
    return value;
  } catch {
    throw new InvalidLogCursorError();
  }
}

/**
 * Reads `first` lines from the cursor on. Fly's pages have a size of Fly's choosing and its token can only point
 * between pages, so a page this returns may end inside one of Fly's: the cursor then says how many of that page's
 * lines to skip next time. Lines are filtered again here (Fly's instance filter is not always exact).
 */
async function readHistory(fly: FlyClient, input: LogHistoryInput, signal?: AbortSignal): Promise<LogHistoryPage> {
  const first = Math.max(1, Math.min(MAX_LOG_PAGE, input.first));
  let cursor: HistoryCursor = input.after ? decodeCursor(input.after) : { skip: 0, since: input.since };
  const lines: LogLine[] = [];
  for (;;) {
    const page = await fly.call(
      appLogs,
      {
        app: input.app,
        nextToken: cursor.t,
        startTime: cursor.t ? undefined : cursor.since,
        instance: input.machineId,
        region: input.region,
      },
      { signal },
    );
    const entries = page.data.slice(cursor.skip);
    let taken = 0;
    for (const entry of entries) {
      if (lines.length === first) break;
      taken += 1;
      const a = entry.attributes;
      const line: LogLine = {
        id: entry.id,
        timestamp: a.timestamp,
        app: input.app,
        machineId: a.instance,
        region: a.region,
        level: a.level,
        message: a.message,
      };
      if ((input.machineId && line.machineId !== input.machineId) || (input.region && line.region !== input.region)) continue;
      if (input.level && !atLeast(line.level, input.level)) continue;
      lines.push(line);
    }
    const next = page.meta.next_token;
    if (taken < entries.length || !next) {
      // Stopped inside this page (or Fly gave no token): the next page starts at the same token, further in.
      return { lines, endCursor: encodeCursor({ ...cursor, skip: cursor.skip + taken }), hasNextPage: taken < entries.length };
    }
    cursor = { t: next, skip: 0, since: cursor.since };
    if (page.data.length === 0 || lines.length === first)
      return { lines, endCursor: encodeCursor(cursor), hasNextPage: lines.length === first };
  }
}

/** The logs of the caller whose tenant and Fly client are given. */
export function bindLogs(streams: LogStreams, tenant: string, fly: FlyClient): LogsService {
  return {
    history: (input, signal) => readHistory(fly, input, signal),
    follow: (input, signal) => streams.follow(tenant, fly, input, signal),
  };
}
