import type { DeploymentRecord } from '../../services/deploy/types.js';
import type { DeploymentEnd, DeploymentStore } from '../../services/ports.js';

/** Storage several memory stores can share, to simulate instances that share Redis. */
export interface MemoryDeploymentData {
  records: Map<string, DeploymentRecord>;
  ends: Map<string, DeploymentEnd>;
  /** Per app, its deployment ids oldest first. */
  byApp?: Map<string, string[]>;
}

/** Options of {@link createMemoryDeploymentStore}. */
export interface MemoryDeploymentStoreOptions {
  /** Deployments kept per app; older ones are dropped when a new one is saved. @default 50 */
  historyPerApp?: number;
}

/** A process-local {@link DeploymentStore}. */
export function createMemoryDeploymentStore(
  data: MemoryDeploymentData = { records: new Map(), ends: new Map() },
  options: MemoryDeploymentStoreOptions = {},
): DeploymentStore {
  const historyPerApp = options.historyPerApp ?? 50;
  const byApp = (data.byApp ??= new Map<string, string[]>());
  return {
    async save(record) {
      const isNew = !data.records.has(record.id);
      data.records.set(record.id, structuredClone(record));
      if (!isNew) return;
      const ids = byApp.get(record.app) ?? [];
      ids.push(record.id);
      for (const dropped of ids.splice(0, Math.max(0, ids.length - historyPerApp))) {
        data.records.delete(dropped);
        data.ends.delete(dropped);
      }
      byApp.set(record.app, ids);
    },
    async get(id) {
      const record = data.records.get(id);
      return record && structuredClone(record);
    },
    async decideEnd(id, end) {
      if (!data.ends.has(id)) data.ends.set(id, end);
      return data.ends.get(id)!;
    },
    async endOf(id) {
      return data.ends.get(id);
    },
    async list(app, limit) {
      const ids = byApp.get(app) ?? [];
      return ids
        .map((id) => data.records.get(id))
        .filter((r): r is DeploymentRecord => r !== undefined)
        .sort((a, b) => b.createdAt - a.createdAt)
        .slice(0, limit)
        .map((r) => structuredClone(r));
    },
  };
}
