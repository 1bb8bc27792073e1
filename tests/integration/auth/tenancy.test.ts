import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '#src/emulator/emulator.js';
import { INSTANT } from '../../helpers/test-gateway.js';
import { postWebhook, startTestGateway, stateChanged, STATE_CHANGES, subscribeWs, untilLive, type TestGateway } from '../events/harness.js';

// Two tenants, as Fly scopes tokens: each sees its own app, both see `shared`.
const TOKEN_A = 'emu_tenant_a_0123456789abcdef';
const TOKEN_B = 'emu_tenant_b_0123456789abcdef';

const MACHINES = `query($app: String!) { app(name: $app) { name machines { nodes { machineId state } } } }`;
const START = `mutation($app: String!, $id: String!) { startMachine(input: { app: $app, machineId: $id }) { __typename ... on Error { code } } }`;
const DEPLOY = `mutation($app: String!) { deployApp(input: { app: $app, image: "registry.fly.io/x:2" }) { __typename ... on Error { code } } }`;

describe('tenancy in fly-token mode', () => {
  let emu: Emulator;
  let gw: TestGateway;
  const machine: Record<string, string> = {};

  const ask = async (token: string | undefined, query: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(gw.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, ...((await response.json()) as { data?: any; errors?: any[]; extensions?: any }) };
  };
  const fly = (route: string) => emu.requestCounts()[route] ?? 0;

  beforeAll(async () => {
    emu = createEmulator({
      seed: 'none',
      delays: INSTANT,
      scopedTokens: { [TOKEN_A]: ['app-a', 'shared'], [TOKEN_B]: ['app-b', 'shared'] },
    });
    await emu.start({ port: 0, host: '127.0.0.1' });
    for (const app of ['app-a', 'app-b', 'shared']) {
      emu.control.createApp(app);
      machine[app] = emu.control.createMachine(app, { state: 'stopped' }).id;
    }
    gw = await startTestGateway({ emulator: emu, env: { AUTH_MODE: 'fly-token', AUTH_RECHECK_MS: '100' } });
  });
  afterAll(async () => {
    await gw?.close();
    await emu?.stop();
  });

  it("should blame the caller's own token, not the gateway's, when Fly rejects the token a caller sent", async () => {
    const answer = await ask('emu_revoked_0123456789abcdef', '{ apps { nodes { name } } }');
    expect(answer.errors?.[0]).toMatchObject({ extensions: { code: 'UNAUTHORIZED' } });
    expect(answer.errors?.[0].message).toMatch(/rejected your Fly token/);
    expect(answer.errors?.[0].message).not.toMatch(/gateway's token/);
  });

  it('should answer 401 UNAUTHENTICATED when no token is sent', async () => {
    const answer = await ask(undefined, '{ apps { nodes { name } } }');
    expect(answer.status).toBe(401);
    expect(answer.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('should list only the apps each token can read when two tenants ask the same question', async () => {
    const a = await ask(TOKEN_A, '{ apps { nodes { name } } }');
    const b = await ask(TOKEN_B, '{ apps { nodes { name } } }');
    expect(a.data.apps.nodes.map((n: { name: string }) => n.name).sort()).toEqual(['app-a', 'shared']);
    expect(b.data.apps.nodes.map((n: { name: string }) => n.name).sort()).toEqual(['app-b', 'shared']);
  });

  it("should never answer B from A's cache entries when both read the same app", async () => {
    const first = await ask(TOKEN_A, MACHINES, { app: 'shared' });
    expect(first.data.app.machines.nodes).toHaveLength(1);
    const listsAfterA = fly('machines.list');
    const again = await ask(TOKEN_A, MACHINES, { app: 'shared' });
    expect(again.extensions?.cache.hits).toBeGreaterThan(0);
    expect(fly('machines.list')).toBe(listsAfterA);
    const b = await ask(TOKEN_B, MACHINES, { app: 'shared' });
    expect(b.extensions?.cache.hits).toBe(0);
    expect(fly('machines.list')).toBe(listsAfterA + 1);
  });

  it("should keep A's apps from B even right after A read them through the cache", async () => {
    await ask(TOKEN_A, MACHINES, { app: 'app-a' });
    const b = await ask(TOKEN_B, MACHINES, { app: 'app-a' });
    // `app(name)` is null for an app that does not exist, which is what Fly says to B about A's app.
    expect(b.data.app).toBeNull();
    expect(b.extensions?.upstreamCalls.byOperation['apps.get']).toBe(1);
    expect(JSON.stringify(b)).not.toContain(machine['app-a']);
  });

  it("should refuse B's mutations and deployments on A's app, and leave the machine alone", async () => {
    const start = await ask(TOKEN_B, START, { app: 'app-a', id: machine['app-a'] });
    expect(start.data.startMachine.__typename).toBe('ForbiddenError');
    const deploy = await ask(TOKEN_B, DEPLOY, { app: 'app-a' });
    expect(deploy.data.deployApp).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
    expect(emu.control.getMachine('app-a', machine['app-a']).state).toBe('stopped');
    const own = await ask(TOKEN_A, START, { app: 'app-a', id: machine['app-a'] });
    expect(own.data.startMachine.__typename).toBe('StartMachineSuccess');
  });

  it('should refuse a subscription to an app the token cannot read', async () => {
    const subscriber = subscribeWs(gw.wsUrl, STATE_CHANGES, { app: 'app-a' }, { connectionParams: { authorization: `Bearer ${TOKEN_B}` } });
    try {
      const failure = (await subscriber.failed) as { extensions?: { code?: string } }[];
      expect(failure[0].extensions?.code).toBe('FORBIDDEN');
    } finally {
      await subscriber.close();
    }
  });

  it("should refuse appEvents on another tenant's app and deliver its own app's resource changes", async () => {
    const APP_EVENTS = `subscription($app: String!) { appEvents(app: $app) { kind app type resourceId } }`;
    const stranger = subscribeWs(gw.wsUrl, APP_EVENTS, { app: 'app-a' }, { connectionParams: { authorization: `Bearer ${TOKEN_B}` } });
    const owner = subscribeWs(gw.wsUrl, APP_EVENTS, { app: 'app-a' }, { connectionParams: { authorization: `Bearer ${TOKEN_A}` } });
    try {
      const failure = (await stranger.failed) as { extensions?: { code?: string } }[];
      expect(failure[0].extensions?.code).toBe('FORBIDDEN');
      const change = (id: string) => ({
        type: 'volume.created',
        timestamp: '2026-01-01T12:00:00Z',
        data: { app: 'app-a', resource: { kind: 'volume', id, state: 'created' } },
      });
      let n = 0;
      const delivered = (await untilLive(owner, () => postWebhook(gw.base, change(`vol_tenancy_${n++}`)))) as unknown as Record<
        string,
        unknown
      >;
      expect(delivered).toMatchObject({ kind: 'EVENT', app: 'app-a', type: 'VOLUME_CREATED' });
    } finally {
      await stranger.close();
      await owner.close();
    }
  });

  it('should end a subscription with FORBIDDEN once a re-check finds the token lost the app', async () => {
    emu.tokens.grant('emu_tenant_c_0123456789abcdef', ['shared']);
    const subscriber = subscribeWs(
      gw.wsUrl,
      STATE_CHANGES,
      { app: 'shared' },
      {
        connectionParams: { authorization: 'Bearer emu_tenant_c_0123456789abcdef' },
      },
    );
    try {
      const live = await untilLive(subscriber, () => postWebhook(gw.base, stateChanged('shared', machine.shared, 'stopped', 'started')));
      expect(live.app).toBe('shared');
      emu.tokens.grant('emu_tenant_c_0123456789abcdef', []);
      const failure = (await subscriber.failed) as { extensions?: { code?: string } }[];
      expect(failure[0].extensions?.code).toBe('FORBIDDEN');
    } finally {
      await subscriber.close();
    }
  });
});
