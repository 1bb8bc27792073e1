import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildConfig, startHarness, type Harness } from './harness.js';

describe('emulator machine lifecycle', () => {
  let h: Harness;
  let id: string;

  beforeEach(async () => {
    h = await startHarness();
    h.emu.control.createApp('app-one');
    id = h.emu.control.createMachine('app-one', { state: 'stopped', config: buildConfig() }).id;
  });
  afterEach(() => h.close());

  const state = async () => (await h.json('GET', `/apps/app-one/machines/${id}`)).body.state as string;

  it('should pass through starting to started after the start delay when started', async () => {
    const res = await h.json('POST', `/apps/app-one/machines/${id}/start`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ previous_state: 'stopped', migrated: false, new_host: '' });
    expect(await state()).toBe('starting');
    await h.clock.advance(999);
    expect(await state()).toBe('starting');
    await h.clock.advance(1);
    expect(await state()).toBe('started');
  });

  it('should create, boot and record launch and start events when a machine is created', async () => {
    const created = await h.json('POST', '/apps/app-one/machines', { config: buildConfig(), region: 'lhr', name: 'web-1' });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ state: 'created', region: 'lhr', name: 'web-1' });
    expect(created.body.id).toMatch(/^[0-9a-f]{14}$/);
    expect(created.body.version).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(created.body.private_ip).toMatch(/^fdaa:/);
    await h.clock.advance(200);
    expect((await h.json('GET', `/apps/app-one/machines/${created.body.id}`)).body.state).toBe('starting');
    await h.clock.advance(1000);
    const events = (await h.json('GET', `/apps/app-one/machines/${created.body.id}/events`)).body;
    expect(events.map((e: { type: string; status: string }) => `${e.type}/${e.status}`)).toEqual([
      'start/started',
      'start/starting',
      'launch/created',
    ]);
    expect(events[0].id).toMatch(/^[0-9A-Z]{26}$/);
    expect(typeof events[0].timestamp).toBe('number');
  });

  it('should stay created when skip_launch is set', async () => {
    const created = await h.json('POST', '/apps/app-one/machines', { config: buildConfig(), skip_launch: true });
    await h.clock.advance(10_000);
    expect((await h.json('GET', `/apps/app-one/machines/${created.body.id}`)).body.state).toBe('created');
  });

  it('should stop through stopping when a started machine is stopped with a signal and timeout body', async () => {
    h.emu.control.setMachineState('app-one', id, 'started');
    const res = await h.json('POST', `/apps/app-one/machines/${id}/stop`, { signal: 'SIGINT', timeout: '5s' });
    expect(res).toMatchObject({ status: 200, body: { ok: true } });
    expect(await state()).toBe('stopping');
    await h.clock.advance(1000);
    expect(await state()).toBe('stopped');
  });

  it('should restart through restarting when timeout comes in the query or in the body', async () => {
    h.emu.control.setMachineState('app-one', id, 'started');
    expect((await h.call('POST', `/apps/app-one/machines/${id}/restart?timeout=10s&signal=SIGTERM`)).status).toBe(200);
    expect(await state()).toBe('restarting');
    await h.clock.advance(2000);
    expect(await state()).toBe('started');
    expect((await h.call('POST', `/apps/app-one/machines/${id}/restart`, { timeout: 10 })).status).toBe(200);
    expect(await state()).toBe('restarting');
  });

  it('should suspend through suspending when a started machine is suspended', async () => {
    h.emu.control.setMachineState('app-one', id, 'started');
    expect((await h.call('POST', `/apps/app-one/machines/${id}/suspend`)).status).toBe(200);
    expect(await state()).toBe('suspending');
    await h.clock.advance(1500);
    expect(await state()).toBe('suspended');
  });

  it('should refuse with 412 when a started machine is destroyed without force', async () => {
    h.emu.control.setMachineState('app-one', id, 'started');
    const res = await h.json('DELETE', `/apps/app-one/machines/${id}`);
    expect(res.status).toBe(412);
    expect(res.body.error).toMatch(/force/);
  });

  it('should destroy and hide the machine unless include_deleted when destroyed with kill=true', async () => {
    h.emu.control.setMachineState('app-one', id, 'started');
    expect((await h.json('DELETE', `/apps/app-one/machines/${id}?kill=true`)).body).toEqual({ ok: true });
    expect(await state()).toBe('destroying');
    await h.clock.advance(500);
    expect(await state()).toBe('destroyed');
    expect((await h.json('GET', '/apps/app-one/machines')).body).toEqual([]);
    const withDeleted = (await h.json('GET', '/apps/app-one/machines?include_deleted=true')).body;
    expect(withDeleted.map((m: { id: string }) => m.id)).toEqual([id]);
  });

  it('should accept force=true when destroying', async () => {
    h.emu.control.setMachineState('app-one', id, 'started');
    expect((await h.call('DELETE', `/apps/app-one/machines/${id}?force=true`)).status).toBe(200);
  });

  it('should answer 412 when an action does not fit the current state', async () => {
    h.emu.control.setMachineState('app-one', id, 'started');
    const res = await h.json('POST', `/apps/app-one/machines/${id}/start`);
    expect(res.status).toBe(412);
    expect(typeof res.body.error).toBe('string');
  });

  it('should create a new version, mark the old one replaced and reboot when updated', async () => {
    h.emu.control.setMachineState('app-one', id, 'started');
    const before = (await h.json('GET', `/apps/app-one/machines/${id}`)).body;
    const updated = await h.json('POST', `/apps/app-one/machines/${id}`, { config: buildConfig({ image: 'registry.fly.io/test-app:v2' }) });
    expect(updated.status).toBe(200);
    expect(updated.body.version).not.toBe(before.version);
    expect(updated.body.state).toBe('updating');
    expect(updated.body.config.image).toBe('registry.fly.io/test-app:v2');
    await h.clock.advance(3000);
    expect(await state()).toBe('starting');
    await h.clock.advance(1000);
    expect(await state()).toBe('started');
    const old = (await h.json('GET', `/apps/app-one/machines/${id}?version=${before.version}`)).body;
    expect(old).toMatchObject({ state: 'replaced', version: before.version });
    expect(old.config.image).toBe('registry.fly.io/test-app:v1');
    const versions = (await h.json('GET', `/apps/app-one/machines/${id}/versions`)).body;
    expect(versions.map((v: { version: string }) => v.version)).toEqual([updated.body.version, before.version]);
  });

  it('should answer 409 and change nothing when current_version does not match', async () => {
    const res = await h.json('POST', `/apps/app-one/machines/${id}`, {
      config: buildConfig(),
      current_version: '01ARZ3NDEKTSV4RRFFQ69G5FAV',
    });
    expect(res.status).toBe(409);
    expect(typeof res.body.error).toBe('string');
    expect((await h.json('GET', `/apps/app-one/machines/${id}/versions`)).body).toHaveLength(1);
  });

  it('should end stopped without booting when updated with skip_launch', async () => {
    const current = h.emu.control.getMachine('app-one', id).version;
    await h.call('POST', `/apps/app-one/machines/${id}`, { config: buildConfig(), skip_launch: true, current_version: current });
    await h.clock.advance(3000);
    expect(await state()).toBe('stopped');
  });

  it('should restart the machine per its policy when the main process exits with an error', async () => {
    h.emu.control.setMachineState('app-one', id, 'started');
    h.emu.control.triggerExit('app-one', id, { exitCode: 2 });
    expect(await state()).toBe('starting');
    await h.clock.advance(1000);
    const events = (await h.json('GET', `/apps/app-one/machines/${id}/events?limit=3`)).body;
    expect(events.map((e: { type: string }) => e.type)).toEqual(['start', 'start', 'exit']);
    expect(events[2].request.exit_event.exit_code).toBe(2);
  });

  it('should list events newest first with default limit 20 and max 50', async () => {
    for (let i = 0; i < 60; i++) h.emu.control.setMachineState('app-one', id, i % 2 ? 'stopped' : 'started');
    expect((await h.json('GET', `/apps/app-one/machines/${id}/events`)).body).toHaveLength(20);
    const all = (await h.json('GET', `/apps/app-one/machines/${id}/events?limit=500`)).body;
    expect(all).toHaveLength(50);
    const ids = all.map((e: { id: string }) => e.id);
    expect([...ids].sort().reverse()).toEqual(ids);
  });

  it('should cordon and uncordon the machine', async () => {
    await h.call('POST', `/apps/app-one/machines/${id}/cordon`);
    expect((await h.json('GET', `/apps/app-one/machines/${id}`)).body.cordoned).toBe(true);
    await h.call('POST', `/apps/app-one/machines/${id}/uncordon`);
    expect((await h.json('GET', `/apps/app-one/machines/${id}`)).body.cordoned).toBe(false);
  });

  it('should reject an unknown signal with 400 and accept a known one when signalled', async () => {
    h.emu.control.setMachineState('app-one', id, 'started');
    expect((await h.call('POST', `/apps/app-one/machines/${id}/signal`, { signal: 'SIGNOPE' })).status).toBe(400);
    expect((await h.call('POST', `/apps/app-one/machines/${id}/signal`, { signal: 'SIGUSR1' })).status).toBe(200);
  });
});
