import type { FlyMachine } from '../../flyio/wire/machine.js';
import { builder } from '../builder.js';
import { AppHealthStatusEnum, MachineState, toCheckStatus, toMachineState, type MachineStateValue } from './enums.js';

type AppHealthStatus = 'HEALTHY' | 'DEGRADED' | 'DOWN' | 'IDLE' | 'EMPTY';

/** A summary computed from an app's machine list (no call beyond that list). */
export interface AppHealthSummary {
  status: AppHealthStatus;
  machineCount: number;
  byState: { state: MachineStateValue; count: number }[];
  checks: { passing: number; warning: number; critical: number; unknown: number };
}

/** Summarises machines and their checks; destroyed machines do not count. */
export function summarizeAppHealth(machines: FlyMachine[]): AppHealthSummary {
  const live = machines.filter((m) => m.state !== 'destroyed');
  const byState = new Map<MachineStateValue, number>();
  const checks = { passing: 0, warning: 0, critical: 0, unknown: 0 };
  let startedOk = 0;
  let startedBad = 0;
  for (const m of live) {
    const state = toMachineState(m.state);
    byState.set(state, (byState.get(state) ?? 0) + 1);
    const statuses = (m.checks ?? []).map((c) => toCheckStatus(c.status));
    for (const s of statuses) checks[s] += 1;
    if (state === 'started') {
      if (statuses.every((s) => s === 'passing')) startedOk++;
      else startedBad++;
    }
  }
  const failed = (byState.get('failed') ?? 0) + (byState.get('launch_failed') ?? 0);
  let status: AppHealthStatus;
  if (live.length === 0) status = 'EMPTY';
  else if (startedOk + startedBad === 0) status = failed > 0 ? 'DOWN' : 'IDLE';
  else status = startedBad > 0 || failed > 0 ? 'DEGRADED' : 'HEALTHY';
  return {
    status,
    machineCount: live.length,
    byState: [...byState].sort(([a], [b]) => a.localeCompare(b)).map(([state, count]) => ({ state, count })),
    checks,
  };
}

const StateCountRef = builder.objectRef<{ state: MachineStateValue; count: number }>('MachineStateCount').implement({
  fields: (t) => ({ state: t.field({ type: MachineState, resolve: (c) => c.state }), count: t.exposeInt('count') }),
});

const CheckCountsRef = builder.objectRef<AppHealthSummary['checks']>('CheckCounts').implement({
  description: "Health check results across the app's machines.",
  fields: (t) => ({
    passing: t.exposeInt('passing'),
    warning: t.exposeInt('warning'),
    critical: t.exposeInt('critical'),
    unknown: t.exposeInt('unknown'),
  }),
});

/** An app's health at a glance. */
export const AppHealthRef = builder.objectRef<AppHealthSummary>('AppHealth').implement({
  description: "An app's health at a glance, from its machines' states and checks.",
  fields: (t) => ({
    status: t.field({ type: AppHealthStatusEnum, resolve: (h) => h.status }),
    machineCount: t.exposeInt('machineCount', { description: 'Machines that are not destroyed.' }),
    machinesByState: t.field({ type: [StateCountRef], resolve: (h) => h.byState }),
    checks: t.field({ type: CheckCountsRef, resolve: (h) => h.checks }),
  }),
});
