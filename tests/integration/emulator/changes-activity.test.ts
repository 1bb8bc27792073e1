import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EmulatorChange } from '#src/emulator/emulator.js';
import { buildConfig, startHarness, type Harness } from './harness.js';

describe('emulator change notices and activity', () => {
  let h: Harness;
  let changes: EmulatorChange[];
  let unsubscribe: () => void;
  beforeEach(async () => {
    h = await startHarness();
    h.emu.control.createApp('app-one');
    changes = [];
    unsubscribe = h.emu.onChange((c) => changes.push(c));
  });
  afterEach(() => h.close());

  it('should notify created, state changes, events and destroyed in order', async () => {
    const created = await h.json('POST', '/apps/app-one/machines', { config: buildConfig(), skip_launch: true });
    const id = created.body.id;
    await h.call('DELETE', `/apps/app-one/machines/${id}`);
    await h.clock.advance(500);
    const kinds = changes.filter((c) => c.type !== 'machine.event').map((c) => `${c.type}:${c.data.from ?? ''}>${c.data.to ?? ''}`);
    expect(kinds).toEqual([
      'machine.created:>created',
      'machine.state_changed:created>destroying',
      'machine.state_changed:destroying>destroyed',
      'machine.destroyed:>',
    ]);
    expect(changes.every((c) => c.data.app === 'app-one' && c.data.machine_id === id)).toBe(true);
    expect(changes.every((c) => !Number.isNaN(Date.parse(c.timestamp)))).toBe(true);
    const events = changes.filter((c) => c.type === 'machine.event');
    expect(events.map((c) => c.data.event?.type)).toEqual(['launch', 'destroy', 'destroy']);
  });

  it('should notify machine.updated with the new version when updated', async () => {
    const id = h.emu.control.createMachine('app-one', { state: 'stopped' }).id;
    changes.length = 0;
    const res = await h.json('POST', `/apps/app-one/machines/${id}`, { config: buildConfig(), skip_launch: true });
    const updated = changes.find((c) => c.type === 'machine.updated');
    expect(updated?.data.version).toBe(res.body.version);
  });

  it('should notify machine.updated with the current version when cordoned or when metadata changes', async () => {
    const m = h.emu.control.createMachine('app-one', { state: 'started' });
    changes.length = 0;
    await h.call('POST', `/apps/app-one/machines/${m.id}/cordon`);
    await h.call('POST', `/apps/app-one/machines/${m.id}/metadata/role`, { value: 'web' });
    const updates = changes.filter((c) => c.type === 'machine.updated');
    expect(updates.map((c) => c.data.version)).toEqual([m.version, m.version]);
  });

  it('should stop notifying after unsubscribe', () => {
    unsubscribe();
    h.emu.control.createMachine('app-one', { state: 'started' });
    expect(changes).toEqual([]);
  });

  it('should move demo machines when the activity loop ticks on the clock', async () => {
    for (let i = 0; i < 4; i++)
      h.emu.control.createMachine('app-one', { state: 'started', config: buildConfig({ checks: { http: { type: 'http', port: 8080 } } }) });
    changes.length = 0;
    h.emu.startActivity(1000);
    await h.clock.advance(10_000);
    h.emu.stopActivity();
    const moved = changes.filter((c) => c.type === 'machine.state_changed' || c.type === 'machine.event');
    expect(moved.length).toBeGreaterThan(0);
    // Let the last nudge settle, then nothing else may happen.
    await h.clock.advance(10_000);
    const count = changes.length;
    await h.clock.advance(60_000);
    expect(changes.length).toBe(count);
  });
});
