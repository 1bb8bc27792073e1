/** Path helpers shared by the machine resource files. */
import { segment } from './request-parts.js';
import type { MachineRef } from './types.js';

/** `/apps/{app}/machines`, encoded. */
export function machinesPath(operation: string, app: string): string {
  return `/apps/${segment(operation, 'app', app)}/machines`;
}

/** `/apps/{app}/machines/{id}` plus an optional suffix, encoded. */
export function machinePath(operation: string, ref: MachineRef, suffix = ''): string {
  return `${machinesPath(operation, ref.app)}/${segment(operation, 'machineId', ref.machineId)}${suffix}`;
}
