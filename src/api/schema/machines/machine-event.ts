import type { FlyMachineEvent } from '../../../flyio/wire/machine.js';
import { builder } from '../../builder.js';
import { EventSource, toEventSource } from '../enums.js';

type ExitEvent = { exit_code?: number; oom_killed?: boolean; requested_stop?: boolean; signal?: number; restarting?: boolean };

/** Exit details sit in `request.exit_event`, sometimes under `request.MonitorEvent`. */
function exitEvent(event: FlyMachineEvent): ExitEvent | undefined {
  const request = event.request as Record<string, unknown> | undefined;
  const direct = request?.exit_event ?? (request?.MonitorEvent as Record<string, unknown> | undefined)?.exit_event;
  return direct && typeof direct === 'object' ? (direct as ExitEvent) : undefined;
}

const numberOrNull = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const boolOrNull = (value: unknown): boolean | null => (typeof value === 'boolean' ? value : null);

/** One entry of a machine's event log. */
export const MachineEventRef = builder.objectRef<FlyMachineEvent>('MachineEvent').implement({
  description: "One entry of a machine's event log (launch, start, stop, exit, restart, update, ...).",
  fields: (t) => ({
    id: t.id({ description: "Fly's event id (a ULID).", resolve: (e) => e.id }),
    type: t.string({ description: 'What happened: launch, start, stop, exit, restart, update, destroy, ...', resolve: (e) => e.type }),
    status: t.string({ nullable: true, description: 'The machine state the event led to.', resolve: (e) => e.status ?? null }),
    source: t.field({ type: EventSource, resolve: (e) => toEventSource(e.source) }),
    timestamp: t.field({ type: 'DateTime', resolve: (e) => new Date(e.timestamp) }),
    exitCode: t.int({
      nullable: true,
      description: 'For exit events: the main process exit code.',
      resolve: (e) => numberOrNull(exitEvent(e)?.exit_code),
    }),
    exitSignal: t.int({
      nullable: true,
      description: 'For exit events: the signal that ended the process, if any.',
      resolve: (e) => numberOrNull(exitEvent(e)?.signal),
    }),
    oomKilled: t.boolean({ nullable: true, resolve: (e) => boolOrNull(exitEvent(e)?.oom_killed) }),
    requestedStop: t.boolean({
      nullable: true,
      description: 'For exit events: whether a stop was requested.',
      resolve: (e) => boolOrNull(exitEvent(e)?.requested_stop),
    }),
    restarting: t.boolean({
      nullable: true,
      description: 'For exit events: whether Fly is restarting the machine.',
      resolve: (e) => boolOrNull(exitEvent(e)?.restarting),
    }),
  }),
});
