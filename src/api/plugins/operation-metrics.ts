import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Metrics } from '../../lib/metrics.js';

/** Counts operations by type and outcome. */
export function useOperationMetrics(metrics: Pick<Metrics, 'graphqlOperations'>): Plugin {
  return {
    onExecute: ({ args }) => {
      const operation = getOperationAST(args.document, args.operationName);
      const operationType = operation?.operation ?? 'unknown';
      return {
        onExecuteDone: ({ result }) => {
          const failed = result && !(Symbol.asyncIterator in result) && (result.errors?.length ?? 0) > 0;
          metrics.graphqlOperations.inc({ operation_type: operationType, outcome: failed ? 'error' : 'ok' });
        },
      };
    },
  };
}
