import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmulator } from '#src/emulator/emulator.js';
import { buildConfig, startHarness, TOKEN, type Harness } from './harness.js';

describe('emulator read paths', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.close());

  it('should list apps with total_apps and next_cursor when paginating', async () => {
    for (const name of ['app-c', 'app-a', 'app-b']) h.emu.control.createApp(name);
    const first = await h.json('GET', '/apps?org_slug=personal&limit=2');
    expect(first.status).toBe(200);
    expect(first.body.total_apps).toBe(3);
    expect(first.body.apps.map((a: { name: string }) => a.name)).toEqual(['app-a', 'app-b']);
    const second = await h.json('GET', `/apps?org_slug=personal&limit=2&cursor=${first.body.next_cursor}`);
    expect(second.body.apps.map((a: { name: string }) => a.name)).toEqual(['app-c']);
    expect(second.body.next_cursor).toBeUndefined();
  });

  it('should create apps from name or app_name and answer 422 name_taken on a duplicate', async () => {
    const created = await h.json('POST', '/apps', { name: 'new-app', org_slug: 'personal' });
    expect(created.status).toBe(201);
    expect(typeof created.body.id).toBe('string');
    expect(typeof created.body.created_at).toBe('number');
    expect((await h.call('POST', '/apps', { app_name: 'other-app', org_slug: 'personal' })).status).toBe(201);
    const dup = await h.json('POST', '/apps', { app_name: 'new-app', org_slug: 'personal' });
    expect(dup).toMatchObject({ status: 422, body: { status: 'name_taken' } });
  });

  it('should get and delete an app with 202', async () => {
    h.emu.control.createApp('gone-app');
    h.emu.control.createMachine('gone-app', { state: 'started' });
    const got = await h.json('GET', '/apps/gone-app');
    expect(got.body).toMatchObject({ name: 'gone-app', machine_count: 1, status: 'deployed', organization: { slug: 'personal' } });
    expect((await h.call('DELETE', '/apps/gone-app')).status).toBe(202);
    expect(await h.json('GET', '/apps/gone-app')).toMatchObject({ status: 404, body: { error: 'Could not find App' } });
  });

  it('should answer 404 Could not find App for machines of an unknown app', async () => {
    expect(await h.json('GET', '/apps/nope/machines')).toMatchObject({ status: 404, body: { error: 'Could not find App' } });
  });

  it('should answer 404 for an unknown machine', async () => {
    h.emu.control.createApp('app-one');
    const res = await h.json('GET', '/apps/app-one/machines/0123456789abcd');
    expect(res.status).toBe(404);
    expect(typeof res.body.error).toBe('string');
  });

  it('should filter machines by state list, region and metadata', async () => {
    h.emu.control.createApp('app-one');
    const a = h.emu.control.createMachine('app-one', {
      region: 'iad',
      state: 'started',
      config: buildConfig({ metadata: { role: 'web' } }),
    });
    const b = h.emu.control.createMachine('app-one', {
      region: 'lhr',
      state: 'stopped',
      config: buildConfig({ metadata: { role: 'web' } }),
    });
    h.emu.control.createMachine('app-one', { region: 'iad', state: 'suspended', config: buildConfig({ metadata: { role: 'worker' } }) });
    const ids = async (q: string) => (await h.json('GET', `/apps/app-one/machines?${q}`)).body.map((m: { id: string }) => m.id).sort();
    expect(await ids('state=started,stopped&metadata.role=web')).toEqual([a.id, b.id].sort());
    expect(await ids('region=lhr')).toEqual([b.id]);
    expect(await ids('state=suspended&metadata.role=web')).toEqual([]);
  });

  it('should page machines with the fly-next-cursor header', async () => {
    h.emu.control.createApp('app-one');
    const made = new Set<string>();
    for (let i = 0; i < 5; i++) {
      made.add(h.emu.control.createMachine('app-one', { state: 'started' }).id);
      await h.clock.advance(1);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { body: Array<{ id: string }>; headers: Headers } = await h.json(
        'GET',
        `/apps/app-one/machines?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...res.body.map((m) => m.id));
      cursor = res.headers.get('fly-next-cursor');
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(new Set(seen)).toEqual(made);
    expect(seen).toHaveLength(5);
  });

  it('should add the lease without nonce when include_leases is set', async () => {
    h.emu.control.createApp('app-one');
    const m = h.emu.control.createMachine('app-one', { state: 'started' });
    h.emu.control.acquireLease('app-one', m.id, 60);
    const [listed] = (await h.json('GET', '/apps/app-one/machines?include_leases=true')).body;
    expect(listed.lease).toMatchObject({ owner: expect.any(String), expires_at: expect.any(Number) });
    expect(listed.lease.nonce).toBeUndefined();
    expect((await h.json('GET', '/apps/app-one/machines')).body[0].lease).toBeUndefined();
  });

  it('should serve demo data across regions and states when seeded', async () => {
    const demo = createEmulator({ seed: 'demo', token: TOKEN });
    const url = await demo.start({ port: 0 });
    try {
      const headers = { authorization: `Bearer ${TOKEN}` };
      const apps = await (await fetch(`${url}/v1/apps?org_slug=personal`, { headers })).json();
      expect(apps.apps.length).toBeGreaterThanOrEqual(3);
      const machines = (
        await Promise.all(
          apps.apps.map(async (a: { name: string }) => (await fetch(`${url}/v1/apps/${a.name}/machines`, { headers })).json()),
        )
      ).flat();
      expect(new Set(machines.map((m: { state: string }) => m.state)).size).toBeGreaterThanOrEqual(4);
      expect(new Set(machines.map((m: { region: string }) => m.region)).size).toBeGreaterThanOrEqual(4);
      expect(machines.some((m: { checks: unknown[] }) => m.checks.length > 0)).toBe(true);
      expect(machines.every((m: { events: unknown[] }) => m.events.length > 0)).toBe(true);
      const vols = await (await fetch(`${url}/v1/apps/demo-db/volumes`, { headers })).json();
      expect(vols.length).toBeGreaterThan(0);
    } finally {
      await demo.stop();
    }
  });

  it('should list the region catalogue and describe the current token', async () => {
    const regions = await h.json('GET', '/platform/regions');
    expect(regions.body.regions.some((r: { code: string }) => r.code === 'iad')).toBe(true);
    const token = await h.json('GET', '/tokens/current');
    expect(token.body.tokens[0].org_slug).toBe('personal');
    expect(JSON.stringify(token.body)).not.toContain(TOKEN);
  });
});
