import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Metrics } from '../../lib/metrics.js';
import type { UpstreamTracker } from '../../services/upstream-tracker.js';

/**
 * Records how many Fly calls each operation made, so an N+1 regression shows up in metrics as well as in the
 * development-only `extensions.upstreamCalls`.
 */
export function useUpstreamCallsMetric(tracker: UpstreamTracker, metrics: Pick<Metrics, 'upstreamCallsPerOperation'>): Plugin {
  return {
    onExecute: ({ args }) => {
      const operationType = getOperationAST(args.document, args.operationName)?.operation ?? 'unknown';
      return {
        onExecuteDone: () => {
          const tally = tracker.current();
          if (tally) metrics.upstreamCallsPerOperation.observe({ operation_type: operationType }, tally.calls);
        },
      };
    },
  };
}
