import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '#src/api/auth/keys.js';
import { createEmulator, type Emulator } from '#src/emulator/emulator.js';
import { buildTestGateway, INSTANT, type BuiltTestGateway } from '../../helpers/test-gateway.js';

// Organization.machines and Organization.volumes: one GET /v1/orgs/{org}/… per page, Relay paging over Fly's
// next_cursor, the feed's filters, never cached; in fly-token mode only what the caller's token can read.

const web = (image: string) => ({ image, guest: { cpu_kind: 'shared', cpus: 1, memory_mb: 256 }, metadata: { role: 'web' } });

const PAGE = `query($first: Int, $after: String) {
  organization { machines(first: $first, after: $after) {
    edges { cursor node { machineId appName state region image cpus memoryMb metadata { key value } } }
    pageInfo { hasNextPage endCursor }
  } }
}`;
const ALL = `query($summary: Boolean, $deleted: Boolean, $region: String, $state: [MachineState!]) {
  organization { machines(summary: $summary, includeDeleted: $deleted, region: $region, state: $state) { nodes { machineId appName state region image } } }
}`;
const FULL = `{ organization { machines(state: [STARTED]) { nodes { machineId machine { machineId config { image } } app { name } } } } }`;
const VOLUMES = `query($deleted: Boolean, $first: Int) {
  organization { volumes(includeDeleted: $deleted, first: $first) { nodes { volumeId appName name state region sizeGb } pageInfo { hasNextPage } } }
}`;

type Answer = {
  data: any;
  errors?: { message: string; extensions: { code: string } }[];
  extensions: { upstreamCalls: { byOperation: Record<string, number> } };
};

function seed(emu: Emulator) {
  const ids: Record<string, string[]> = {};
  for (const [app, regions] of [
    ['alpha', ['iad', 'lhr', 'iad']],
    ['beta', ['nrt', 'iad']],
    ['gamma', ['ams']],
  ] as const) {
    emu.control.createApp(app);
    ids[app] = regions.map((region) => emu.control.createMachine(app, { config: web(`registry.fly.io/${app}:v1`), region }).id);
    emu.control.createVolume(app, { name: `${app}_data`, region: regions[0], sizeGb: 2 });
  }
  emu.control.setMachineState('beta', ids.beta[1]!, 'stopped');
  emu.control.setMachineState('gamma', ids.gamma[0]!, 'destroyed');
  return ids;
}

