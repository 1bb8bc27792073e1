import { describe, expect, it } from 'vitest';
import { machineChangeId } from '#src/services/events/types.js';
import { diffMachines } from '#src/services/sync/diff-machines.js';
import type { MachineSnapshot } from '#src/services/sync/machine-snapshot.js';

function buildSnapshot(overrides: Partial<MachineSnapshot> = {}): MachineSnapshot {
  return { app: 'web', machineId: 'm1', state: 'started', version: 'v1', updatedAt: '2026-01-01T00:00:00Z', ...overrides };
}

const mapOf = (...snapshots: MachineSnapshot[]) => new Map(snapshots.map((s) => [s.machineId, s]));

describe('diffMachines', () => {
  it('should emit nothing when the snapshots are identical', () => {
    expect(diffMachines(mapOf(buildSnapshot()), [buildSnapshot()])).toEqual([]);
  });

  it('should emit created with the first state when a machine is new', () => {
    const [event] = diffMachines(new Map(), [buildSnapshot({ state: 'created' })]);
    expect(event).toMatchObject({
      type: 'machine.created',
      app: 'web',
      machineId: 'm1',
      to: 'created',
      source: 'sync',
      timestamp: '2026-01-01T00:00:00Z',
    });
    expect(event?.id).toMatch(/^change:/);
  });

  it('should emit state_changed with from and to when the state moved', () => {
    const events = diffMachines(mapOf(buildSnapshot({ state: 'stopped' })), [buildSnapshot({ updatedAt: '2026-01-01T00:01:00Z' })]);
    expect(events).toMatchObject([{ type: 'machine.state_changed', from: 'stopped', to: 'started' }]);
  });

  it('should emit updated before state_changed when version and state both moved', () => {
    const events = diffMachines(mapOf(buildSnapshot({ state: 'stopped' })), [buildSnapshot({ version: 'v2', state: 'starting' })]);
    expect(events.map((e) => [e.type, e.version ?? e.to])).toEqual([
      ['machine.updated', 'v2'],
      ['machine.state_changed', 'starting'],
    ]);
  });

  it('should emit destroyed instead of state_changed when the new state is destroyed', () => {
    const events = diffMachines(mapOf(buildSnapshot()), [buildSnapshot({ state: 'destroyed' })]);
    expect(events).toMatchObject([{ type: 'machine.destroyed', from: 'started' }]);
  });

  it('should emit destroyed when a machine is missing from a complete list', () => {
    const events = diffMachines(mapOf(buildSnapshot(), buildSnapshot({ machineId: 'm2' })), [buildSnapshot()], {
      now: '2026-01-02T00:00:00.000Z',
    });
    expect(events).toMatchObject([{ type: 'machine.destroyed', machineId: 'm2', timestamp: '2026-01-02T00:00:00.000Z' }]);
  });

  it('should not emit destroyed for missing machines when the list is partial', () => {
    expect(diffMachines(mapOf(buildSnapshot(), buildSnapshot({ machineId: 'm2' })), [buildSnapshot()], { partial: true })).toEqual([]);
  });

  it('should emit created then destroyed when a machine is first seen already destroyed', () => {
    const events = diffMachines(new Map(), [buildSnapshot({ state: 'destroyed', updatedAt: '2026-01-01T00:00:07Z' })], { partial: true });
    expect(events).toEqual([
      {
        id: expect.stringMatching(/^change:/),
        type: 'machine.created',
        timestamp: '2026-01-01T00:00:07Z',
        app: 'web',
        machineId: 'm1',
        source: 'sync',
      },
      {
        id: expect.stringMatching(/^change:/),
        type: 'machine.destroyed',
        timestamp: '2026-01-01T00:00:07Z',
        app: 'web',
        machineId: 'm1',
        source: 'sync',
      },
    ]);
  });

  it('should key a state change on machine, new state and updated_at, not on the state it came from', () => {
    const at = '2026-01-01T00:05:00Z';
    const fromStopped = diffMachines(mapOf(buildSnapshot({ state: 'stopped' })), [buildSnapshot({ updatedAt: at })])[0]!;
    const fromStarting = diffMachines(mapOf(buildSnapshot({ state: 'starting' })), [
      buildSnapshot({ updatedAt: '2026-01-01T00:05:00.000+00:00' }),
    ])[0]!;
    expect(fromStopped.id).toMatch(/^change:/);
    expect(fromStarting.id).toBe(fromStopped.id);
    expect(fromStopped.id).toBe(
      machineChangeId({ type: 'machine.state_changed', app: 'web', machineId: 'm1', to: 'started', updatedAt: at }),
    );
  });

  it('should give started, stopped, started again three different ids', () => {
    const stopped = diffMachines(mapOf(buildSnapshot()), [buildSnapshot({ state: 'stopped', updatedAt: '2026-01-01T00:00:01Z' })])[0]!.id;
    const startedAgain = diffMachines(mapOf(buildSnapshot({ state: 'stopped' })), [
      buildSnapshot({ updatedAt: '2026-01-01T00:00:02Z' }),
    ])[0]!.id;
    const startedFirst = diffMachines(mapOf(buildSnapshot({ state: 'stopped' })), [
      buildSnapshot({ updatedAt: '2026-01-01T00:00:00Z' }),
    ])[0]!.id;
    expect(new Set([stopped, startedAgain, startedFirst]).size).toBe(3);
  });

  it('should key created and destroyed on the machine alone and updated on its new version', () => {
    const created = diffMachines(new Map(), [buildSnapshot()])[0]!.id;
    expect(created).toBe(machineChangeId({ type: 'machine.created', app: 'web', machineId: 'm1' }));
    const destroyed = diffMachines(mapOf(buildSnapshot()), [buildSnapshot({ state: 'destroyed' })])[0]!.id;
    const vanished = diffMachines(mapOf(buildSnapshot()), [])[0]!.id;
    expect(vanished).toBe(destroyed);
    const updated = diffMachines(mapOf(buildSnapshot()), [buildSnapshot({ version: 'v2', updatedAt: '2026-01-01T00:09:00Z' })])[0]!.id;
    expect(updated).toBe(machineChangeId({ type: 'machine.updated', app: 'web', machineId: 'm1', version: 'v2' }));
  });

  it('should derive the same ids when the same change is diffed twice', () => {
    const previous = mapOf(buildSnapshot({ state: 'stopped' }));
    const current = [buildSnapshot({ updatedAt: '2026-01-01T00:05:00Z' })];
    expect(diffMachines(previous, current)[0]?.id).toBe(diffMachines(previous, current)[0]?.id);
    const later = [buildSnapshot({ updatedAt: '2026-01-01T00:09:00Z' })];
    expect(diffMachines(previous, later)[0]?.id).not.toBe(diffMachines(previous, current)[0]?.id);
  });

  it('should not report a machine destroyed again when it was already destroyed', () => {
    const gone = buildSnapshot({ state: 'destroyed' });
    expect(diffMachines(mapOf(gone), [buildSnapshot({ state: 'destroyed', updatedAt: '2026-01-01T00:09:00Z' })])).toEqual([]);
    expect(diffMachines(mapOf(gone), [])).toEqual([]);
    expect(diffMachines(mapOf(gone), [], { partial: true })).toEqual([]);
    // Nor does a stale row that still shows it running resurrect it.
    expect(diffMachines(mapOf(gone), [buildSnapshot({ state: 'started', version: 'v9' })])).toEqual([]);
  });

  it('should build complete events with only the fields that apply', () => {
    const [created] = diffMachines(new Map(), [buildSnapshot({ state: 'started' })]);
    expect(created).toEqual({
      id: created!.id,
      type: 'machine.created',
      timestamp: '2026-01-01T00:00:00Z',
      app: 'web',
      machineId: 'm1',
      to: 'started',
      source: 'sync',
    });
    expect(created!.id).toMatch(/^change:[A-Za-z0-9_-]{32}$/);

    const [updated, changed] = diffMachines(mapOf(buildSnapshot({ state: 'stopped' })), [buildSnapshot({ version: 'v2' })]);
    expect(updated).toEqual({
      id: updated!.id,
      type: 'machine.updated',
      timestamp: '2026-01-01T00:00:00Z',
      app: 'web',
      machineId: 'm1',
      version: 'v2',
      source: 'sync',
    });
    expect(changed).toEqual({
      id: changed!.id,
      type: 'machine.state_changed',
      timestamp: '2026-01-01T00:00:00Z',
      app: 'web',
      machineId: 'm1',
      from: 'stopped',
      to: 'started',
      source: 'sync',
    });

    const [destroyed] = diffMachines(mapOf(buildSnapshot({ state: 'stopped' })), [buildSnapshot({ state: 'destroyed' })]);
    expect(destroyed).toEqual({
      id: destroyed!.id,
      type: 'machine.destroyed',
      timestamp: '2026-01-01T00:00:00Z',
      app: 'web',
      machineId: 'm1',
      from: 'stopped',
      source: 'sync',
    });

    const [missing] = diffMachines(mapOf(buildSnapshot({ machineId: 'm7', state: 'suspended' })), []);
    expect(missing).toEqual({
      id: missing!.id,
      type: 'machine.destroyed',
      timestamp: '1970-01-01T00:00:00.000Z',
      app: 'web',
      machineId: 'm7',
      from: 'suspended',
      source: 'sync',
    });
  });

  it('should emit only updated when the version moved and the state did not', () => {
    expect(diffMachines(mapOf(buildSnapshot()), [buildSnapshot({ version: 'v2' })]).map((e) => e.type)).toEqual(['machine.updated']);
  });

  it('should emit updated before destroyed when a machine changed version on its way out', () => {
    expect(diffMachines(mapOf(buildSnapshot()), [buildSnapshot({ version: 'v2', state: 'destroyed' })]).map((e) => e.type)).toEqual([
      'machine.updated',
      'machine.destroyed',
    ]);
  });

  it('should not call a version change when either side has no version', () => {
    expect(diffMachines(mapOf(buildSnapshot({ version: undefined })), [buildSnapshot({ version: 'v2' })])).toEqual([]);
    expect(diffMachines(mapOf(buildSnapshot()), [buildSnapshot({ version: undefined })])).toEqual([]);
  });

  it('should time events with the fallback when the machine has no updatedAt', () => {
    const [withNow] = diffMachines(new Map(), [buildSnapshot({ updatedAt: undefined })], { now: '2026-05-05T05:05:05.000Z' });
    expect(withNow!.timestamp).toBe('2026-05-05T05:05:05.000Z');
    const [epoch] = diffMachines(new Map(), [buildSnapshot({ updatedAt: undefined })]);
    expect(epoch!.timestamp).toBe('1970-01-01T00:00:00.000Z');
  });

  it('should list events in current order, then machines that disappeared', () => {
    const previous = mapOf(buildSnapshot({ machineId: 'gone', state: 'started' }), buildSnapshot({ machineId: 'b', state: 'stopped' }));
    const events = diffMachines(previous, [buildSnapshot({ machineId: 'a' }), buildSnapshot({ machineId: 'b' })]);
    expect(events.map((e) => `${e.type} ${e.machineId}`)).toEqual([
      'machine.created a',
      'machine.state_changed b',
      'machine.destroyed gone',
    ]);
  });

  it('should give different facts different ids', () => {
    const base = diffMachines(mapOf(buildSnapshot({ state: 'stopped' })), [buildSnapshot()])[0]!.id;
    const variants = [
      diffMachines(mapOf(buildSnapshot({ state: 'stopped', app: 'api' })), [buildSnapshot({ app: 'api' })])[0]!.id,
      diffMachines(mapOf(buildSnapshot({ state: 'stopped', machineId: 'm2' })), [buildSnapshot({ machineId: 'm2' })])[0]!.id,
      diffMachines(mapOf(buildSnapshot({ state: 'stopped' })), [buildSnapshot({ updatedAt: '2026-01-01T00:00:01Z' })])[0]!.id,
      diffMachines(mapOf(buildSnapshot({ state: 'stopped' })), [buildSnapshot({ state: 'suspended' })])[0]!.id,
    ];
    expect(new Set([base, ...variants]).size).toBe(5);
    const updatedV2 = diffMachines(mapOf(buildSnapshot()), [buildSnapshot({ version: 'v2' })])[0]!.id;
    const updatedV3 = diffMachines(mapOf(buildSnapshot()), [buildSnapshot({ version: 'v3' })])[0]!.id;
    expect(updatedV2).not.toBe(updatedV3);
    // Same app, machine and time but another type of event: another id.
    const created = diffMachines(new Map(), [buildSnapshot()])[0]!.id;
    const destroyed = diffMachines(mapOf(buildSnapshot()), [buildSnapshot({ state: 'destroyed' })])[0]!.id;
    expect(new Set([created, destroyed, base]).size).toBe(3);
  });

  it('should fall back to a sync id from the facts when there is no updatedAt to share an id on', () => {
    const change = (from: string, app = 'web') =>
      diffMachines(mapOf(buildSnapshot({ app, state: from, updatedAt: undefined })), [buildSnapshot({ app, updatedAt: undefined })])[0]!;
    const first = change('stopped');
    expect(first).toMatchObject({ type: 'machine.state_changed', from: 'stopped', to: 'started' });
    expect(first.id).toMatch(/^sync:[A-Za-z0-9_-]{32}$/);
    // Stable for the same facts, so two polls deriving it publish it once.
    expect(change('stopped').id).toBe(first.id);
    // The previous state is one of the facts here (unlike change: ids), as is the app.
    expect(change('suspended').id).not.toBe(first.id);
    expect(change('stopped', 'api').id).not.toBe(first.id);
  });

  it('should leave out fields that do not apply rather than set them to undefined', () => {
    const [created] = diffMachines(new Map(), [buildSnapshot()]);
    expect(Object.keys(created!).sort()).toEqual(['app', 'id', 'machineId', 'source', 'timestamp', 'to', 'type']);
    const [updated] = diffMachines(mapOf(buildSnapshot()), [buildSnapshot({ version: 'v2' })]);
    expect(Object.keys(updated!).sort()).toEqual(['app', 'id', 'machineId', 'source', 'timestamp', 'type', 'version']);
  });
});
