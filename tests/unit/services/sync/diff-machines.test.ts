import { describe, expect, it } from 'vitest';
import { diffMachines } from '../../../../src/services/sync/diff-machines.js';
import type { MachineSnapshot } from '../../../../src/services/sync/machine-snapshot.js';

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
    expect(event).toMatchObject({ type: 'machine.created', app: 'web', machineId: 'm1', to: 'created', source: 'sync', timestamp: '2026-01-01T00:00:00Z' });
    expect(event?.id).toMatch(/^sync:/);
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
    const events = diffMachines(mapOf(buildSnapshot(), buildSnapshot({ machineId: 'm2' })), [buildSnapshot()], { now: '2026-01-02T00:00:00.000Z' });
    expect(events).toMatchObject([{ type: 'machine.destroyed', machineId: 'm2', timestamp: '2026-01-02T00:00:00.000Z' }]);
  });

  it('should not emit destroyed for missing machines when the list is partial', () => {
    expect(diffMachines(mapOf(buildSnapshot(), buildSnapshot({ machineId: 'm2' })), [buildSnapshot()], { partial: true })).toEqual([]);
  });

  it('should ignore a machine first seen already destroyed', () => {
    expect(diffMachines(new Map(), [buildSnapshot({ state: 'destroyed' })])).toEqual([]);
  });

  it('should derive the same ids when the same change is diffed twice', () => {
    const previous = mapOf(buildSnapshot({ state: 'stopped' }));
    const current = [buildSnapshot({ updatedAt: '2026-01-01T00:05:00Z' })];
    expect(diffMachines(previous, current)[0]?.id).toBe(diffMachines(previous, current)[0]?.id);
    const later = [buildSnapshot({ updatedAt: '2026-01-01T00:09:00Z' })];
    expect(diffMachines(previous, later)[0]?.id).not.toBe(diffMachines(previous, current)[0]?.id);
  });
});
