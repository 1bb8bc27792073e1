import { getOperationAST, Kind } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Metrics } from '../../lib/metrics.js';

/**
 * Keeps `flygate_subscriptions_active{field}` equal to the subscriptions open right now, over graphql-ws and SSE
 * alike (both go through envelop's subscribe). A subscription counts from the moment its stream exists until it
 * completes, is returned (client left, socket closed, shutdown) or fails, whichever comes first.
 */
export function useSubscriptionMetrics(metrics: Pick<Metrics, 'subscriptionsActive'>): Plugin {
  return {
    onSubscribe: ({ args }) => {
      const operation = getOperationAST(args.document, args.operationName);
      const root = operation?.selectionSet.selections[0];
      // A subscription has exactly one root field (validation says so); its name is a schema name, never input.
      const field = root?.kind === Kind.FIELD ? root.name.value : 'unknown';
      let open = false;
      const end = () => {
        if (!open) return;
        open = false;
        metrics.subscriptionsActive.dec({ field });
      };
      return {
        onSubscribeResult: ({ result }) => {
          if (!(Symbol.asyncIterator in result)) return undefined;
          open = true;
          metrics.subscriptionsActive.inc({ field });
          return { onEnd: end };
        },
        // A stream whose next() rejects never reports its end: the error is its end.
        onSubscribeError: end,
      };
    },
  };
}
