import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';

describe('emulator wait', () => {
  let h: Harness;
  let id: string;
  beforeEach(async () => {
    h = await startHarness();
    h.emu.control.createApp('app-one');
    id = h.emu.control.createMachine('app-one', { state: 'stopped' }).id;
  });
  afterEach(() => h.close());

  const waitPath = (q: string) => `/apps/app-one/machines/${id}/wait?${q}`;

  it('should return at once when the machine is already in the requested state', async () => {
    const res = await h.json('GET', waitPath('state=stopped'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, state: 'stopped', version: h.emu.control.getMachine('app-one', id).version });
    expect(res.body.event_id).toMatch(/^[0-9A-Z]{26}$/);
  });

  it('should block until the clock settles the transition when the state is not reached yet', async () => {
    await h.call('POST', `/apps/app-one/machines/${id}/start`);
    const timersBefore = h.clock.pendingTimers();
    const pending = h.json('GET', waitPath('state=started&timeout=30'));
    await h.timersAtLeast(timersBefore + 1);
    await h.clock.advance(1000);
    const res = await pending;
    expect(res).toMatchObject({ status: 200, body: { ok: true, state: 'started' } });
  });

  it('should answer 408 when the timeout passes on the clock', async () => {
    const pending = h.json('GET', waitPath('state=started&timeout=5'));
    await h.timersAtLeast(1);
    await h.clock.advance(4999);
    await h.clock.advance(1);
    const res = await pending;
    expect(res.status).toBe(408);
    expect(typeof res.body.error).toBe('string');
  });

  it('should accept a "30s" string timeout and clamp it to 60 seconds', async () => {
    const pending = h.json('GET', waitPath('state=started&timeout=600s'));
    await h.timersAtLeast(1);
    await h.clock.advance(59_999);
    let done = false;
    void pending.then(() => (done = true));
    await h.clock.advance(0);
    expect(done).toBe(false);
    await h.clock.advance(1);
    expect((await pending).status).toBe(408);
  });

  it('should clamp a timeout below one second up to one second', async () => {
    const pending = h.json('GET', waitPath('state=started&timeout=0'));
    await h.timersAtLeast(1);
    await h.clock.advance(1000);
    expect((await pending).status).toBe(408);
  });

  it('should match any of repeated or comma-separated states and settled', async () => {
    expect((await h.json('GET', waitPath('state=started&state=stopped'))).body.state).toBe('stopped');
    expect((await h.json('GET', waitPath('state=suspended,stopped'))).body.state).toBe('stopped');
    expect((await h.json('GET', waitPath('state=settled'))).body.state).toBe('stopped');
  });

  it('should answer 400 for a state that cannot be waited on', async () => {
    expect((await h.call('GET', waitPath('state=starting'))).status).toBe(400);
  });

  it('should wait for a state reached after from_event_id when chaining', async () => {
    const first = await h.json('GET', waitPath('state=stopped'));
    const pending = h.json('GET', waitPath(`state=stopped&from_event_id=${first.body.event_id}&timeout=60`));
    await h.timersAtLeast(1);
    h.emu.control.setMachineState('app-one', id, 'started');
    h.emu.control.setMachineState('app-one', id, 'stopped');
    const res = await pending;
    expect(res.body.state).toBe('stopped');
    expect(res.body.event_id > first.body.event_id).toBe(true);
  });

  it('should scope the wait to a version and read an old version as replaced', async () => {
    const oldVersion = h.emu.control.getMachine('app-one', id).version;
    await h.call('POST', `/apps/app-one/machines/${id}`, { config: { image: 'registry.fly.io/x:2' } });
    const newVersion = h.emu.control.getMachine('app-one', id).version;
    const pending = h.json('GET', waitPath(`state=started&version=${newVersion}`));
    await h.timersAtLeast(2);
    await h.clock.advance(4000);
    expect((await pending).body).toMatchObject({ state: 'started', version: newVersion });
    expect((await h.json('GET', waitPath(`state=settled&instance_id=${oldVersion}`))).body).toMatchObject({
      state: 'replaced',
      version: oldVersion,
    });
  });
});
