import type { Clock } from '../../lib/clock.js';
import type { LogCursorStore } from '../../services/logs/types.js';

/** A {@link LogCursorStore} in this process: each stream's cursor with its expiry on the gateway's clock. */
export function createMemoryLogCursorStore(clock: Clock): LogCursorStore {
  const cursors = new Map<string, { token: string; expiresAt: number }>();
  return {
    async load(key) {
      const entry = cursors.get(key);
      if (entry && entry.expiresAt > clock.now()) return entry.token;
      cursors.delete(key);
      return undefined;
    },
    async save(key, token, ttlMs) {
      cursors.set(key, { token, expiresAt: clock.now() + ttlMs });
    },
  };
}
