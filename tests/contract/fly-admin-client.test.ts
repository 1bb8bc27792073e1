import clientModule from 'fly-admin/dist/client.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '#src/emulator/emulator.js';

type FlyAdminClient = import('fly-admin/dist/client.js').default;
type ClientCtor = new (token: string, opts: { apiUrl?: string; graphqlUrl?: string }) => FlyAdminClient;

/** fly-admin ships CommonJS with `exports.default = Client`; depending on the loader the class sits one level deeper. */
const Client: ClientCtor = ((clientModule as unknown as { default?: ClientCtor }).default ?? clientModule) as unknown as ClientCtor;

const TOKEN = 'fly-admin-token';

describe('fly-admin client against the emulator', () => {
  let emu: Emulator;
  let fly: FlyAdminClient;
  const app = 'admin-app';
  let machineId = '';
  let version = '';

  beforeAll(async () => {
    // Short real delays: fly-admin cannot drive a manual clock, and its waitMachine must see a real transition.
    emu = createEmulator({ token: TOKEN, delays: { start: 20, stop: 20, restart: 20, suspend: 20, destroy: 20, update: 20, create: 20 } });
    const url = await emu.start({ port: 0 });
    fly = new Client(TOKEN, { apiUrl: url, graphqlUrl: url });
  });
  afterAll(() => emu.stop());

  it('should create, list, get and delete apps', async () => {
    await fly.App.createApp({ org_slug: 'personal', app_name: app });
    await fly.App.createApp({ org_slug: 'personal', app_name: 'admin-temp' });
    const listed = await fly.App.listApps('personal');
    expect(listed.apps.map((a) => a.name).sort()).toEqual(['admin-app', 'admin-temp']);
    expect(listed.total_apps).toBe(2);
    const got = await fly.App.getApp(app);
    expect(got.name).toBe(app);
    expect(got.organization.slug).toBe('personal');
    await fly.App.deleteApp('admin-temp');
    await expect(fly.App.getApp('admin-temp')).rejects.toThrow(/^404: .*Could not find App/);
  });

  it('should create, list and get machines', async () => {
    const created = await fly.Machine.createMachine({
      app_name: app,
      region: 'lhr',
      name: 'admin-1',
      config: { image: 'registry.fly.io/admin:1', guest: { cpus: 1, memory_mb: 256, cpu_kind: 'shared' } },
    });
    machineId = created.id;
    version = created.instance_id;
    expect(created).toMatchObject({ name: 'admin-1', region: 'lhr', state: 'created' });
    expect(version).toMatch(/^[0-9A-Z]{26}$/);
    const listed = await fly.Machine.listMachines(app);
    expect(listed.map((m) => m.id)).toEqual([machineId]);
    const filtered = await fly.Machine.listMachines({ app_name: app, region: 'iad' });
    expect(filtered).toEqual([]);
    const got = await fly.Machine.getMachine({ app_name: app, machine_id: machineId });
    expect(got.config.image).toBe('registry.fly.io/admin:1');
  });

  it('should wait for started with a string timeout and the instance id', async () => {
    const res = await fly.Machine.waitMachine({
      app_name: app,
      machine_id: machineId,
      instance_id: version,
      state: 'started' as never,
      timeout: '10s',
    });
    expect(res.ok).toBe(true);
  });

  it('should update a machine to a new version', async () => {
    const updated = await fly.Machine.updateMachine({ app_name: app, machine_id: machineId, config: { image: 'registry.fly.io/admin:2' } });
    expect(updated.instance_id).not.toBe(version);
    expect(updated.config.image).toBe('registry.fly.io/admin:2');
    version = updated.instance_id;
    expect((await fly.Machine.waitMachine({ app_name: app, machine_id: machineId, instance_id: version, timeout: '10' })).ok).toBe(true);
  });

  it('should stop, start and restart a machine', async () => {
    expect(await fly.Machine.stopMachine({ app_name: app, machine_id: machineId })).toEqual({ ok: true });
    await fly.Machine.waitMachine({ app_name: app, machine_id: machineId, state: 'stopped' as never, timeout: '10s' });
    const started = (await fly.Machine.startMachine({ app_name: app, machine_id: machineId })) as unknown as { previous_state: string };
    expect(started.previous_state).toBe('stopped');
    await fly.Machine.waitMachine({ app_name: app, machine_id: machineId, state: 'started' as never, timeout: '10s' });
    expect(await fly.Machine.restartMachine({ app_name: app, machine_id: machineId, timeout: '5s' })).toEqual({ ok: true });
    const events = await fly.Machine.listEvents({ app_name: app, machine_id: machineId });
    expect(events.some((e) => e.type === 'restart')).toBe(true);
    expect(events.some((e) => e.type === 'launch')).toBe(true);
  });

  it('should cordon and uncordon a machine', async () => {
    await fly.Machine.waitMachine({ app_name: app, machine_id: machineId, state: 'started' as never, timeout: '10s' });
    expect(await fly.Machine.cordonMachine({ app_name: app, machine_id: machineId })).toEqual({ ok: true });
    const cordoned = (await fly.Machine.getMachine({ app_name: app, machine_id: machineId })) as unknown as { cordoned: boolean };
    expect(cordoned.cordoned).toBe(true);
    expect(await fly.Machine.uncordonMachine({ app_name: app, machine_id: machineId })).toEqual({ ok: true });
  });

  it('should read, acquire and refuse a second lease', async () => {
    await expect(fly.Machine.getLease({ app_name: app, machine_id: machineId })).rejects.toThrow(/^404:/);
    const lease = await fly.Machine.acquireLease({ app_name: app, machine_id: machineId, ttl: 60, description: 'fly-admin' });
    expect(lease.status).toBe('success');
    expect(lease.data.nonce).toMatch(/^[0-9a-f]{12}$/);
    expect((await fly.Machine.getLease({ app_name: app, machine_id: machineId })).data.description).toBe('fly-admin');
    await expect(fly.Machine.acquireLease({ app_name: app, machine_id: machineId, ttl: 60 })).rejects.toThrow(/^409:.*"code":"invalid"/);
    // fly-admin cannot send the nonce, so its mutations are refused while the lease is held.
    await expect(fly.Machine.stopMachine({ app_name: app, machine_id: machineId })).rejects.toThrow(/^409:/);
  });

  it('should create, list, get, extend, snapshot and delete volumes', async () => {
    const created = await fly.Volume.createVolume({ app_name: app, name: 'admin_data', region: 'iad', size_gb: 1 });
    expect(created.id).toMatch(/^vol_/);
    expect((await fly.Volume.listVolumes(app)).map((v) => v.id)).toEqual([created.id]);
    expect((await fly.Volume.getVolume({ app_name: app, volume_id: created.id })).name).toBe('admin_data');
    const extended = await fly.Volume.extendVolume({ app_name: app, volume_id: created.id, size_gb: 3 });
    expect(extended.volume?.size_gb).toBe(3);
    expect(extended.needs_restart).toBe(false);
    expect(await fly.Volume.listSnapshots({ app_name: app, volume_id: created.id })).toEqual([]);
    const deleted = await fly.Volume.deleteVolume({ app_name: app, volume_id: created.id });
    // Fly answers at once and removes the data a moment later (the emulator keeps `pending_destroy` on its clock).
    expect(deleted.state).toBe('pending_destroy');
  });

  it('should answer fly-admin GraphQL reads for organization and regions', async () => {
    const org = await fly.Organization.getOrganization('personal');
    expect(org.organization.slug).toBe('personal');
    const regions = await fly.Regions.getRegions();
    expect(regions.platform.regions.some((r) => r.code === 'iad')).toBe(true);
  });

  it('should delete a machine with kill=true', async () => {
    const m = await fly.Machine.createMachine({ app_name: app, config: { image: 'registry.fly.io/admin:1' } });
    await fly.Machine.waitMachine({ app_name: app, machine_id: m.id, state: 'started' as never, timeout: '10s' });
    await expect(fly.Machine.deleteMachine({ app_name: app, machine_id: m.id })).rejects.toThrow(/^412:/);
    expect(await fly.Machine.deleteMachine({ app_name: app, machine_id: m.id, force: true })).toEqual({ ok: true });
    await fly.Machine.waitMachine({ app_name: app, machine_id: m.id, state: 'destroyed' as never, timeout: '10s' });
    expect((await fly.Machine.listMachines(app)).map((x) => x.id)).not.toContain(m.id);
  });
});
