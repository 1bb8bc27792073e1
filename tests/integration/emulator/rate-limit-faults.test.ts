import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';

describe('emulator rate limits and fault injection', () => {
  let h: Harness;
  afterEach(() => h.close());

  it('should answer 429 with Retry-After after the burst and recover after a second', async () => {
    h = await startHarness({ rateLimit: true });
    h.emu.control.createApp('app-one');
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await h.call('GET', '/apps/app-one/machines')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await h.call('GET', '/apps/app-one/machines');
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(await limited.json()).toEqual({ error: 'rate limit exceeded' });
    await h.clock.advance(1000);
    expect((await h.call('GET', '/apps/app-one/machines')).status).toBe(200);
  });

  it('should give get machine a burst of 10 per machine', async () => {
    h = await startHarness({ rateLimit: true });
    h.emu.control.createApp('app-one');
    const a = h.emu.control.createMachine('app-one', { state: 'started' }).id;
    const b = h.emu.control.createMachine('app-one', { state: 'started' }).id;
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await h.call('GET', `/apps/app-one/machines/${a}`)).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses[10]).toBe(429);
    expect((await h.call('GET', `/apps/app-one/machines/${b}`)).status).toBe(200);
  });

  it('should share the app-deletion budget across apps', async () => {
    h = await startHarness({ rateLimit: true });
    for (let i = 0; i < 101; i++) h.emu.control.createApp(`app-${i}`);
    const statuses: number[] = [];
    for (let i = 0; i < 101; i++) statuses.push((await h.call('DELETE', `/apps/app-${i}`)).status);
    expect(statuses.filter((s) => s === 202)).toHaveLength(100);
    expect(statuses[100]).toBe(429);
  });

  it('should not limit anything when rate limiting is off', async () => {
    h = await startHarness();
    h.emu.control.createApp('app-one');
    for (let i = 0; i < 20; i++) expect((await h.call('GET', '/apps/app-one/machines')).status).toBe(200);
  });

  it('should inject an error status on the chosen route only, for the given number of times', async () => {
    h = await startHarness();
    h.emu.control.createApp('app-one');
    h.emu.faults.add({ route: 'machines.list', status: 503, times: 2 });
    const first = await h.call('GET', '/apps/app-one/machines');
    expect(first.status).toBe(503);
    expect((await first.json()).error).toMatch(/injected/);
    expect((await h.call('GET', '/apps/app-one')).status).toBe(200);
    expect((await h.call('GET', '/apps/app-one/machines')).status).toBe(503);
    expect((await h.call('GET', '/apps/app-one/machines')).status).toBe(200);
  });

  it('should inject errors at the configured rate using the injected random source', async () => {
    const rolls = [0.1, 0.9, 0.4, 0.6];
    h = await startHarness({ random: () => rolls.shift() ?? 0.99 });
    h.emu.control.createApp('app-one');
    h.emu.faults.add({ route: '*', errorRate: 0.5 });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await h.call('GET', '/apps/app-one')).status);
    expect(statuses).toEqual([500, 200, 500, 200]);
  });

  it('should delay the answer by latencyMs on the emulator clock', async () => {
    h = await startHarness();
    h.emu.control.createApp('app-one');
    h.emu.faults.add({ route: 'apps.get', latencyMs: 2000 });
    let done = false;
    const pending = h.call('GET', '/apps/app-one').then((r) => {
      done = true;
      return r;
    });
    await h.timersAtLeast(1);
    await h.clock.advance(1999);
    expect(done).toBe(false);
    await h.clock.advance(1);
    expect((await pending).status).toBe(200);
  });

  it('should hang until the client gives up when hang is set', async () => {
    h = await startHarness();
    h.emu.control.createApp('app-one');
    h.emu.faults.add({ route: 'apps.get', hang: true });
    const controller = new AbortController();
    const pending = h.call('GET', '/apps/app-one').catch((e: unknown) => e);
    const aborting = fetch(`${h.emu.url}/v1/apps/app-one`, { signal: controller.signal }).catch((e: Error) => e.name);
    while ((h.emu.requestCounts()['apps.get'] ?? 0) < 2) await new Promise((r) => setImmediate(r));
    controller.abort();
    expect(await aborting).toBe('AbortError');
    h.emu.faults.clear();
    expect((await h.call('GET', '/apps/app-one')).status).toBe(200);
    await h.close();
    expect(await pending).toBeInstanceOf(Error);
  });

  it('should reset the connection when reset is set', async () => {
    h = await startHarness();
    h.emu.control.createApp('app-one');
    const remove = h.emu.faults.add({ route: 'apps.get', reset: true });
    const err = await h.call('GET', '/apps/app-one').then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(TypeError);
    remove();
    expect((await h.call('GET', '/apps/app-one')).status).toBe(200);
  });
});
