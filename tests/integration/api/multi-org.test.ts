import { createClient as createWsClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createKey } from '#src/api/auth/keys.js';
import { createEmulator, type Emulator } from '#src/emulator/emulator.js';
import { buildTestGateway, INSTANT, type BuiltTestGateway } from '../../helpers/test-gateway.js';

// One gateway, two organizations in the emulator: `personal` (the default, FLY_ORG) holds home-web, `acme` holds
// acme-web and acme-api. `organizations` is what the token reaches (FLY_ORGS for the gateway's own token, else one
// `GET /v1/tokens/current`), `organization(slug)` is null outside it, `apps(org:)` lists one org's apps, and the
// sync job reads each org's machine feed once per tick.

const ORGS = '{ organizations { slug } }';
const ORG = `query($slug: String) { organization(slug: $slug) { slug apps { nodes { name } } } }`;
const APPS = `query($org: String) { apps(org: $org) { nodes { name organizationSlug } } }`;

type Answer = { data: any; errors?: { message: string }[]; extensions: { upstreamCalls: { byOperation: Record<string, number> } } };

async function ask(
  built: BuiltTestGateway,
  query: string,
  variables: Record<string, unknown> = {},
  authorization?: string,
): Promise<Answer> {
  const response = await built.gateway.fetch('http://gateway/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as Answer;
}

function seed(emu: Emulator): void {
  emu.control.createApp('home-web');
  emu.control.createApp('acme-web', { org: 'acme' });
  emu.control.createApp('acme-api', { org: 'acme' });
}

const names = (answer: Answer, field: 'apps') => answer.data[field].nodes.map((n: { name: string }) => n.name);

describe('several organizations with AUTH_MODE none', () => {
  let discovered: BuiltTestGateway;
  let listed: BuiltTestGateway;

  beforeAll(async () => {
    discovered = await buildTestGateway({ env: { CACHE_RESPONSE_MAX_BYTES: '0' } });
    seed(discovered.emu);
    listed = await buildTestGateway({ env: { CACHE_RESPONSE_MAX_BYTES: '0', FLY_ORGS: 'personal,acme' } });
    seed(listed.emu);
  });
  afterAll(async () => {
    await discovered?.close();
    await listed?.close();
  });

  it("should discover the token's orgs with one tokens call, or take FLY_ORGS with none", async () => {
    const found = await ask(discovered, ORGS);
    expect(found.errors).toBeUndefined();
    expect(found.data.organizations).toEqual([{ slug: 'personal' }, { slug: 'acme' }]);
    expect(found.extensions.upstreamCalls.byOperation).toEqual({ 'tokens.current': 1 });
    const configured = await ask(listed, ORGS);
    expect(configured.data.organizations).toEqual([{ slug: 'personal' }, { slug: 'acme' }]);
    expect(configured.extensions.upstreamCalls.byOperation).toEqual({});
  });

  it('should answer organization(slug) for any reachable org with its own apps, and null for another', async () => {
    const acme = await ask(discovered, ORG, { slug: 'acme' });
    expect(acme.errors).toBeUndefined();
    expect(acme.data.organization).toEqual({ slug: 'acme', apps: { nodes: [{ name: 'acme-api' }, { name: 'acme-web' }] } });
    expect(acme.extensions.upstreamCalls.byOperation).toEqual({ 'tokens.current': 1, 'apps.list': 1 });
    const home = await ask(discovered, ORG, { slug: 'personal' });
    expect(home.data.organization.apps.nodes).toEqual([{ name: 'home-web' }]);
    const stranger = await ask(discovered, ORG, { slug: 'globex' });
    expect(stranger.data.organization).toBeNull();
    expect(stranger.extensions.upstreamCalls.byOperation).toEqual({ 'tokens.current': 1 });
    // Without a slug: the configured org, nobody asked about the token.
    const plain = await ask(listed, ORG, {});
    expect(plain.data.organization.slug).toBe('personal');
    expect(plain.extensions.upstreamCalls.byOperation).toEqual({ 'apps.list': 1 });
    expect((await ask(listed, ORG, { slug: 'globex' })).data.organization).toBeNull();
  });

  it('should list one org per apps(org:), the configured one by default, and refuse a malformed slug', async () => {
    const acme = await ask(discovered, APPS, { org: 'acme' });
    expect(acme.data.apps.nodes).toEqual([
      { name: 'acme-api', organizationSlug: 'acme' },
      { name: 'acme-web', organizationSlug: 'acme' },
    ]);
    // organization(slug: "acme") above read this list; the cache keeps it per org, so nothing is asked again.
    expect(acme.extensions.upstreamCalls.byOperation).toEqual({});
    const home = await ask(discovered, APPS, {});
    expect(names(home, 'apps')).toEqual(['home-web']);
    const bad = await ask(discovered, APPS, { org: 'Not An Org!' });
    expect(bad.errors?.[0]?.message).toMatch(/organization slug/);
    expect(bad.extensions.upstreamCalls.byOperation).toEqual({});
  });
});

describe('several organizations with AUTH_MODE api-keys', () => {
  const reader = createKey('reader', new Set(['read']));
  const scoped = createKey('acme-reader', new Set(['read']), 'acme-web');
  const writeOnly = createKey('writer', new Set(['write']));
  let built: BuiltTestGateway;

  beforeAll(async () => {
    built = await buildTestGateway({
      env: { AUTH_MODE: 'api-keys', API_KEYS: [reader.entry, scoped.entry, writeOnly.entry].join(','), CACHE_RESPONSE_MAX_BYTES: '0' },
    });
    seed(built.emu);
  });
  afterAll(async () => built?.close());

  it('should refuse a caller without a key and let a read key see every org', async () => {
    const response = await built.gateway.fetch('http://gateway/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: ORGS }),
    });
    expect(response.status).toBe(401);
    const orgs = await ask(built, ORGS, {}, `Bearer ${reader.key}`);
    expect(orgs.data.organizations).toEqual([{ slug: 'personal' }, { slug: 'acme' }]);
  });

  it('should refuse a key without read (FORBIDDEN) before anything reaches Fly', async () => {
    const before = built.emu.requestCounts()['tokens.current'] ?? 0;
    for (const query of [ORGS, ORG]) {
      const refused = await ask(built, query, { slug: 'acme' }, `Bearer ${writeOnly.key}`);
      expect(refused.data ?? null).toBeNull();
      expect((refused.errors?.[0] as { extensions?: { code?: string } }).extensions?.code).toBe('FORBIDDEN');
    }
    expect(built.emu.requestCounts()['tokens.current'] ?? 0).toBe(before);
  });

  it('should show an app-scoped key every org but only its own apps in each', async () => {
    const orgs = await ask(built, ORGS, {}, `Bearer ${scoped.key}`);
    expect(orgs.data.organizations).toEqual([{ slug: 'personal' }, { slug: 'acme' }]);
    expect(names(await ask(built, APPS, { org: 'acme' }, `Bearer ${scoped.key}`), 'apps')).toEqual(['acme-web']);
    expect(names(await ask(built, APPS, { org: 'personal' }, `Bearer ${scoped.key}`), 'apps')).toEqual([]);
  });
});

