import { createHash } from 'node:crypto';
import { machineChangeId, type GatewayEvent, type MachineEventType } from '../events/types.js';
import type { MachineSnapshot } from './machine-snapshot.js';

/** Options for {@link diffMachines}. */
export interface DiffOptions {
  /**
   * `current` holds only machines that changed (the org feed with `updated_after`): a machine missing from it is
   * unchanged, not gone. With complete lists (the default) a missing machine is reported destroyed.
   */
  partial?: boolean;
  /** Timestamp for events whose machine carries no `updatedAt`. @default the Unix epoch */
  now?: string;
}

const DESTROYED = 'destroyed';

/**
 * A stable id for a derived event, from the facts it reports. Two instances (or two overlapping polls) that derive
 * the same change derive the same id, so the dedupe store publishes it once; and where a relay can describe the same
 * change it is {@link machineChangeId}, which the webhook path computes too. `sync:<hash>` only when Fly gave no
 * version or `updated_at` to key on.
 */
function syncEventId(type: MachineEventType, snapshot: MachineSnapshot, extra: Pick<GatewayEvent, 'from' | 'to' | 'version'>): string {
  const shared = machineChangeId({
    type,
    app: snapshot.app,
    machineId: snapshot.machineId,
    to: extra.to,
    version: extra.version,
    updatedAt: snapshot.updatedAt,
  });
  if (shared) return shared;
  const parts = [snapshot.app, snapshot.machineId, type, extra.from, extra.to, extra.version, snapshot.updatedAt];
  return `sync:${createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 32)}`;
}

function event(
  type: MachineEventType,
  snapshot: MachineSnapshot,
  timestamp: string,
  extra: Pick<GatewayEvent, 'from' | 'to' | 'version'> = {},
): GatewayEvent {
  const id = syncEventId(type, snapshot, extra);
  // Callers pass only the fields that apply, each with a value, so `extra` is spread as it is.
  return { id, type, timestamp, app: snapshot.app, machineId: snapshot.machineId, source: 'sync', ...extra };
}

/**
 * The events that turn `previous` into `current`, machine by machine in `current` order: `machine.created` for a
 * new machine, `machine.updated` when the version moved, then `machine.state_changed` (or `machine.destroyed` when
 * the new state is `destroyed`). A machine first seen already destroyed lived between two polls: it gets
 * `machine.created` then `machine.destroyed`. Pure: no I/O, no clock.
 */
export function diffMachines(
  previous: ReadonlyMap<string, MachineSnapshot>,
  current: readonly MachineSnapshot[],
  options: DiffOptions = {},
): GatewayEvent[] {
  const fallbackTime = options.now ?? new Date(0).toISOString();
  const events: GatewayEvent[] = [];
  const seen = new Set<string>();
  for (const snapshot of current) {
    seen.add(snapshot.machineId);
    const before = previous.get(snapshot.machineId);
    const at = snapshot.updatedAt ?? fallbackTime;
    if (!before) {
      if (snapshot.state !== DESTROYED) {
        events.push(event('machine.created', snapshot, at, { to: snapshot.state }));
      } else {
        // Created and destroyed between two polls (the feed with include_deleted shows it): report both, so
        // subscribers and caches see it come and go. Its first and last live states are not in the row.
        events.push(event('machine.created', snapshot, at), event('machine.destroyed', snapshot, at));
      }
      continue;
    }
    if (before.state === DESTROYED) continue;
    if (snapshot.version !== undefined && before.version !== undefined && snapshot.version !== before.version) {
      events.push(event('machine.updated', snapshot, at, { version: snapshot.version }));
    }
    if (snapshot.state === DESTROYED) {
      events.push(event('machine.destroyed', snapshot, at, { from: before.state }));
    } else if (snapshot.state !== before.state) {
      events.push(event('machine.state_changed', snapshot, at, { from: before.state, to: snapshot.state }));
    }
  }
  if (!options.partial) {
    for (const [machineId, before] of previous) {
      if (seen.has(machineId) || before.state === DESTROYED) continue;
      // Keyed on the last known snapshot, so every instance that notices the same disappearance agrees on the id.
      events.push(event('machine.destroyed', before, fallbackTime, { from: before.state }));
    }
  }
  return events;
}
