import type { DeploymentRecord } from '../../services/deploy/types.js';
import type { DeploymentEnd, DeploymentStore } from '../../services/ports.js';

/** Storage several memory stores can share, to simulate instances that share Redis. */
export interface MemoryDeploymentData {
  records: Map<string, DeploymentRecord>;
  ends: Map<string, DeploymentEnd>;
}

/** A process-local {@link DeploymentStore}. */
export function createMemoryDeploymentStore(data: MemoryDeploymentData = { records: new Map(), ends: new Map() }): DeploymentStore {
  return {
    async save(record) {
      data.records.set(record.id, structuredClone(record));
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
  };
}