describe('organization-wide lists', () => {
  let built: BuiltTestGateway;
  let ids: Record<string, string[]>;
  const ask = async (query: string, variables: Record<string, unknown> = {}): Promise<Answer> => {
    const response = await built.gateway.fetch('http://gateway/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as Answer;
  };
  const feed = () => built.emu.requestCounts()['orgs.machines'] ?? 0;

  beforeAll(async () => {
    built = await buildTestGateway();
    ids = seed(built.emu);
  });
  afterAll(async () => built?.close());

  it('should list every live machine of every app with one Fly call, image and size included', async () => {
    const before = feed();
    const answer = await ask(ALL);
    expect(answer.errors).toBeUndefined();
    const nodes = answer.data.organization.machines.nodes as { machineId: string; appName: string; image: string; state: string }[];
    expect(nodes.map((n) => n.machineId).sort()).toEqual([...ids.alpha!, ...ids.beta!].sort());
    expect(nodes.find((n) => n.machineId === ids.alpha![0])).toMatchObject({
      appName: 'alpha',
      image: 'registry.fly.io/alpha:v1',
      state: 'STARTED',
    });
    expect(answer.extensions.upstreamCalls.byOperation).toEqual({ 'orgs.machines': 1 });
    expect(feed()).toBe(before + 1);
  });

  it('should page the Relay way over Fly cursors: two pages of two and a last one, one Fly call each', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    let calls = 0;
    for (let page = 0; page < 3; page++) {
      const answer = await ask(PAGE, { first: 2, after });
      expect(answer.errors).toBeUndefined();
      const connection = answer.data.organization.machines;
      seen.push(...connection.edges.map((e: { node: { machineId: string } }) => e.node.machineId));
      calls += answer.extensions.upstreamCalls.byOperation['orgs.machines'] ?? 0;
      expect(answer.extensions.upstreamCalls.byOperation).toEqual({ 'orgs.machines': 1 });
      after = connection.pageInfo.endCursor;
      expect(connection.pageInfo.hasNextPage).toBe(page < 2);
    }
    expect(calls).toBe(3);
    expect(seen.sort()).toEqual([...ids.alpha!, ...ids.beta!].sort());
    const first = await ask(PAGE, { first: 2 });
    expect(first.data.organization.machines.edges[0].node).toMatchObject({
      cpus: 1,
      memoryMb: 256,
      metadata: [{ key: 'role', value: 'web' }],
    });
  });

  it("should apply the feed's filters: region, state, destroyed machines and summaries", async () => {
    const iad = await ask(ALL, { region: 'iad' });
    expect(iad.data.organization.machines.nodes.map((n: { machineId: string }) => n.machineId).sort()).toEqual(
      [ids.alpha![0], ids.alpha![2], ids.beta![1]].sort(),
    );
    const stopped = await ask(ALL, { state: ['STOPPED'] });
    expect(stopped.data.organization.machines.nodes).toEqual([expect.objectContaining({ machineId: ids.beta![1], state: 'STOPPED' })]);
    const withDeleted = await ask(ALL, { deleted: true });
    expect(withDeleted.data.organization.machines.nodes).toContainEqual(
      expect.objectContaining({ machineId: ids.gamma![0], state: 'DESTROYED' }),
    );
    const summary = await ask(ALL, { summary: true });
    expect(summary.data.organization.machines.nodes.every((n: { image: string | null }) => n.image === null)).toBe(true);
    const badRegion = await ask(ALL, { region: 'nowhere' });
    expect(badRegion.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(badRegion.extensions.upstreamCalls.byOperation).toEqual({});
  });

  it('should never cache the lists: the same question twice is two Fly calls', async () => {
    const before = feed();
    await ask(ALL);
    const again = await ask(ALL);
    expect(again.extensions.upstreamCalls.byOperation).toEqual({ 'orgs.machines': 1 });
    expect(feed()).toBe(before + 2);
  });

  it('should read the full machine and its app only when asked, one call per machine and per app', async () => {
    const answer = await ask(FULL);
    expect(answer.errors).toBeUndefined();
    const nodes = answer.data.organization.machines.nodes;
    expect(nodes).toHaveLength(4);
    for (const node of nodes)
      expect(node.machine).toMatchObject({ machineId: node.machineId, config: { image: expect.stringMatching(/^registry/) } });
    expect(answer.extensions.upstreamCalls.byOperation).toEqual({ 'orgs.machines': 1, 'machines.get': 4, 'apps.get': 2 });
  });

  it('should list only what changed after `updatedAfter`, with one Fly call', async () => {
    const since = new Date();
    await new Promise((resolve) => setTimeout(resolve, 5));
    built.emu.control.setMachineState('alpha', ids.alpha![1]!, 'stopped');
    const answer = await ask(
      'query($since: DateTime) { organization { machines(updatedAfter: $since) { nodes { machineId state } } volumes(updatedAfter: $since) { nodes { volumeId } } } }',
      { since: since.toISOString() },
    );
    expect(answer.data.organization.machines.nodes).toEqual([{ machineId: ids.alpha![1], state: 'STOPPED' }]);
    expect(answer.data.organization.volumes.nodes).toEqual([]);
    expect(answer.extensions.upstreamCalls.byOperation).toEqual({ 'orgs.machines': 1, 'orgs.volumes': 1 });
  });

  it('should list the volumes of every app, destroyed ones when asked, one Fly call', async () => {
    const answer = await ask(VOLUMES);
    expect(answer.errors).toBeUndefined();
    const names = answer.data.organization.volumes.nodes.map((v: { appName: string; name: string }) => `${v.appName}/${v.name}`);
    expect(names.sort()).toEqual(['alpha/alpha_data', 'beta/beta_data', 'gamma/gamma_data']);
    expect(answer.extensions.upstreamCalls.byOperation).toEqual({ 'orgs.volumes': 1 });
    const paged = await ask(VOLUMES, { first: 1 });
    expect(paged.data.organization.volumes).toMatchObject({ nodes: [expect.any(Object)], pageInfo: { hasNextPage: true } });
  });
});

describe('who may read the organization lists', () => {
  it('should serve a read key (read scope is enough) and refuse a caller without a key', async () => {
    const reader = createKey('reader', new Set(['read']));
    const built = await buildTestGateway({ env: { AUTH_MODE: 'api-keys', API_KEYS: reader.entry } });
    try {
      const ids = seed(built.emu);
      const ask = async (headers: Record<string, string>) => {
        const response = await built.gateway.fetch('http://gateway/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ query: ALL }),
        });
        return { status: response.status, ...((await response.json()) as Answer) };
      };
      const read = await ask({ authorization: `Bearer ${reader.key}` });
      expect(read.data.organization.machines.nodes).toHaveLength(ids.alpha!.length + ids.beta!.length);
      const anonymous = await ask({});
      expect(anonymous.status).toBe(401);
      expect(built.emu.requestCounts()['orgs.machines']).toBe(1);
    } finally {
      await built.close();
    }
  });

  it("should list only the apps a caller's Fly token can read, machines and volumes alike", async () => {
    const TOKEN_A = 'emu_tenant_orgs_a_0123456789abcdef';
    const TOKEN_B = 'emu_tenant_orgs_b_0123456789abcdef';
    const emu = createEmulator({ seed: 'none', delays: INSTANT, scopedTokens: { [TOKEN_A]: ['alpha'], [TOKEN_B]: ['beta', 'gamma'] } });
    await emu.start({ port: 0, host: '127.0.0.1' });
    const built = await buildTestGateway({ emulator: emu, env: { AUTH_MODE: 'fly-token', CACHE_RESPONSE_MAX_BYTES: '0' } });
    try {
      const ids = seed(emu);
      const ask = async (token: string, query: string) =>
        (await (
          await built.gateway.fetch('http://gateway/graphql', {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ query }),
          })
        ).json()) as Answer;
      const a = await ask(TOKEN_A, ALL);
      expect(a.data.organization.machines.nodes.map((n: { machineId: string }) => n.machineId).sort()).toEqual([...ids.alpha!].sort());
      const b = await ask(TOKEN_B, ALL);
      expect(b.data.organization.machines.nodes.map((n: { appName: string }) => n.appName)).toEqual(['beta', 'beta']);
      const volumesA = await ask(TOKEN_A, VOLUMES);
      expect(volumesA.data.organization.volumes.nodes.map((v: { appName: string }) => v.appName)).toEqual(['alpha']);
      const volumesB = await ask(TOKEN_B, VOLUMES);
      expect(volumesB.data.organization.volumes.nodes.map((v: { appName: string }) => v.appName).sort()).toEqual(['beta', 'gamma']);
    } finally {
      await built.close();
      await emu.stop();
    }
  });
});
