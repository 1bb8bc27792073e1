import type { FlyMachineEvent } from '../../flyio/wire/machine.js';
import { builder } from '../builder.js';
import { EventSource, toEventSource } from './enums.js';

type ExitEvent = { exit_code?: number; oom_killed?: boolean; requested_stop?: boolean; signal?: number };

/** Exit details sit in `request.exit_event`, sometimes under `request.MonitorEvent`. */
function exitEvent(event: FlyMachineEvent): ExitEvent | undefined {
  const request = event.request as Record<string, unknown> | undefined;
  const direct = request?.exit_event ?? (request?.MonitorEvent as Record<string, unknown> | undefined)?.exit_event;
  return direct && typeof direct === 'object' ? (direct as ExitEvent) : undefined;
}

/** One entry of a machine's event log. */
export const MachineEventRef = builder.objectRef<FlyMachineEvent>('MachineEvent').implement({
  description: 'One entry of a machine\'s event log (launch, start, stop, exit, restart, update, ...).',
  fields: (t) => ({
    id: t.id({ description: "Fly's event id (a ULID).", resolve: (e) => e.id }),
    type: t.string({ resolve: (e) => e.type }),
    status: t.string({ nullable: true, resolve: (e) => e.status ?? null }),
    source: t.field({ type: EventSource, resolve: (e) => toEventSource(e.source) }),
    timestamp: t.field({ type: 'DateTime', resolve: (e) => new Date(e.timestamp) }),
    exitCode: t.int({ nullable: true, resolve: (e) => exitEvent(e)?.exit_code ?? null }),
    oomKilled: t.boolean({ nullable: true, resolve: (e) => exitEvent(e)?.oom_killed ?? null }),
    requestedStop: t.boolean({ nullable: true, resolve: (e) => exitEvent(e)?.requested_stop ?? null }),
  }),
});
