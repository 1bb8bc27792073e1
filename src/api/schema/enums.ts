import { builder } from '../builder.js';

/** Every machine state Fly documents, plus UNKNOWN for values added after this release. */
export const machineStates = [
  'created', 'starting', 'started', 'stopping', 'stopped', 'suspending', 'suspended', 'restarting', 'updating',
  'replacing', 'destroying', 'destroyed', 'failed', 'launch_failed', 'replaced', 'migrated', 'unknown',
] as const;
export type MachineStateValue = (typeof machineStates)[number];

/** Maps Fly's raw string to an enum value, never throwing on a new state. */
export function toMachineState(raw: string | undefined): MachineStateValue {
  return (machineStates as readonly string[]).includes(raw ?? '') ? (raw as MachineStateValue) : 'unknown';
}

export const MachineState = builder.enumType('MachineState', {
  description: 'Lifecycle state of a Fly Machine (see Fly\'s "Machine states and lifecycle").',
  values: Object.fromEntries(machineStates.map((s) => [s.toUpperCase(), { value: s }])) as Record<
    Uppercase<MachineStateValue>,
    { value: MachineStateValue }
  >,
});

export const checkStatuses = ['passing', 'warning', 'critical', 'unknown'] as const;
export type CheckStatusValue = (typeof checkStatuses)[number];

/** Maps a health check's raw status. */
export function toCheckStatus(raw: string | undefined): CheckStatusValue {
  return (checkStatuses as readonly string[]).includes(raw ?? '') ? (raw as CheckStatusValue) : 'unknown';
}

export const CheckStatusValueEnum = builder.enumType('CheckStatusValue', {
  description: 'Status of a machine health check.',
  values: { PASSING: { value: 'passing' }, WARNING: { value: 'warning' }, CRITICAL: { value: 'critical' }, UNKNOWN: { value: 'unknown' } } as const,
});

export const eventSources = ['flyd', 'user', 'unknown'] as const;
export type EventSourceValue = (typeof eventSources)[number];

/** Maps an event's raw source. */
export function toEventSource(raw: string | undefined): EventSourceValue {
  return raw === 'flyd' || raw === 'user' ? raw : 'unknown';
}

export const EventSource = builder.enumType('EventSource', {
  description: 'Who caused a machine event: the platform (FLYD) or an API user (USER).',
  values: { FLYD: { value: 'flyd' }, USER: { value: 'user' }, UNKNOWN: { value: 'unknown' } } as const,
});
