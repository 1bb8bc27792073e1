import type { FlyMachine, FlyMachineEvent, FlyOrgMachinesResponse } from '#src/flyio/wire/machine.js';
import type { OrgMachinesInput } from '#src/flyio/types.js';
import type { SyncFlyClient } from '#src/services/sync/poll-machines.js';

/** One machine in the fake world. */
export interface FakeMachine {
  app: string;
  id: string;
  state: string;
  version: string;
  updatedAt: string;
}

/**
 * A plain-object stand-in for the Fly client with just the calls the sync job makes. The org feed filters on
 * `updated_after` like Fly's; `failFeed` makes it throw.
 */
export function createFakeFly() {
  const machines = new Map<string, FakeMachine>();
  const events = new Map<string, FlyMachineEvent[]>();
  const calls: Array<{ op: string; input: unknown }> = [];
  const state = { failFeed: false };

  const fly = {
    orgs: {
      async machines(input: OrgMachinesInput): Promise<FlyOrgMachinesResponse> {
        calls.push({ op: 'orgs.machines', input });
        if (state.failFeed) throw new Error('feed unavailable');
        const after = input.updatedAfter ? Date.parse(input.updatedAfter) : -Infinity;
        const rows = [...machines.values()]
          .filter((m) => Date.parse(m.updatedAt) > after && (input.includeDeleted || m.state !== 'destroyed'))
          .map((m) => ({ id: m.id, app_name: m.app, state: m.state, version: m.version, updated_at: m.updatedAt }));
        return { machines: rows };
      },
    },
    apps: {
      async listAll(input: { org: string }) {
        calls.push({ op: 'apps.listAll', input });
        return [...new Set([...machines.values()].map((m) => m.app))].map((name) => ({ name }));
      },
    },
    machines: {
      async listAll(input: { app: string }): Promise<FlyMachine[]> {
        calls.push({ op: 'machines.listAll', input });
        return [...machines.values()]
          .filter((m) => m.app === input.app && m.state !== 'destroyed')
          .map((m) => ({ id: m.id, state: m.state, version: m.version, updated_at: m.updatedAt }));
      },
      async events(input: { app: string; machineId: string }): Promise<FlyMachineEvent[]> {
        calls.push({ op: 'machines.events', input });
        return [...(events.get(input.machineId) ?? [])].reverse();
      },
    },
  } as unknown as SyncFlyClient;

  return {
    fly,
    calls,
    state,
    /** Creates or changes a machine. */
    put(machine: FakeMachine) {
      machines.set(machine.id, machine);
    },
    /** Appends a Fly event to a machine's log (the fake returns newest first, like Fly). */
    addEvent(machineId: string, event: FlyMachineEvent) {
      events.set(machineId, [...(events.get(machineId) ?? []), event]);
    },
  };
}
