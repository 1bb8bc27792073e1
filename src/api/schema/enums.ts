import { builder } from '../builder.js';

/** Every machine state Fly documents, plus UNKNOWN for values added after this release. */
export const machineStates = [
  'created',
  'starting',
  'started',
  'stopping',
  'stopped',
  'suspending',
  'suspended',
  'restarting',
  'updating',
  'replacing',
  'destroying',
  'destroyed',
  'failed',
  'launch_failed',
  'replaced',
  'migrated',
  'unknown',
] as const;
/** A machine state as Fly spells it. */
export type MachineStateValue = (typeof machineStates)[number];

/** Maps Fly's raw string to an enum value, never throwing on a new state. */
export function toMachineState(raw: string | undefined): MachineStateValue {
  return (machineStates as readonly string[]).includes(raw ?? '') ? (raw as MachineStateValue) : 'unknown';
}

/** GraphQL `MachineState`. */
export const MachineState = builder.enumType('MachineState', {
  description: 'Lifecycle state of a Fly Machine (see Fly\'s "Machine states and lifecycle").',
  values: Object.fromEntries(machineStates.map((s) => [s.toUpperCase(), { value: s }])) as Record<
    Uppercase<MachineStateValue>,
    { value: MachineStateValue }
  >,
});

/** Health check statuses Fly reports, plus unknown. */
export const checkStatuses = ['passing', 'warning', 'critical', 'unknown'] as const;
/** A check status as Fly spells it. */
export type CheckStatusValue = (typeof checkStatuses)[number];

/** Maps a health check's raw status. */
export function toCheckStatus(raw: string | undefined): CheckStatusValue {
  return (checkStatuses as readonly string[]).includes(raw ?? '') ? (raw as CheckStatusValue) : 'unknown';
}

/** GraphQL `CheckStatusValue`. */
export const CheckStatusValueEnum = builder.enumType('CheckStatusValue', {
  description: 'Status of a machine health check.',
  values: {
    PASSING: { value: 'passing' },
    WARNING: { value: 'warning' },
    CRITICAL: { value: 'critical' },
    UNKNOWN: { value: 'unknown' },
  } as const,
});

/** Who can cause a machine event, plus unknown. */
export const eventSources = ['flyd', 'user', 'unknown'] as const;
/** An event source as Fly spells it. */
export type EventSourceValue = (typeof eventSources)[number];

/** Maps an event's raw source. */
export function toEventSource(raw: string | undefined): EventSourceValue {
  return raw === 'flyd' || raw === 'user' ? raw : 'unknown';
}

/** GraphQL `EventSource`. */
export const EventSource = builder.enumType('EventSource', {
  description: 'Who caused a machine event: the platform (FLYD) or an API user (USER).',
  values: { FLYD: { value: 'flyd' }, USER: { value: 'user' }, UNKNOWN: { value: 'unknown' } } as const,
});

/** Signals Fly's `signal`, `stop` and `restart` endpoints accept. */
export const signals = [
  'SIGABRT',
  'SIGALRM',
  'SIGFPE',
  'SIGHUP',
  'SIGILL',
  'SIGINT',
  'SIGKILL',
  'SIGPIPE',
  'SIGQUIT',
  'SIGSEGV',
  'SIGTERM',
  'SIGTRAP',
  'SIGUSR1',
  'SIGUSR2',
] as const;

/** GraphQL `Signal`. */
export const SignalEnum = builder.enumType('Signal', {
  description: "A Unix signal Fly can deliver to a machine's main process.",
  values: signals,
});

/** Restart policies Fly accepts. */
export const restartPolicies = ['no', 'always', 'on-failure', 'spot-price'] as const;
/** A restart policy as Fly spells it. */
export type RestartPolicyValue = (typeof restartPolicies)[number];

/** Maps Fly's raw restart policy; null for a value this release does not know. */
export function toRestartPolicy(raw: string | undefined): RestartPolicyValue | null {
  return (restartPolicies as readonly string[]).includes(raw ?? '') ? (raw as RestartPolicyValue) : null;
}

/** GraphQL `RestartPolicy`. */
export const RestartPolicyEnum = builder.enumType('RestartPolicy', {
  description: "What Fly does when a machine's main process exits.",
  values: {
    NO: { value: 'no', description: 'Never restart automatically.' },
    ALWAYS: { value: 'always', description: 'Always restart, even after a clean exit.' },
    ON_FAILURE: { value: 'on-failure', description: 'Restart after a non-zero exit, up to maxRetries times.' },
    SPOT_PRICE: { value: 'spot-price', description: 'Restart when spot capacity is available again.' },
  } as const,
});

/** States Fly's wait endpoint accepts. */
export const waitStates = ['started', 'stopped', 'suspended', 'destroyed', 'failed', 'settled'] as const;

/** GraphQL `WaitState`. */
export const WaitStateEnum = builder.enumType('WaitState', {
  description: 'A state a mutation can wait for (SETTLED: any state that is not a transition).',
  values: Object.fromEntries(waitStates.map((s) => [s.toUpperCase(), { value: s }])) as Record<
    Uppercase<(typeof waitStates)[number]>,
    { value: (typeof waitStates)[number] }
  >,
});

/** GraphQL `AppHealthStatus`. */
export const AppHealthStatusEnum = builder.enumType('AppHealthStatus', {
  description: "A one-word summary of an app's machines and their checks.",
  values: {
    HEALTHY: { description: 'At least one machine is started and every check of every started machine passes.' },
    DEGRADED: { description: 'Machines are started, but some check is not passing or some machine failed.' },
    DOWN: { description: 'No machine is started and at least one failed.' },
    IDLE: { description: 'No machine is started and none failed (e.g. stopped by autostop).' },
    EMPTY: { description: 'The app has no machines.' },
  } as const,
});
