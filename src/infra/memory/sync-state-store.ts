import type { SyncState, SyncStateStore } from '../../services/ports.js';

/** A process-local {@link SyncStateStore}. */
export function createMemorySyncStateStore(): SyncStateStore {
  let saved: SyncState | undefined;
  return {
    async load() {
      return saved && structuredClone(saved);
    },
    async save(state) {
      saved = structuredClone(state);
    },
  };
}
