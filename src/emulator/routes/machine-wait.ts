import type { Handlers, RouteContext } from '../context.js';
import { flyError } from '../http-error.js';
import { SETTLED_STATES } from '../lifecycle.js';
import { parseDurationMs } from '../request-helpers.js';
import { currentVersion } from '../serialize.js';
import type { MachineRecord } from '../types.js';
import type { WaitCondition } from '../waiters.js';

const WAITABLE = new Set(['started', 'stopped', 'suspended', 'destroyed', 'failed', 'settled']);

/** Builds the wait condition from the query (MACHINES-API.md §6). */
export function waitCondition(m: MachineRecord, query: URLSearchParams): WaitCondition {
  const targets = query
    .getAll('state')
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  if (targets.length === 0) targets.push('started');
  for (const t of targets) if (!WAITABLE.has(t)) throw flyError(400, `invalid state for wait: ${t}`);
  const wants = (state: string) => targets.includes(state) || (targets.includes('settled') && SETTLED_STATES.has(state));

  const version = query.get('version') || query.get('instance_id') || undefined;
  if (version && !m.versions.some((v) => v.version === version)) throw flyError(404, `machine version not found: ${version}`);
  const fromEventId = query.get('from_event_id') || undefined;

  return (machine) => {
    const current = currentVersion(machine);
    const lastEventId = machine.events[machine.events.length - 1]?.id ?? '';
    if (version && version !== current) {
      // An older version is terminal (`replaced`); only `settled` accepts it.
      return targets.includes('settled') ? { ok: true, state: 'replaced', version, event_id: lastEventId } : undefined;
    }
    if (fromEventId) {
      // Event ids are monotonic ULIDs, so "after that event" is a string comparison.
      const hit = machine.events.find((e) => e.id > fromEventId && wants(e.status));
      return hit ? { ok: true, state: hit.status, version: current, event_id: hit.id } : undefined;
    }
    if (!wants(machine.state)) return undefined;
    const reached = [...machine.events].reverse().find((e) => e.status === machine.state);
    return { ok: true, state: machine.state, version: current, event_id: reached?.id ?? lastEventId };
  };
}

/** Wait timeout in ms: integer seconds or a `30s`-style string, default 60, clamped to 1..60 s. */
export function waitTimeoutMs(raw: string | null): number {
  const ms = parseDurationMs(raw ?? undefined) ?? 60_000;
  return Math.min(60_000, Math.max(1_000, ms));
}

/** Handler for the `wait` long-poll, blocking on the emulator clock; 408 on timeout. */
export function waitRoutes(ctx: RouteContext): Handlers {
  return {
    'machines.wait': async ({ params, query, signal }) => {
      const m = ctx.store.getMachine(params.app_name, params.machine_id, true);
      const condition = waitCondition(m, query);
      const timeoutMs = waitTimeoutMs(query.get('timeout'));
      const result = await ctx.waiters.wait(m, condition, timeoutMs, signal);
      if (result === 'timeout') throw flyError(408, `timed out waiting for machine ${m.id} to reach the requested state`);
      if (result === 'aborted') return { status: 499 };
      return { status: 200, body: result };
    },
  };
}
