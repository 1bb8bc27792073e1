import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { imageBehaviour } from '#src/emulator/image-behaviour.js';
import { buildConfig, startHarness, type Harness } from './harness.js';

const checks = { http: { type: 'http', port: 8080, path: '/health' } };

describe('emulator images that misbehave', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    h.emu.control.createApp('app-one');
  });
  afterEach(() => h.close());

  const get = async (id: string) => (await h.json('GET', `/apps/app-one/machines/${id}`)).body;

  it('reads the behaviour from the tag only', () => {
    expect(imageBehaviour('registry.fly.io/web:v2-unhealthy')).toBe('unhealthy');
    expect(imageBehaviour('registry.fly.io/web:v2-crash')).toBe('crash');
    expect(imageBehaviour('registry.fly.io/web-crash:v2')).toBe('normal');
    expect(imageBehaviour('localhost:5000/web-unhealthy')).toBe('normal');
    expect(imageBehaviour(undefined)).toBe('normal');
  });

  it('keeps the checks of an -unhealthy image critical once started, and passes them again after an update back', async () => {
    const id = h.emu.control.createMachine('app-one', { config: buildConfig({ checks }), state: 'started' }).id;
    expect((await get(id)).checks[0].status).toBe('passing');
    const updated = await h.json('POST', `/apps/app-one/machines/${id}`, {
      config: buildConfig({ checks, image: 'registry.fly.io/test-app:v2-unhealthy' }),
    });
    expect(updated.status).toBe(200);
    await h.clock.advance(60_000);
    const m = await get(id);
    expect([m.state, m.checks[0].status]).toEqual(['started', 'critical']);
    await h.json('POST', `/apps/app-one/machines/${id}`, { config: buildConfig({ checks }) });
    await h.clock.advance(60_000);
    expect((await get(id)).checks[0].status).toBe('passing');
  });

  it('makes a -crash image exit soon after each start, logging an exit event', async () => {
    const id = h.emu.control.createMachine('app-one', {
      config: buildConfig({ image: 'registry.fly.io/test-app:v2-crash', restart: { policy: 'no' } }),
      state: 'stopped',
    }).id;
    await h.json('POST', `/apps/app-one/machines/${id}/start`);
    await h.clock.advance(10_000);
    const m = await get(id);
    expect(m.state).toBe('stopped');
    expect(m.events.some((e: { type: string }) => e.type === 'exit')).toBe(true);
  });
});
