import { afterEach, describe, expect, it } from 'vitest';
import { machineProcesses, machineVersions, setMachineMemoryLimit } from '#src/flyio/machine-info.js';
import { buildMachine, createHarness, type Harness } from './helpers.js';

const MACHINE = '/v1/apps/my-app/machines/m1';
const REF = { app: 'my-app', machineId: 'm1' };
const VOLUME = { id: 'vol_abcdefgh12345678', name: 'data', state: 'created', size_gb: 1, region: 'ams' };

interface Seen {
  path?: string;
  body?: unknown;
}

function capture(h: Harness, path: string | ((p: string) => boolean), method: string, status: number, data: unknown): Seen {
  const seen: Seen = {};
  h.pool.intercept({ path, method }).reply((opts) => {
    seen.path = opts.path;
    seen.body = typeof opts.body === 'string' ? JSON.parse(opts.body) : undefined;
    return { statusCode: status, data: data as object };
  });
  return seen;
}

describe('machine mutations', () => {
  let h: Harness;
  afterEach(async () => {
    await h.agent.close();
  });

  it('should send config, name, region, skip_launch and lease_ttl when creating a machine', async () => {
    h = createHarness();
    const seen = capture(h, '/v1/apps/my-app/machines', 'POST', 200, buildMachine({ id: 'new1', state: 'created', nonce: 'n1' }));
    const machine = await h.client.machines.create({
      app: 'my-app',
      config: { image: 'nginx' },
      name: 'web',
      region: 'ams',
      skipLaunch: true,
      leaseTtlSeconds: 30,
    });
    expect(seen.body).toEqual({ config: { image: 'nginx' }, name: 'web', region: 'ams', skip_launch: true, lease_ttl: 30 });
    expect(machine.nonce).toBe('n1');
  });

  it('should send current_version when updating a machine', async () => {
    h = createHarness();
    const seen = capture(h, MACHINE, 'POST', 200, buildMachine({ id: 'm1', version: 'v2' }));
    const machine = await h.client.machines.update({ ...REF, config: { image: 'nginx:2' }, currentVersion: 'v1' });
    expect(seen.body).toEqual({ config: { image: 'nginx:2' }, current_version: 'v1' });
    expect(machine.version).toBe('v2');
  });

  it('should send force and kill when destroying with force, and neither otherwise', async () => {
    h = createHarness();
    const forced = capture(h, (p) => p.startsWith(MACHINE), 'DELETE', 200, { ok: true });
    const plain = capture(h, (p) => p.startsWith(MACHINE), 'DELETE', 200, '');
    await h.client.machines.destroy({ ...REF, force: true });
    await h.client.machines.destroy(REF);
    expect(forced.path).toBe(`${MACHINE}?force=true&kill=true`);
    expect(plain.path).toBe(MACHINE);
  });

  it('should accept empty, {ok:true} and start-summary bodies on start', async () => {
    h = createHarness({ rateLimit: false });
    h.pool.intercept({ path: `${MACHINE}/start`, method: 'POST' }).reply(200, '');
    h.pool.intercept({ path: `${MACHINE}/start`, method: 'POST' }).reply(200, { ok: true });
    h.pool.intercept({ path: `${MACHINE}/start`, method: 'POST' }).reply(200, { previous_state: 'stopped', migrated: false, new_host: '' });
    for (let i = 0; i < 3; i++) await expect(h.client.machines.start(REF)).resolves.toBeUndefined();
    expect(h.calls.map((c) => c.status)).toEqual([200, 200, 200]);
  });

  it('should send signal and timeout in the stop body', async () => {
    h = createHarness();
    const seen = capture(h, `${MACHINE}/stop`, 'POST', 200, { ok: true });
    await h.client.machines.stop({ ...REF, signal: 'SIGINT', timeoutSeconds: 30 });
    expect(seen.body).toEqual({ signal: 'SIGINT', timeout: '30s' });
  });

  it('should send restart options as query parameters', async () => {
    h = createHarness();
    const seen = capture(h, (p) => p.startsWith(`${MACHINE}/restart`), 'POST', 200, {});
    await h.client.machines.restart({ ...REF, signal: 'SIGTERM', timeoutSeconds: 10 });
    expect(seen.path).toBe(`${MACHINE}/restart?signal=SIGTERM&timeout=10s`);
  });

  it('should send the signal in the body when signalling', async () => {
    h = createHarness();
    const seen = capture(h, `${MACHINE}/signal`, 'POST', 200, {});
    await h.client.machines.signal({ ...REF, signal: 'SIGUSR1' });
    expect(seen.body).toEqual({ signal: 'SIGUSR1' });
  });

  it('should read all metadata, upsert one key and delete one key', async () => {
    h = createHarness();
    h.pool.intercept({ path: `${MACHINE}/metadata`, method: 'GET' }).reply(200, { role: 'web', tier: 'a' });
    const set = capture(h, `${MACHINE}/metadata/role`, 'POST', 204, '');
    capture(h, `${MACHINE}/metadata/role`, 'DELETE', 204, '');
    expect(await h.client.machines.getMetadata(REF)).toEqual({ role: 'web', tier: 'a' });
    await h.client.machines.setMetadata({ ...REF, key: 'role', value: 'worker' });
    await h.client.machines.deleteMetadata({ ...REF, key: 'role' });
    expect(set.body).toEqual({ value: 'worker' });
    expect(h.calls.map((c) => [c.operation, c.method, c.status])).toEqual([
      ['machines.getMetadata', 'GET', 200],
      ['machines.setMetadata', 'POST', 204],
      ['machines.deleteMetadata', 'DELETE', 204],
    ]);
  });

  it('should call declared operations: versions, processes (with sorting) and memory', async () => {
    h = createHarness();
    h.pool.intercept({ path: `${MACHINE}/versions`, method: 'GET' }).reply(200, [{ version: 'v1', user_config: { image: 'x' } }]);
    h.pool
      .intercept({ path: `${MACHINE}/ps?sort_by=cpu&order=desc`, method: 'GET' })
      .reply(200, [{ pid: 1, command: 'nginx', cpu: 2, rss: 100 }]);
    const set = capture(h, `${MACHINE}/memory`, 'PUT', 200, { limit_mb: 128, available_mb: 64 });
    expect((await h.client.call(machineVersions, REF))[0].version).toBe('v1');
    expect((await h.client.call(machineProcesses, { ...REF, sortBy: 'cpu', order: 'desc' }))[0].command).toBe('nginx');
    expect(await h.client.call(setMachineMemoryLimit, { ...REF, limitMb: 128 })).toEqual({ limit_mb: 128, available_mb: 64 });
    expect(set.body).toEqual({ limit_mb: 128 });
    expect(h.calls.map((c) => [c.operation, c.method, c.status])).toEqual([
      ['machines.versions', 'GET', 200],
      ['machines.ps', 'GET', 200],
      ['machines.memory.set', 'PUT', 200],
    ]);
    // A declared path refuses an empty placeholder before anything is sent, as the hand-written ones do.
    await expect(h.client.call(machineVersions, { app: 'a', machineId: '' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('should record operation, method, status, duration and attempt for each call', async () => {
    h = createHarness();
    h.pool.intercept({ path: MACHINE, method: 'GET' }).reply(200, buildMachine({ id: 'm1' }));
    await h.client.machines.get(REF);
    expect(h.calls).toEqual([{ operation: 'machines.get', method: 'GET', status: 200, durationMs: 0, attempt: 1 }]);
  });
});

describe('apps, volumes, orgs, platform and tokens', () => {
  let h: Harness;
  afterEach(async () => {
    await h.agent.close();
  });

  it('should create an app with name and org_slug and delete it', async () => {
    h = createHarness();
    const created = capture(h, '/v1/apps', 'POST', 201, { id: 'app1', created_at: 1767225600 });
    h.pool.intercept({ path: '/v1/apps/new-app', method: 'DELETE' }).reply(202, '');
    const result = await h.client.apps.create({ name: 'new-app', org: 'personal', network: 'n1' });
    await h.client.apps.delete('new-app');
    expect(created.body).toEqual({ name: 'new-app', org_slug: 'personal', network: 'n1' });
    expect(result.id).toBe('app1');
    expect(h.calls.map((c) => c.status)).toEqual([201, 202]);
  });

  it('should page volumes with fly-next-cursor and follow it in listAll', async () => {
    h = createHarness();
    h.pool.intercept({ path: '/v1/apps/my-app/volumes', method: 'GET' }).reply(200, [VOLUME], { headers: { 'fly-next-cursor': 'v2' } });
    h.pool.intercept({ path: '/v1/apps/my-app/volumes?cursor=v2', method: 'GET' }).reply(200, [{ ...VOLUME, id: 'vol_2' }]);
    const all = await h.client.volumes.listAll({ app: 'my-app' });
    expect(all.map((v) => v.id)).toEqual([VOLUME.id, 'vol_2']);
  });

  it('should create, get, extend, snapshot and delete a volume', async () => {
    h = createHarness();
    const base = `/v1/apps/my-app/volumes/${VOLUME.id}`;
    const created = capture(h, '/v1/apps/my-app/volumes', 'POST', 200, VOLUME);
    h.pool.intercept({ path: base, method: 'GET' }).reply(200, VOLUME);
    const extended = capture(h, `${base}/extend`, 'PUT', 200, { needs_restart: true, volume: { ...VOLUME, size_gb: 5 } });
    h.pool.intercept({ path: `${base}/snapshots`, method: 'POST' }).reply(200, '');
    h.pool.intercept({ path: `${base}/snapshots`, method: 'GET' }).reply(200, [{ id: 'snap1', size: 10, status: 'created' }]);
    h.pool.intercept({ path: base, method: 'DELETE' }).reply(200, { ...VOLUME, state: 'destroyed' });
    const ref = { app: 'my-app', volumeId: VOLUME.id };
    await h.client.volumes.create({ app: 'my-app', name: 'data', region: 'ams', sizeGb: 1, encrypted: true });
    expect(created.body).toEqual({ name: 'data', region: 'ams', size_gb: 1, encrypted: true });
    expect((await h.client.volumes.get(ref)).name).toBe('data');
    const grown = await h.client.volumes.extend({ ...ref, sizeGb: 5 });
    expect(extended.body).toEqual({ size_gb: 5 });
    expect(grown).toMatchObject({ needs_restart: true, volume: { size_gb: 5 } });
    await h.client.volumes.createSnapshot(ref);
    expect((await h.client.volumes.snapshots(ref))[0].id).toBe('snap1');
    expect((await h.client.volumes.delete(ref)).state).toBe('destroyed');
  });

  it('should poll the org machines feed with updated_after and cursor', async () => {
    h = createHarness();
    const seen = capture(h, (p) => p.startsWith('/v1/orgs/personal/machines'), 'GET', 200, {
      machines: [{ id: 'm1', app_name: 'my-app', state: 'started' }],
      next_cursor: 'n2',
      last_updated_at: '2026-01-01T00:00:00Z',
    });
    const feed = await h.client.orgs.machines({
      org: 'personal',
      updatedAfter: '2026-01-01T00:00:00Z',
      includeDeleted: true,
      summary: true,
      limit: 50,
    });
    const params = new URL(`http://x${seen.path}`).searchParams;
    expect(params.get('updated_after')).toBe('2026-01-01T00:00:00Z');
    expect(params.get('include_deleted')).toBe('true');
    expect(params.get('limit')).toBe('50');
    expect(feed.machines[0].app_name).toBe('my-app');
    expect(feed.next_cursor).toBe('n2');
  });

  it('should read regions and the current token', async () => {
    h = createHarness();
    h.pool
      .intercept({ path: '/v1/platform/regions', method: 'GET' })
      .reply(200, { nearest: 'ams', regions: [{ code: 'ams', name: 'Amsterdam' }] });
    h.pool.intercept({ path: '/v1/tokens/current', method: 'GET' }).reply(200, { tokens: [{ org_slug: 'personal', token_id: 't1' }] });
    expect((await h.client.platform.regions()).regions[0].code).toBe('ams');
    expect((await h.client.tokens.current()).tokens[0].token_id).toBe('t1');
  });
});
