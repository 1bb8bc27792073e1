/**
 * One deadline per logical call, spanning every attempt, backoff sleep and rate-budget wait. It is an
 * AbortSignal driven by the injected clock, joined with the caller's own signal, so a hung upstream ends in
 * seconds rather than at undici's 300 s defaults.
 */
import type { Clock } from '../lib/clock.js';

/** Why a deadline's signal fired. */
export type AbortCause = 'deadline' | 'caller';

/** A running deadline. Always `dispose()` it when the call ends. */
export interface Deadline {
  readonly signal: AbortSignal;
  readonly budgetMs: number;
  /** Milliseconds left, never negative. */
  remainingMs(): number;
  /** Set once the signal has fired. */
  cause(): AbortCause | undefined;
  dispose(): void;
}

/** Starts a deadline of `budgetMs` on `clock`, also firing when `callerSignal` aborts. */
export function startDeadline(clock: Clock, budgetMs: number, callerSignal?: AbortSignal): Deadline {
  const controller = new AbortController();
  const endsAt = clock.now() + budgetMs;
  let fired: AbortCause | undefined;

  const fire = (why: AbortCause) => {
    if (fired) return;
    fired = why;
    const error = new Error(why === 'deadline' ? `deadline of ${budgetMs} ms exceeded` : 'aborted by caller');
    error.name = 'AbortError';
    controller.abort(error);
  };
  const onCallerAbort = () => fire('caller');
  const timer = clock.setTimeout(() => fire('deadline'), budgetMs);
  if (callerSignal?.aborted) fire('caller');
  else callerSignal?.addEventListener('abort', onCallerAbort, { once: true });

  return {
    signal: controller.signal,
    budgetMs,
    remainingMs: () => Math.max(0, endsAt - clock.now()),
    cause: () => fired,
    dispose() {
      clock.clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
    },
  };
}
