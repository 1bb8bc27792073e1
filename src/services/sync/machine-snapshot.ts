import type { FlyMachine, FlyOrgMachine } from '../../flyio/wire/machine.js';

/** What the sync job remembers about a machine between polls: exactly the fields its events are derived from. */
export interface MachineSnapshot {
  app: string;
  machineId: string;
  state: string;
  version?: string;
  /** RFC 3339, as Fly reports it. */
  updatedAt?: string;
}

/** A row of the org feed as a snapshot; `undefined` when the row names no app (it cannot be addressed). */
export function snapshotFromOrgMachine(row: FlyOrgMachine): MachineSnapshot | undefined {
  if (!row.app_name) return undefined;
  return { app: row.app_name, machineId: row.id, state: row.state, version: row.version, updatedAt: row.updated_at };
}

/** A machine from a per-app list as a snapshot. */
export function snapshotFromMachine(app: string, machine: FlyMachine): MachineSnapshot {
  return { app, machineId: machine.id, state: machine.state, version: machine.version, updatedAt: machine.updated_at };
}

/** True when anything the job tracks differs (including `updatedAt`, which moves on restarts too). */
export function snapshotChanged(previous: MachineSnapshot | undefined, current: MachineSnapshot): boolean {
  return (
    previous === undefined ||
    previous.app !== current.app ||
    previous.state !== current.state ||
    previous.version !== current.version ||
    previous.updatedAt !== current.updatedAt
  );
}