describe('several organizations with AUTH_MODE fly-token', () => {
  const ACME = 'emu_tenant_multi_org_acme_01234567';
  const HOME = 'emu_tenant_multi_org_home_01234567';
  let emu: Emulator;
  let built: BuiltTestGateway;

  beforeAll(async () => {
    emu = createEmulator({ seed: 'none', delays: INSTANT, scopedTokens: { [ACME]: ['acme-web'], [HOME]: ['home-web'] } });
    await emu.start({ port: 0, host: '127.0.0.1' });
    seed(emu);
    // FLY_ORGS speaks for the gateway's own token only: a caller's token is asked about.
    built = await buildTestGateway({
      emulator: emu,
      env: { AUTH_MODE: 'fly-token', FLY_ORGS: 'personal,acme', CACHE_RESPONSE_MAX_BYTES: '0' },
    });
  });
  afterAll(async () => {
    await built?.close();
    await emu?.stop();
  });

  it("should show each caller only the orgs its own token reaches, and null for the others'", async () => {
    const acme = await ask(built, ORGS, {}, `Bearer ${ACME}`);
    expect(acme.data.organizations).toEqual([{ slug: 'acme' }]);
    expect(acme.extensions.upstreamCalls.byOperation).toEqual({ 'tokens.current': 1 });
    expect((await ask(built, ORGS, {}, `Bearer ${HOME}`)).data.organizations).toEqual([{ slug: 'personal' }]);
    expect((await ask(built, ORG, { slug: 'personal' }, `Bearer ${ACME}`)).data.organization).toBeNull();
    const own = await ask(built, ORG, { slug: 'acme' }, `Bearer ${ACME}`);
    expect(own.data.organization).toEqual({ slug: 'acme', apps: { nodes: [{ name: 'acme-web' }] } });
  });
});

