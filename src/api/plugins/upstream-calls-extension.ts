import type { Plugin } from 'graphql-yoga';
import type { UpstreamTracker } from '../../services/upstream-tracker.js';

/** Adds `extensions.upstreamCalls` (Fly calls made for this operation) when enabled. */
export function useUpstreamCallsExtension(tracker: UpstreamTracker): Plugin {
  return {
    onExecute: () => ({
      onExecuteDone: ({ result, setResult }) => {
        const tally = tracker.current();
        if (!tally || !result || Symbol.asyncIterator in result) return;
        setResult({
          ...result,
          extensions: {
            ...result.extensions,
            upstreamCalls: { total: tally.calls, byOperation: { ...tally.byOperation } },
            cache: { ...tally.cache },
          },
        });
      },
    }),
  };
}
