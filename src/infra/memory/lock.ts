import type { Lock } from '../../services/ports.js';
import { systemClock, type Clock } from '../../lib/clock.js';
import { defaultLockOwner, validateLockTtl } from '../../lib/lock-owner.js';

/** Lock state shared by memory locks that contend with each other (one per simulated instance). */
export type MemoryLockRegistry = Map<string, { owner: string; expiresAt: number }>;

/** Options for {@link createMemoryLock}. */
export interface MemoryLockOptions {
  /** @default 'lock' */
  key?: string;
  /** @default 30000 */
  ttlMs?: number;
  owner?: string;
  clock?: Clock;
  /** Share one registry between locks to make them contend; by default each lock has its own (always free). */
  registry?: MemoryLockRegistry;
}

/** A process-local {@link Lock}: for a single instance, and for tests that simulate several. */
export function createMemoryLock(options: MemoryLockOptions = {}): Lock {
  const key = options.key ?? 'lock';
  const ttlMs = options.ttlMs ?? 30_000;
  validateLockTtl(ttlMs);
  const clock = options.clock ?? systemClock;
  const owner = options.owner ?? defaultLockOwner();
  const registry: MemoryLockRegistry = options.registry ?? new Map();
  const holds = () => {
    const entry = registry.get(key);
    return entry !== undefined && entry.owner === owner && entry.expiresAt > clock.now();
  };
  return {
    async acquire() {
      const entry = registry.get(key);
      if (entry && entry.owner !== owner && entry.expiresAt > clock.now()) return false;
      registry.set(key, { owner, expiresAt: clock.now() + ttlMs });
      return true;
    },
    async release() {
      if (holds()) registry.delete(key);
    },
    get held() {
      return holds();
    },
  };
}
