import type { FlyClient } from '../../flyio/types.js';
import { snapshotFromMachine, snapshotFromOrgMachine, type MachineSnapshot } from './machine-snapshot.js';

/** The Fly calls the sync job makes. */
export type SyncFlyClient = Pick<FlyClient, 'orgs' | 'apps' | 'machines'>;

/** One poll's view of the org. */
export interface PollResult {
  /** One snapshot per machine (the latest row when a machine appeared twice). */
  machines: MachineSnapshot[];
  /** True when `machines` holds only what changed since `updatedAfter` (see `DiffOptions.partial`). */
  partial: boolean;
  via: 'feed' | 'apps';
  /** Largest `updated_at` among the rows. */
  maxUpdatedAt?: string;
}

// A cursor that never ends would keep a poll alive forever; no org needs this many pages of 1000.
const MAX_PAGES = 1_000;

function collect(rows: Iterable<MachineSnapshot>, partial: boolean, via: PollResult['via']): PollResult {
  const byId = new Map<string, MachineSnapshot>();
  let maxUpdatedAt: string | undefined;
  for (const row of rows) {
    const existing = byId.get(row.machineId);
    // Ordering by updated_at is not guaranteed across pages, so keep whichever row is newer.
    if (!existing || laterThan(row.updatedAt, existing.updatedAt)) byId.set(row.machineId, row);
    if (laterThan(row.updatedAt, maxUpdatedAt)) maxUpdatedAt = row.updatedAt;
  }
  return { machines: [...byId.values()], partial, via, maxUpdatedAt };
}

/** Compares RFC 3339 timestamps by instant; unparseable or missing values never win. */
export function laterThan(a: string | undefined, b: string | undefined): boolean {
  const ta = a === undefined ? NaN : Date.parse(a);
  if (Number.isNaN(ta)) return false;
  const tb = b === undefined ? NaN : Date.parse(b);
  return Number.isNaN(tb) || ta > tb;
}

/**
 * Reads the org change feed (`GET /orgs/{org}/machines`), following `next_cursor`. With `updatedAfter` it returns
 * only what changed; without it, every machine (a baseline). Destroyed machines are included so they can be seen
 * going away.
 */
export async function pollOrgFeed(
  fly: SyncFlyClient,
  org: string,
  updatedAfter: string | undefined,
  signal?: AbortSignal,
): Promise<PollResult> {
  const rows: MachineSnapshot[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const response = await fly.orgs.machines({ org, updatedAfter, cursor, includeDeleted: true, summary: true }, { signal });
    for (const row of response.machines) {
      const snapshot = snapshotFromOrgMachine(row);
      if (snapshot) rows.push(snapshot);
    }
    cursor = response.next_cursor || undefined;
    if (!cursor) break;
  }
  return collect(rows, updatedAfter !== undefined, 'feed');
}

/** Lists every app of the org and every live machine of each: a complete view, costlier than the feed. */
export async function pollPerApp(fly: SyncFlyClient, org: string, signal?: AbortSignal): Promise<PollResult> {
  const apps = await fly.apps.listAll({ org }, { signal });
  const rows: MachineSnapshot[] = [];
  for (const app of apps) {
    const machines = await fly.machines.listAll({ app: app.name, summary: true }, { signal });
    for (const machine of machines) rows.push(snapshotFromMachine(app.name, machine));
  }
  return collect(rows, false, 'apps');
}