describe('sync job over several organizations', () => {
  let built: BuiltTestGateway;
  let last: Record<string, number> = {};
  const machines: Record<string, string> = {};

  const tick = async () => {
    const result = await built.gateway.sync!.runOnce();
    const now = built.emu.requestCounts();
    const spent = Object.fromEntries(
      Object.entries(now)
        .map(([route, n]) => [route, n - (last[route] ?? 0)] as const)
        .filter(([, n]) => n > 0),
    );
    last = { ...now };
    return { result, spent };
  };

  beforeAll(async () => {
    built = await buildTestGateway({
      listen: true,
      env: { SYNC_ENABLED: 'true', SYNC_INTERVAL_MS: '3600000', FLY_ORGS: 'personal,acme' },
    });
    seed(built.emu);
    for (const app of ['home-web', 'acme-web'])
      machines[app] = built.emu.control.createMachine(app, { config: { image: 'registry.fly.io/x:v1' } }).id;
    last = { ...built.emu.requestCounts() };
  });
  afterAll(async () => built?.close());

  it('should read each org feed once per tick and publish changes of machines in both orgs', async () => {
    const baseline = await tick();
    expect(baseline.result).toMatchObject({ polled: true, baseline: true, via: 'feed' });
    // One machine feed, one app list and one volume feed per org.
    expect(baseline.spent).toEqual({ 'orgs.machines': 2, 'apps.list': 2, 'orgs.volumes': 2 });

    const client = createWsClient({ url: built.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0 });
    const seen: Record<string, unknown[]> = { 'home-web': [], 'acme-web': [] };
    const disposers = Object.keys(seen).map((app) =>
      client.subscribe(
        { query: `subscription($app: String!) { machineStateChanged(app: $app) { app machineId to } }`, variables: { app } },
        { next: (r) => seen[app]!.push(r.data?.machineStateChanged), error: () => undefined, complete: () => undefined },
      ),
    );
    try {
      // Let both subscriptions reach the bus before anything is published.
      await new Promise((resolve) => setTimeout(resolve, 300));
      built.emu.control.setMachineState('home-web', machines['home-web']!, 'stopped');
      built.emu.control.setMachineState('acme-web', machines['acme-web']!, 'stopped');
      const changed = await tick();
      expect(changed.result).toMatchObject({ polled: true, via: 'feed' });
      expect(changed.result.emitted).toBeGreaterThanOrEqual(2);
      expect(changed.spent).toEqual({ 'orgs.machines': 2, 'apps.list': 2, 'orgs.volumes': 2, 'machines.events': 2 });
      const deadline = Date.now() + 5_000;
      while ((seen['home-web']!.length === 0 || seen['acme-web']!.length === 0) && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(seen['home-web']).toContainEqual({ app: 'home-web', machineId: machines['home-web'], to: 'STOPPED' });
      expect(seen['acme-web']).toContainEqual({ app: 'acme-web', machineId: machines['acme-web'], to: 'STOPPED' });
    } finally {
      for (const dispose of disposers) dispose();
      await client.dispose();
    }
  });

  it("should fall back to per-app lists for the one org whose feed fails and read the other's feed as usual", async () => {
    // A 400 is not retried: the first org's feed (personal) fails once, acme's answers.
    built.emu.faults.add({ route: 'orgs.machines', status: 400, times: 1 });
    const { result, spent } = await tick();
    expect(result).toMatchObject({ polled: true, via: 'apps', emitted: 0 });
    expect(spent).toEqual({ 'orgs.machines': 2, 'apps.list': 3, 'machines.list': 1, 'orgs.volumes': 2 });
    // Back on both feeds the next tick. (That the other org's quiet machines are not taken for gone is proven with
    // overlap 0 in tests/unit/services/sync/multi-org-sync.test.ts: here the 30 s overlap lists them anyway.)
    const next = await tick();
    expect(next.result).toMatchObject({ polled: true, via: 'feed', emitted: 0 });
    expect(next.spent).toEqual({ 'orgs.machines': 2, 'apps.list': 2, 'orgs.volumes': 2 });
  });
});
