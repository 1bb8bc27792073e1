import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildConfig, startHarness, type Harness } from './harness.js';

describe('emulator volumes and org listings', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    h.emu.control.createApp('app-one');
  });
  afterEach(() => h.close());

  it('should create, get, update, extend, snapshot and destroy a volume', async () => {
    const created = await h.json('POST', '/apps/app-one/volumes', { name: 'data', region: 'iad', size_gb: 3 });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ name: 'data', region: 'iad', size_gb: 3, state: 'created' });
    const vid = created.body.id;
    expect(vid).toMatch(/^vol_[a-z2-7]{16}$/);
    expect((await h.json('GET', `/apps/app-one/volumes/${vid}`)).body.id).toBe(vid);
    expect((await h.json('PUT', `/apps/app-one/volumes/${vid}`, { snapshot_retention: 9 })).body.snapshot_retention).toBe(9);
    const extended = await h.json('PUT', `/apps/app-one/volumes/${vid}/extend`, { size_gb: 5 });
    expect(extended.body).toMatchObject({ needs_restart: false, volume: { size_gb: 5 } });
    expect((await h.call('PUT', `/apps/app-one/volumes/${vid}/extend`, { size_gb: 2 })).status).toBe(400);
    expect((await h.call('POST', `/apps/app-one/volumes/${vid}/snapshots`)).status).toBe(200);
    expect((await h.json('GET', `/apps/app-one/volumes/${vid}/snapshots`)).body).toHaveLength(1);
    const destroyed = await h.json('DELETE', `/apps/app-one/volumes/${vid}`);
    expect(destroyed.body).toMatchObject({ id: vid, state: 'pending_destroy' });
    expect((await h.json('GET', `/apps/app-one/volumes/${vid}`)).body.state).toBe('pending_destroy');
    expect((await h.call('DELETE', `/apps/app-one/volumes/${vid}`)).status).toBe(412);
    await h.clock.advance(1_000);
    expect((await h.call('GET', `/apps/app-one/volumes/${vid}`)).status).toBe(404);
    expect((await h.json('GET', '/apps/app-one/volumes')).body).toEqual([]);
  });

  it('should fork a volume (hydrating) and restore a snapshot (restoring), each created once settled on the clock', async () => {
    const source = (await h.json('POST', '/apps/app-one/volumes', { name: 'data', region: 'iad', size_gb: 4 })).body;
    const fork = await h.json('POST', '/apps/app-one/volumes', { name: 'data', region: 'iad', source_volume_id: source.id });
    expect(fork.body).toMatchObject({ state: 'hydrating', size_gb: 4 });
    expect((await h.call('PUT', `/apps/app-one/volumes/${fork.body.id}/extend`, { size_gb: 8 })).status).toBe(412);
    expect((await h.call('POST', `/apps/app-one/volumes/${source.id}/snapshots`)).status).toBe(200);
    const [snapshot] = (await h.json('GET', `/apps/app-one/volumes/${source.id}/snapshots`)).body;
    const restored = await h.json('POST', '/apps/app-one/volumes', { name: 'copy', region: 'ams', snapshot_id: snapshot.id, size_gb: 6 });
    expect(restored.body).toMatchObject({ state: 'restoring', size_gb: 6, region: 'ams' });
    await h.clock.advance(1_500);
    expect((await h.json('GET', `/apps/app-one/volumes/${fork.body.id}`)).body.state).toBe('created');
    expect((await h.json('GET', `/apps/app-one/volumes/${restored.body.id}`)).body.state).toBe('created');
  });

  it('should refuse what Fly refuses: unknown source or snapshot, a smaller fork, an unknown region, a bad retention', async () => {
    const source = (await h.json('POST', '/apps/app-one/volumes', { name: 'data', region: 'iad', size_gb: 4 })).body;
    expect((await h.call('POST', '/apps/app-one/volumes', { name: 'x', region: 'iad', source_volume_id: 'vol_missing' })).status).toBe(404);
    expect((await h.call('POST', '/apps/app-one/volumes', { name: 'x', region: 'iad', snapshot_id: 'vs_missing' })).status).toBe(404);
    expect(
      (await h.call('POST', '/apps/app-one/volumes', { name: 'x', region: 'iad', source_volume_id: source.id, size_gb: 2 })).status,
    ).toBe(400);
    expect((await h.call('POST', '/apps/app-one/volumes', { name: 'x', region: 'zzz' })).status).toBe(400);
    expect((await h.call('POST', '/apps/app-one/volumes', { name: 'x', region: 'iad', snapshot_retention: 61 })).status).toBe(400);
    expect((await h.call('PUT', `/apps/app-one/volumes/${source.id}/extend`, { size_gb: 4 })).status).toBe(400);
  });

  it('should page volumes with fly-next-cursor', async () => {
    for (let i = 0; i < 3; i++) {
      await h.call('POST', '/apps/app-one/volumes', { name: `v${i}`, region: 'iad' });
      await h.clock.advance(1);
    }
    const first = await h.json('GET', '/apps/app-one/volumes?limit=2');
    expect(first.body).toHaveLength(2);
    const cursor = first.headers.get('fly-next-cursor');
    expect(cursor).toBeTruthy();
    const second = await h.json('GET', `/apps/app-one/volumes?limit=2&cursor=${cursor}`);
    expect(second.body.map((v: { name: string }) => v.name)).toEqual(['v2']);
    expect(second.headers.get('fly-next-cursor')).toBeNull();
  });

  it('should report needs_restart when extending a volume attached to a running machine', async () => {
    const vid = (await h.json('POST', '/apps/app-one/volumes', { name: 'data', region: 'iad' })).body.id;
    h.emu.control.createMachine('app-one', { state: 'started', config: buildConfig({ mounts: [{ volume: vid, path: '/data' }] }) });
    const extended = await h.json('PUT', `/apps/app-one/volumes/${vid}/extend`, { size_gb: 2 });
    expect(extended.body.needs_restart).toBe(true);
    expect(extended.body.volume.attached_machine_id).toMatch(/^[0-9a-f]{14}$/);
  });

  it('should list org machines by updated_at ascending with updated_after and cursor', async () => {
    const a = h.emu.control.createMachine('app-one', { state: 'started' });
    await h.clock.advance(1000);
    const b = h.emu.control.createMachine('app-one', { state: 'stopped' });
    await h.clock.advance(1000);
    h.emu.control.setMachineState('app-one', a.id, 'stopped');
    const all = await h.json('GET', '/orgs/personal/machines');
    expect(all.body.machines.map((m: { id: string }) => m.id)).toEqual([b.id, a.id]);
    expect(all.body).toMatchObject({ last_machine_id: a.id, last_updated_at: new Date(h.clock.now()).toISOString() });
    expect(all.body.machines[0]).toMatchObject({ app_name: 'app-one', config: { image: expect.any(String) } });
    const since = new Date(h.clock.now() - 500).toISOString();
    expect((await h.json('GET', `/orgs/personal/machines?updated_after=${since}`)).body.machines.map((m: { id: string }) => m.id)).toEqual([
      a.id,
    ]);
    const page1 = await h.json('GET', '/orgs/personal/machines?limit=1');
    expect(page1.body.machines).toHaveLength(1);
    const page2 = await h.json('GET', `/orgs/personal/machines?limit=1&cursor=${page1.body.next_cursor}`);
    expect(page2.body.machines[0].id).toBe(a.id);
    expect(page2.body.next_cursor).toBeUndefined();
  });

  it('should include destroyed machines in the org list only with include_deleted', async () => {
    const a = h.emu.control.createMachine('app-one', { state: 'stopped' });
    h.emu.control.setMachineState('app-one', a.id, 'destroyed');
    expect((await h.json('GET', '/orgs/personal/machines')).body.machines).toEqual([]);
    expect((await h.json('GET', '/orgs/personal/machines?include_deleted=true')).body.machines[0].state).toBe('destroyed');
  });

  it('should answer 400 for a malformed updated_after and 404 for an unknown org', async () => {
    expect((await h.call('GET', '/orgs/personal/machines?updated_after=yesterday')).status).toBe(400);
    expect((await h.call('GET', '/orgs/someone-else/machines')).status).toBe(404);
  });
});
