/**
 * Bounds the replays a bus runs at once. A resume with `afterSeq` copies up to `EVENTS_MAX_REPLAY` events into its
 * subscription; a thousand at once (every client of a dashboard reconnecting after a deploy) would read and hand on
 * millions of events in one go and starve everything else on the event loop, `/healthz` included. Waiting replays
 * run in arrival order; their subscriptions set live events aside meanwhile, so none is skipped.
 */
export interface ReplayGate {
  /** Runs `replay` once fewer than the bound are running. */
  run(replay: () => Promise<void>): Promise<void>;
}

/** Creates a {@link ReplayGate} letting `maxConcurrent` replays run at once. */
export function createReplayGate(maxConcurrent: number): ReplayGate {
  if (!Number.isInteger(maxConcurrent) || maxConcurrent <= 0) {
    throw new RangeError(`createReplayGate: maxConcurrent must be a positive integer, got ${maxConcurrent}`);
  }
  let running = 0;
  const waiting: Array<() => void> = [];
  return {
    async run(replay) {
      if (running >= maxConcurrent) await new Promise<void>((resolve) => waiting.push(resolve));
      else running += 1;
      try {
        await replay();
      } finally {
        // The slot passes straight to the next waiter, so a newcomer cannot overtake the queue.
        const next = waiting.shift();
        if (next) next();
        else running -= 1;
      }
    },
  };
}

/** Events handed to a subscription between two yields to the event loop while replaying. */
export const REPLAY_PAGE_SIZE = 100;

/** Resolves in a later turn of the event loop, after pending I/O (health checks, other sockets) had its turn. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Longest a replay waits for its consumer to take a page before handing on the next one anyway. */
const DRAIN_WAIT_MS = 1_000;

/**
 * What a replay does between two pages: waits until its consumer has taken the last one (so a replay never runs
 * ahead of its socket, and the gate bounds the work in flight, not just the reading), at most {@link DRAIN_WAIT_MS}
 * so a stalled client cannot hold a slot of the gate (its buffer then overflows into a resync), then yields.
 */
export async function betweenPages(subscription: { drained(): Promise<void> }): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, DRAIN_WAIT_MS)));
  await Promise.race([subscription.drained(), timeout]);
  clearTimeout(timer);
  await yieldToEventLoop();
}
