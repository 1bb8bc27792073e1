import type { Clock, TimerHandle } from '../lib/clock.js';
import type { Lifecycle } from './lifecycle.js';
import { activeLease } from './serialize.js';
import type { Store } from './store.js';

/** The demo "activity" loop: every tick, nudges one random machine (start, stop, restart, suspend, check flip). */
export interface ActivityLoop {
  start(intervalMs?: number): void;
  stop(): void;
  /** One nudge, for tests. */
  tick(): void;
}

/** Creates an {@link ActivityLoop}; `random` is injectable for deterministic tests, `appFilter` limits it to demo apps. */
export function createActivityLoop(
  store: Store,
  lifecycle: Lifecycle,
  clock: Clock,
  options: { random?: () => number; appFilter?: (app: string) => boolean } = {},
): ActivityLoop {
  const random = options.random ?? Math.random;
  const appFilter = options.appFilter ?? (() => true);
  let timer: TimerHandle | undefined;
  const pick = <T>(items: T[]): T | undefined => items[Math.floor(random() * items.length)];

  function tick(): void {
    const now = clock.now();
    const candidates = [...store.machines.values()].filter(
      (m) => appFilter(m.app) && ['started', 'stopped', 'suspended', 'failed', 'created'].includes(m.state) && !activeLease(m, now),
    );
    const m = pick(candidates);
    if (!m) return;
    const roll = random();
    try {
      if (m.state !== 'started') lifecycle.start(m);
      else if (roll < 0.3 && m.checks.length > 0) {
        const check = pick(m.checks)!;
        lifecycle.setCheck(m, check.name, check.status === 'passing' ? 'critical' : 'passing');
      } else if (roll < 0.55) lifecycle.restart(m);
      else if (roll < 0.8) lifecycle.stop(m);
      else if (roll < 0.9) lifecycle.suspend(m);
      else lifecycle.exit(m, 1);
    } catch {
      // A machine that changed state under us is simply skipped this tick.
    }
  }

  return {
    start(intervalMs = 5000) {
      if (timer !== undefined) return;
      const loop = () => {
        tick();
        timer = clock.setTimeout(loop, intervalMs);
      };
      timer = clock.setTimeout(loop, intervalMs);
    },
    stop() {
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
    },
    tick,
  };
}
