import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { UpstreamTracker } from '../../services/upstream-tracker.js';
import type { FillTicket } from '../http/response-cache-front.js';

/**
 * Keeps the answer of a query the response-cache front door marked as a miss, when it may be answered again whole:
 * no errors, at least one cached read, and no Fly call the read cache does not cover and nothing marked uncacheable, such as `health` (those would go stale
 * unseen).
 * The stored text carries no per-request tally (`extensions.upstreamCalls`, `extensions.cache`).
 */
export function useResponseCacheFill(ticketOf: (request: Request | undefined) => FillTicket | undefined, tracker: UpstreamTracker): Plugin {
  return {
    onExecute({ args }) {
      const ticket = ticketOf((args.contextValue as { request?: Request }).request);
      if (!ticket) return;
      if (getOperationAST(args.document, args.operationName)?.operation !== 'query') return;
      return {
        onExecuteDone({ result }) {
          if (!result || Symbol.asyncIterator in result || (result.errors && result.errors.length > 0)) return;
          const tally = tracker.current();
          if (!tally || tally.uncached || tally.reads.count === 0) return;
          const { upstreamCalls: _calls, cache: _cache, ...extensions } = result.extensions ?? {};
          const kept = Object.keys(extensions).length > 0 ? { data: result.data, extensions } : { data: result.data };
          ticket.captured = {
            body: Buffer.from(JSON.stringify(kept)),
            tags: [...tally.reads.tags],
            expiresAt: tally.reads.expiresAt,
            oldestFetchedAt: tally.reads.oldestFetchedAt,
            reads: tally.reads.count,
          };
        },
      };
    },
  };
}
