import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';

describe('emulator leases', () => {
  let h: Harness;
  let id: string;
  beforeEach(async () => {
    h = await startHarness();
    h.emu.control.createApp('app-one');
    id = h.emu.control.createMachine('app-one', { state: 'started' }).id;
  });
  afterEach(() => h.close());

  const lease = (method: string, q = '', body?: unknown, headers?: Record<string, string>) =>
    h.json(method, `/apps/app-one/machines/${id}/lease${q}`, body, headers);

  it('should answer 404 when no lease is held', async () => {
    expect((await lease('GET')).status).toBe(404);
  });

  it('should grant a wrapped lease with a nonce and expiry in seconds when acquired', async () => {
    const res = await lease('POST', '', { ttl: 60, description: 'deploy' });
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('success');
    expect(res.body.data).toMatchObject({ description: 'deploy', owner: expect.any(String), version: expect.any(String) });
    expect(res.body.data.nonce).toMatch(/^[0-9a-f]{12}$/);
    expect(res.body.data.expires_at).toBe(Math.floor(h.clock.now() / 1000) + 60);
    expect((await lease('GET')).body.data.nonce).toBe(res.body.data.nonce);
  });

  it('should take the ttl from the query when the body has none', async () => {
    const res = await lease('POST', '?ttl=15');
    expect(res.body.data.expires_at).toBe(Math.floor(h.clock.now() / 1000) + 15);
  });

  it('should answer 409 with the error envelope when another holder has the lease', async () => {
    await lease('POST', '', { ttl: 60 });
    const res = await lease('POST', '', { ttl: 60 });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ status: 'error', code: 'invalid', message: expect.stringContaining('held') });
  });

  it('should refresh the lease when the holder sends its nonce', async () => {
    const nonce = (await lease('POST', '', { ttl: 10 })).body.data.nonce;
    await h.clock.advance(5000);
    const res = await lease('POST', '', { ttl: 10 }, { 'fly-machine-lease-nonce': nonce });
    expect(res.status).toBe(201);
    expect(res.body.data.nonce).toBe(nonce);
    expect(res.body.data.expires_at).toBe(Math.floor(h.clock.now() / 1000) + 10);
  });

  it('should reject mutations without the nonce and accept them with it', async () => {
    const nonce = (await lease('POST', '', { ttl: 60 })).body.data.nonce;
    const denied = await h.json('POST', `/apps/app-one/machines/${id}/stop`);
    expect(denied.status).toBe(409);
    expect(typeof denied.body.error).toBe('string');
    expect((await h.call('POST', `/apps/app-one/machines/${id}/stop`, undefined, { 'fly-machine-lease-nonce': 'wrong' })).status).toBe(409);
    expect((await h.call('POST', `/apps/app-one/machines/${id}/stop`, undefined, { 'fly-machine-lease-nonce': nonce })).status).toBe(200);
  });

  it('should let metadata writes and signals through without the nonce', async () => {
    await lease('POST', '', { ttl: 60 });
    expect((await h.call('POST', `/apps/app-one/machines/${id}/metadata/k`, { value: 'v' })).status).toBe(204);
    expect((await h.call('POST', `/apps/app-one/machines/${id}/signal`, { signal: 'SIGHUP' })).status).toBe(200);
  });

  it('should expire the lease on the clock', async () => {
    await lease('POST', '', { ttl: 30 });
    await h.clock.advance(29_999);
    expect((await lease('GET')).status).toBe(200);
    await h.clock.advance(1);
    expect((await lease('GET')).status).toBe(404);
    expect((await h.call('POST', `/apps/app-one/machines/${id}/stop`)).status).toBe(200);
  });

  it('should release with the nonce and refuse without it', async () => {
    const nonce = (await lease('POST', '', { ttl: 60 })).body.data.nonce;
    expect((await lease('DELETE')).status).toBe(400);
    expect((await lease('DELETE', '', undefined, { 'fly-machine-lease-nonce': 'nope' })).status).toBe(409);
    const released = await lease('DELETE', '', undefined, { 'fly-machine-lease-nonce': nonce });
    expect(released).toMatchObject({ status: 200, body: { status: 'success', data: { ok: true } } });
    expect((await lease('GET')).status).toBe(404);
  });

  it('should return a nonce on the machine body when created with lease_ttl', async () => {
    const res = await h.json('POST', '/apps/app-one/machines', { config: { image: 'x/y:1' }, lease_ttl: 20 });
    expect(res.body.nonce).toMatch(/^[0-9a-f]{12}$/);
    const mid = res.body.id;
    expect((await h.call('POST', `/apps/app-one/machines/${mid}/cordon`)).status).toBe(409);
    expect(
      (await h.call('POST', `/apps/app-one/machines/${mid}/cordon`, undefined, { 'fly-machine-lease-nonce': res.body.nonce })).status,
    ).toBe(200);
  });

  it.each([
    ['1e308', 1e308],
    ['negative', -5],
    ['a string', 'soon'],
  ])('should answer 400 and grant nothing when the ttl is %s', async (_label, ttl) => {
    expect((await lease('POST', '', { ttl })).status).toBe(400);
    expect((await lease('GET')).status).toBe(404);
    const created = await h.json('POST', '/apps/app-one/machines', { config: { image: 'x/y:1' }, lease_ttl: ttl });
    expect(created.status).toBe(400);
  });
});
