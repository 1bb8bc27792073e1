import type { Clock } from '../lib/clock.js';
import type { MachineRecord } from './types.js';

/** Body of a successful wait. */
export interface WaitResult {
  ok: true;
  state: string;
  version: string;
  event_id: string;
}

/** Decides whether a machine now satisfies a wait; undefined means keep waiting. */
export type WaitCondition = (m: MachineRecord) => WaitResult | undefined;

/** Long-poll registry: the lifecycle notifies, pending waits re-check their condition. */
export interface Waiters {
  /** Resolves with the result, or `'timeout'` after `timeoutMs` on the clock, or `'aborted'`. */
  wait(m: MachineRecord, condition: WaitCondition, timeoutMs: number, signal: AbortSignal): Promise<WaitResult | 'timeout' | 'aborted'>;
  notify(m: MachineRecord): void;
  /** Ends all pending waits (emulator shutdown). */
  dispose(): void;
}

interface Pending {
  condition: WaitCondition;
  finish: (r: WaitResult | 'timeout' | 'aborted') => void;
}

/** Creates a {@link Waiters} registry timed by `clock`. */
export function createWaiters(clock: Clock): Waiters {
  const byMachine = new Map<string, Set<Pending>>();

  return {
    wait(m, condition, timeoutMs, signal) {
      const now = condition(m);
      if (now) return Promise.resolve(now);
      return new Promise((resolve) => {
        const set = byMachine.get(m.id) ?? new Set<Pending>();
        byMachine.set(m.id, set);
        const pending: Pending = {
          condition,
          finish(r) {
            set.delete(pending);
            if (set.size === 0) byMachine.delete(m.id);
            clock.clearTimeout(timer);
            signal.removeEventListener('abort', onAbort);
            resolve(r);
          },
        };
        const timer = clock.setTimeout(() => pending.finish('timeout'), timeoutMs);
        const onAbort = () => pending.finish('aborted');
        signal.addEventListener('abort', onAbort, { once: true });
        set.add(pending);
      });
    },
    notify(m) {
      for (const pending of [...(byMachine.get(m.id) ?? [])]) {
        const result = pending.condition(m);
        if (result) pending.finish(result);
      }
    },
    dispose() {
      for (const set of [...byMachine.values()]) for (const p of [...set]) p.finish('aborted');
    },
  };
}
