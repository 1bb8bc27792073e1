import { AsyncLocalStorage } from 'node:async_hooks';
import type { FlyCallRecord } from '../flyio/types.js';

/** Upstream calls made while serving one GraphQL operation. */
export interface UpstreamTally {
  calls: number;
  byOperation: Record<string, number>;
}

/**
 * Attributes Fly calls to the GraphQL request that caused them. The Fly client reports every attempt through one
 * hook; the HTTP layer runs each request inside {@link UpstreamTracker.run}, so the hook finds the right tally
 * without threading it through every resolver and loader.
 */
export interface UpstreamTracker {
  run<T>(fn: () => T): T;
  /** The tally of the request in progress, if any. */
  current(): UpstreamTally | undefined;
  /** Hook for `createFlyClient({ onCall })`. */
  record(call: FlyCallRecord): void;
}

/** Creates an {@link UpstreamTracker}. One per gateway. */
export function createUpstreamTracker(): UpstreamTracker {
  const storage = new AsyncLocalStorage<UpstreamTally>();
  return {
    run: (fn) => storage.run({ calls: 0, byOperation: {} }, fn),
    current: () => storage.getStore(),
    record(call) {
      const tally = storage.getStore();
      if (!tally) return;
      tally.calls += 1;
      tally.byOperation[call.operation] = (tally.byOperation[call.operation] ?? 0) + 1;
    },
  };
}
