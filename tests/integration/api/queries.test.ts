import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AppDetailDocument,
  AppMachinesDocument,
  AppVolumesDocument,
  HealthDocument,
  MachineDetailDocument,
  NodeByIdDocument,
  OrganizationAppsDocument,
  RegionsDocument,
} from '../../../schema/generated/graphql.js';
import { startGatewayHarness, type GatewayHarness } from '../../helpers/gateway-harness.js';

let h: GatewayHarness;
beforeAll(async () => {
  h = await startGatewayHarness({ seed: 'demo' });
  // A second, bigger app so pagination crosses several Fly pages.
  h.emu.control.createApp('paged');
  for (let i = 0; i < 7; i++) {
    h.emu.control.createMachine('paged', {
      region: i % 2 ? 'ams' : 'iad',
      state: i < 5 ? 'started' : 'stopped',
      config: { image: 'x:1', metadata: { shard: String(i % 3) } },
    });
  }
});
afterAll(() => h.close());

const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');

describe('queries', () => {
  it('should return an app with its organization, health summary, machines and volumes when it exists', async () => {
    const answer = await h.execute(AppDetailDocument, { name: 'demo-api' });
    const app = answer.data?.app;
    expect(app?.name).toBe('demo-api');
    expect(app?.id).toBe(globalId('App', 'demo-api'));
    expect(app?.organization?.slug).toBe('personal');
    expect(app?.machines.nodes).toHaveLength(3);
    // Seeded: two started (one with a warning check), one suspended.
    expect(app?.health.status).toBe('DEGRADED');
    expect(app?.health.checks.warning).toBe(1);
    expect(app?.health.machinesByState).toEqual([
      { state: 'STARTED', count: 2 },
      { state: 'SUSPENDED', count: 1 },
    ]);
  });

  it('should return null without an error when the app does not exist', async () => {
    const answer = await h.execute(AppDetailDocument, { name: 'no-such-app' });
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.app).toBeNull();
  });

  it('should filter machines by state, region and metadata when the filters are given', async () => {
    const byState = await h.execute(AppMachinesDocument, { app: 'paged', state: ['STOPPED'] });
    expect(byState.data?.machines.nodes.map((m) => m.state)).toEqual(['STOPPED', 'STOPPED']);

    const byRegion = await h.execute(AppMachinesDocument, { app: 'paged', region: 'ams' });
    expect(byRegion.data?.machines.nodes.every((m) => m.region === 'ams')).toBe(true);
    expect(byRegion.data?.machines.nodes).toHaveLength(3);

    const byMetadata = await h.execute(AppMachinesDocument, { app: 'paged', metadata: [{ key: 'shard', value: '1' }] });
    expect(byMetadata.data?.machines.nodes).toHaveLength(2);
  });

  it("should walk every machine once with Fly's cursors when paging with first and after", async () => {
    const all = (await h.execute(AppMachinesDocument, { app: 'paged' })).data!.machines.nodes.map((m) => m.machineId);
    const seen: string[] = [];
    let after: string | null | undefined;
    let pages = 0;
    for (;;) {
      h.resetCounts();
      const page = (await h.execute(AppMachinesDocument, { app: 'paged', first: 3, after })).data!.machines;
      expect(h.counts()).toEqual({ 'machines.list': 1 });
      seen.push(...page.nodes.map((m) => m.machineId));
      pages++;
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(all);
    expect(pages).toBe(3);
  });

  it('should continue at the next machine when resuming after a cursor from the middle of a page', async () => {
    const first = (await h.execute(AppMachinesDocument, { app: 'paged', first: 4 })).data!.machines;
    const resumed = (await h.execute(AppMachinesDocument, { app: 'paged', first: 2, after: first.edges[1].cursor })).data!.machines;
    expect(resumed.nodes.map((m) => m.machineId)).toEqual(first.nodes.slice(2, 4).map((m) => m.machineId));
  });

  it('should name the argument when backward pagination (not in the schema) or a foreign cursor is refused', async () => {
    const backward = await h.post({ query: '{ machines(app: "paged", last: 2) { nodes { machineId } } }' });
    expect(backward.errors?.[0].message).toMatch(/Unknown argument "last"/);

    const foreign = await h.execute(AppMachinesDocument, { app: 'paged', first: 2, after: 'not-a-cursor' });
    expect(foreign.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(foreign.errors?.[0].message).toContain('after');
  });

  it('should follow Fly cursors when paging through the organization apps', async () => {
    const page1 = (await h.execute(OrganizationAppsDocument, { first: 2 })).data!.organization!;
    expect(page1.slug).toBe('personal');
    expect(page1.name).toBe('personal');
    expect(page1.apps.nodes.map((a) => a.name)).toEqual(['demo-api', 'demo-db']);
    expect(page1.apps.pageInfo.hasNextPage).toBe(true);
    const page2 = (await h.execute(OrganizationAppsDocument, { first: 10, after: page1.apps.pageInfo.endCursor })).data!.organization!;
    expect(page2.apps.nodes.map((a) => a.name)).toEqual(['demo-web', 'demo-worker', 'paged']);
    expect(page2.apps.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });

  it('should expose typed config essentials, metadata and events when a machine is read', async () => {
    const [seeded] = h.emu.control.listMachines('demo-web');
    const machine = (await h.execute(MachineDetailDocument, { app: 'demo-web', machineId: seeded.id })).data!.machine!;
    expect(machine.app.name).toBe('demo-web');
    expect(machine.config.image).toBe('registry.fly.io/demo-web:v42');
    expect(machine.config.guest).toEqual({ cpuKind: 'shared', cpus: 1, memoryMb: 256 });
    expect(machine.config.services[0]).toMatchObject({
      protocol: 'tcp',
      internalPort: 8080,
      autostop: 'stop',
      ports: [{ port: 443, handlers: ['tls', 'http'] }],
    });
    expect(machine.config.checks).toEqual([{ name: 'http', type: 'http', port: 8080, path: '/health', interval: '15s' }]);
    expect(machine.config.restart).toEqual({ policy: 'ON_FAILURE', maxRetries: 10 });
    expect(machine.config.envKeys).toEqual(['PORT']);
    expect(machine.metadata).toContainEqual({ key: 'role', value: 'web' });
    expect(machine.events[0].source).toMatch(/FLYD|USER/);
    expect(machine.privateIp).toMatch(/^fdaa:/);
  });

  it('should redact environment values when the raw config is read', async () => {
    const [seeded] = h.emu.control.listMachines('demo-web');
    const machine = (await h.execute(MachineDetailDocument, { app: 'demo-web', machineId: seeded.id })).data!.machine!;
    expect(machine.config.raw).toMatchObject({ image: 'registry.fly.io/demo-web:v42', env: { PORT: '[redacted]' } });
    expect(JSON.stringify(machine.config.raw)).not.toContain('8080"');
  });

  it('should return exit details when a machine event is an exit', async () => {
    h.emu.control.createApp('exits');
    const m = h.emu.control.createMachine('exits', { state: 'started', config: { image: 'x:1', restart: { policy: 'no' } } });
    h.emu.control.triggerExit('exits', m.id, { exitCode: 137, oomKilled: true });
    const machine = (await h.execute(MachineDetailDocument, { app: 'exits', machineId: m.id })).data!.machine!;
    expect(machine.events[0]).toMatchObject({ type: 'exit', exitCode: 137, oomKilled: true, requestedStop: false });
  });

  it('should return attached machines and snapshots when volumes are listed', async () => {
    const volumes = (await h.execute(AppVolumesDocument, { app: 'demo-db' })).data!.volumes.nodes;
    expect(volumes).toHaveLength(2);
    const attached = volumes.find((v) => v.attachedMachineId);
    expect(attached?.attachedMachine?.machineId).toBe(attached?.attachedMachineId);
    expect(attached).toMatchObject({ appName: 'demo-db', name: 'pg_data', sizeGb: 10 });
    expect(Array.isArray(attached?.snapshots)).toBe(true);
  });

  it('should make one platform call when regions and the nearest region are both asked for', async () => {
    h.resetCounts();
    const answer = await h.execute(RegionsDocument, {});
    expect(answer.data?.regions.length).toBeGreaterThan(5);
    expect(answer.data?.regions.find((r) => r.code === 'iad')?.name).toContain('Virginia');
    expect(answer.data?.nearestRegion?.code).toBe('iad');
    expect(h.counts()).toEqual({ 'platform.regions': 1 });
  });

  it('should report the Fly check when health is asked for', async () => {
    const answer = await h.execute(HealthDocument, {});
    expect(answer.data?.health).toMatchObject({ ok: true, mode: 'live' });
    expect(answer.data?.health.checks.map((c) => c.name)).toEqual(['fly']);
  });

  it('should resolve node(id) when given the global id of any node type', async () => {
    const [m] = h.emu.control.listMachines('demo-web');
    const volumes = (await h.execute(AppVolumesDocument, { app: 'demo-db' })).data!.volumes.nodes;
    const cases = [
      [globalId('App', 'demo-web'), { __typename: 'App', name: 'demo-web' }],
      [globalId('Machine', `demo-web/${m.id}`), { __typename: 'Machine', machineId: m.id, appName: 'demo-web' }],
      [volumes[0].id, { __typename: 'Volume', volumeId: volumes[0].volumeId, appName: 'demo-db' }],
      [globalId('Organization', 'personal'), { __typename: 'Organization', slug: 'personal' }],
      [globalId('Region', 'ams'), { __typename: 'Region', code: 'ams' }],
    ] as const;
    for (const [id, expected] of cases) {
      const answer = await h.execute(NodeByIdDocument, { id });
      expect(answer.data?.node, id).toMatchObject({ id, ...expected });
    }
  });

  it('should return null for node(id) when the object does not exist', async () => {
    const answer = await h.execute(NodeByIdDocument, { id: globalId('Machine', 'demo-web/0123456789abcd') });
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.node).toBeNull();
  });

  it('should name each bad argument when a query argument fails validation', async () => {
    const answer = await h.execute(MachineDetailDocument, { app: 'Not An App', machineId: 'xyz', eventLimit: 500 });
    expect(answer.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const fields = (answer.errors?.[0].extensions?.issues as { field: string }[]).map((i) => i.field);
    expect(fields).toEqual(['app', 'machineId']);
    expect(answer.errors?.[0].message).toContain('app: expected a Fly app name');
  });
});
