import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';

// The emulator's exec and token routes, beyond what the contract test checks: a scoped or read-only token is what
// the token routes say it is, a deploy token opens its own app only, and exec's `sleep` waits on the emulator clock.

const READER = 'emu_read_only_0123456789abcdef';
const SCOPED = 'emu_scoped_0123456789abcdef';

describe('emulator exec and tokens', () => {
  let h: Harness;
  let machineId = '';
  beforeEach(async () => {
    h = await startHarness({
      delays: { start: 0, create: 0 },
      scopedTokens: { [SCOPED]: ['solo'] },
      readOnlyTokens: { [READER]: ['solo'] },
    });
    h.emu.control.createApp('solo');
    h.emu.control.createApp('other');
    machineId = h.emu.control.createMachine('solo', { config: { image: 'x/solo:1', env: { MODE: 'demo' } } }).id;
  });
  afterEach(async () => h.close());

  it("should hold a sleep for its time on the emulator's clock, and answer 408 when it outlives the timeout", async () => {
    const quick = h.json('POST', `/apps/solo/machines/${machineId}/exec`, { command: ['sleep', '2'], timeout: 5 });
    await h.timersAtLeast(1);
    await h.clock.advance(2000);
    expect((await quick).body).toEqual({ exit_code: 0, stdout: '', stderr: '' });
    const slow = h.json('POST', `/apps/solo/machines/${machineId}/exec`, { command: ['sleep', '60'], timeout: 3 });
    await h.timersAtLeast(1);
    await h.clock.advance(3000);
    expect(await slow).toMatchObject({ status: 408, body: { error: expect.stringMatching(/deadline_exceeded/) } });
  });

  it('should refuse exec to a read-only token as any write (401) and run it for a scoped writer', async () => {
    const path = `/apps/solo/machines/${machineId}/exec`;
    const refused = await h.json('POST', path, { command: ['printenv', 'MODE'] }, { authorization: `Bearer ${READER}` });
    expect(refused.status).toBe(401);
    const ran = await h.json('POST', path, { command: ['printenv', 'MODE'] }, { authorization: `Bearer ${SCOPED}` });
    expect(ran.body).toEqual({ exit_code: 0, stdout: 'demo\n', stderr: '' });
  });

  it('should describe a scoped read-only token by its caveats and refuse it a write access', async () => {
    const verified = await h.json('POST', '/tokens/authenticate', { header: `Bearer ${READER}` });
    expect(verified.body[0].caveats.caveats).toEqual(
      expect.arrayContaining([
        { type: 'Apps', body: { apps: ['solo'] } },
        { type: 'Action', body: { action: 'r' } },
      ]),
    );
    expect(JSON.stringify(verified.body)).not.toContain(READER);
    const read = await h.json('POST', '/tokens/authorize', { header: READER, access: { app_name: 'solo', action: 'r' } });
    expect(read).toMatchObject({ status: 200, body: { access: { action: 1 } } });
    const write = await h.json('POST', '/tokens/authorize', { header: READER, access: { app_name: 'solo', action: 'w' } });
    expect(write.status).toBe(401);
    const elsewhere = await h.json('POST', '/tokens/authorize', { header: SCOPED, access: { app_name: 'other' } });
    expect(elsewhere.status).toBe(401);
    const machine = await h.json('POST', '/tokens/authorize', {
      header: SCOPED,
      access: { app_name: 'solo', machine_id: machineId, action: 2 },
    });
    expect(machine.body.access).toMatchObject({ action: 2, machine: machineId });
  });

  it('should mint a deploy token that opens its own app only, and refuse a bad expiry', async () => {
    const minted = await h.json('POST', '/apps/solo/deploy_token', { expiry: '24h' });
    const token = minted.body.token as string;
    expect((await h.call('GET', '/apps/solo', undefined, { authorization: token })).status).toBe(200);
    expect((await h.call('GET', '/apps/other', undefined, { authorization: token })).status).toBe(404);
    expect((await h.json('POST', '/apps/solo/deploy_token', { expiry: 'soon' })).status).toBe(400);
  });

  it("should name the token's only app in an OIDC token, with the audience asked for", async () => {
    const response = await h.call('POST', '/tokens/oidc', { aud: 'sts.amazonaws.com' }, { authorization: `Bearer ${SCOPED}` });
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const [, payload] = (await response.text()).split('.');
    expect(JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'))).toMatchObject({
      aud: 'sts.amazonaws.com',
      app_name: 'solo',
      sub: 'personal:solo:*',
    });
  });
});
