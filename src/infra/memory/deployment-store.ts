import type { DeploymentRecord } from '../../services/deploy/types.js';
import type { DeploymentStore } from '../../services/ports.js';

/** Storage several memory stores can share, to simulate instances that share Redis. */
export interface MemoryDeploymentData {
  records: Map<string, DeploymentRecord>;
  cancels: Set<string>;
}

/** A process-local {@link DeploymentStore}. */
export function createMemoryDeploymentStore(data: MemoryDeploymentData = { records: new Map(), cancels: new Set() }): DeploymentStore {
  return {
    async save(record) {
      data.records.set(record.id, structuredClone(record));
    },
    async get(id) {
      const record = data.records.get(id);
      return record && structuredClone(record);
    },
    async requestCancel(id) {
      data.cancels.add(id);
    },
    async isCancelRequested(id) {
      return data.cancels.has(id);
    },
  };
}
