import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '#src/api/auth/keys.js';
import { createEmulator, type Emulator } from '#src/emulator/emulator.js';
import { createManualClock, type ManualClock } from '#src/lib/clock.js';
import { buildTestGateway, INSTANT, type BuiltTestGateway } from '../../helpers/test-gateway.js';
import { HEALTHY_CONFIG } from '../deploy/harness.js';
import { subscribeWs } from '../events/harness.js';

// rollbackApp is guarded as deployApp is (write scope; in fly-token mode the caller's token must read the app and
// the rollout runs with it), App.deployments is seen only by who may read the app, and a rollback's progress
// streams over graphql-ws like any deployment's.

const OWNER = 'emu_tenant_owner_0123456789abcdef';
const STRANGER = 'emu_tenant_stranger_0123456789abc';
const READER = 'emu_tenant_reader_0123456789abcde';

const DEPLOY = `mutation($image: String!) {
  deployApp(input: { app: "shop", image: $image, config: { env: [{ name: "IMAGE", value: $image }] } }) {
    __typename ... on DeployAppSuccess { deployment { id } } ... on Error { code message }
  }
}`;
const ROLLBACK = `mutation($to: String!) {
  rollbackApp(input: { app: "shop", toDeployment: $to }) {
    __typename ... on RollbackAppSuccess { deployment { id kind } } ... on Error { code message }
  }
}`;
const STATUS = 'query($id: String!) { deployment(id: $id) { status } }';
const HISTORY = '{ app(name: "shop") { deployments { id kind } } }';
const PROGRESS = 'subscription($id: String!) { deploymentProgress(id: $id) { kind status step { seq machineId step } } }';

type Answer = { data?: any; errors?: { extensions: { code: string } }[] };

function asker(built: () => BuiltTestGateway) {
  return async (token: string | undefined, query: string, variables: Record<string, unknown> = {}): Promise<Answer> => {
    const response = await built().gateway.fetch('http://gateway/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as Answer;
  };
}

/** Advances the shared clock until a deployment is final. */
async function settle(clock: ManualClock, ask: ReturnType<typeof asker>, token: string | undefined, id: string): Promise<string> {
  for (let i = 0; i < 5_000; i++) {
    const status = (await ask(token, STATUS, { id })).data?.deployment?.status;
    if (['SUCCEEDED', 'FAILED', 'ROLLED_BACK', 'CANCELLED', 'INTERRUPTED'].includes(status)) return status;
    await clock.advance(100);
    await new Promise((r) => setTimeout(r, 1));
  }
  throw new Error(`deployment ${id} never ended`);
}

describe('rollbackApp access in fly-token mode', () => {
  let emu: Emulator;
  let built: BuiltTestGateway;
  let clock: ManualClock;
  let v1 = '';
  const ask = asker(() => built);

  beforeAll(async () => {
    clock = createManualClock();
    emu = createEmulator({
      seed: 'none',
      clock,
      delays: INSTANT,
      scopedTokens: { [OWNER]: ['shop'], [STRANGER]: ['elsewhere'] },
      readOnlyTokens: { [READER]: ['shop'] },
    });
    await emu.start({ port: 0, host: '127.0.0.1' });
    emu.control.createApp('shop');
    emu.control.createApp('elsewhere');
    for (let i = 0; i < 2; i++) emu.control.createMachine('shop', { config: HEALTHY_CONFIG, state: 'started' });
    built = await buildTestGateway({
      emulator: emu,
      gatewayClock: clock,
      listen: true,
      env: { AUTH_MODE: 'fly-token', CACHE_RESPONSE_MAX_BYTES: '0' },
    });
    const first = await ask(OWNER, DEPLOY, { image: 'registry.fly.io/shop:v1' });
    v1 = first.data.deployApp.deployment.id;
    expect(await settle(clock, ask, OWNER, v1)).toBe('SUCCEEDED');
    const second = await ask(OWNER, DEPLOY, { image: 'registry.fly.io/shop:v2' });
    expect(await settle(clock, ask, OWNER, second.data.deployApp.deployment.id)).toBe('SUCCEEDED');
  });
  afterAll(async () => {
    await built?.close();
    await emu?.stop();
  });

  it("should refuse a stranger's rollback (FORBIDDEN) and a read-only token's, changing nothing", async () => {
    emu.resetRequestCounts();
    const stranger = await ask(STRANGER, ROLLBACK, { to: v1 });
    expect(stranger.data.rollbackApp.__typename).toBe('ForbiddenError');
    const reader = await ask(READER, ROLLBACK, { to: v1 });
    expect(reader.data.rollbackApp.__typename).toBe('ForbiddenError');
    // The stranger is stopped by the access check (one apps.get); the reader by Fly refusing its first lease.
    expect(emu.requestCounts()).toEqual({ 'apps.get': 2, 'machines.list': 1, 'machines.lease.acquire': 1 });
    for (const m of emu.control.listMachines('shop')) expect((m.config as { image: string }).image).toBe('registry.fly.io/shop:v2');
  });

  it('should list the history to callers who can read the app only', async () => {
    expect((await ask(OWNER, HISTORY)).data.app.deployments).toHaveLength(2);
    expect((await ask(READER, HISTORY)).data.app.deployments).toHaveLength(2);
    expect((await ask(STRANGER, HISTORY)).data?.app ?? null).toBeNull();
  });

  it("should roll back with the owner's token and stream every step, then SUCCEEDED, over graphql-ws", async () => {
    const started = await ask(OWNER, ROLLBACK, { to: v1 });
    expect(started.data.rollbackApp).toMatchObject({ __typename: 'RollbackAppSuccess', deployment: { kind: 'ROLLBACK' } });
    const id: string = started.data.rollbackApp.deployment.id;
    const ws = subscribeWs(built.url.replace(/^http/, 'ws'), PROGRESS, { id }, { connectionParams: { authorization: `Bearer ${OWNER}` } });
    let done = false;
    const pump = (async () => {
      while (!done) {
        await clock.advance(100);
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    const received: any[] = [];
    try {
      for (;;) {
        const message = (await ws.next(20_000)) as any;
        received.push(message);
        if (message.kind === 'STATUS') break;
      }
    } finally {
      done = true;
      await pump;
      await ws.close();
    }
    const steps = received.filter((m) => m.kind === 'STEP').map((m) => m.step);
    expect(steps.map((s) => s.seq)).toEqual(steps.map((_, i) => i + 1));
    expect(steps.filter((s) => s.step === 'HEALTHY')).toHaveLength(2);
    expect(received.at(-1)).toMatchObject({ kind: 'STATUS', status: 'SUCCEEDED' });
    for (const m of emu.control.listMachines('shop')) {
      expect(m.config).toMatchObject({ image: 'registry.fly.io/shop:v1', env: { IMAGE: 'registry.fly.io/shop:v1' } });
    }
  });
});

describe('rollbackApp with API keys', () => {
  it('should give a read key ForbiddenError and send nothing to Fly, and let a write key roll back', async () => {
    const reader = createKey('reader', new Set(['read']));
    const writer = createKey('writer', new Set(['read', 'write']));
    const clock = createManualClock();
    const built = await buildTestGateway({
      emulatorOptions: { seed: 'none', clock },
      gatewayClock: clock,
      env: { AUTH_MODE: 'api-keys', API_KEYS: `${reader.entry},${writer.entry}` },
    });
    const ask = asker(() => built);
    try {
      built.emu.control.createApp('shop');
      built.emu.control.createMachine('shop', { config: HEALTHY_CONFIG, state: 'started' });
      const v1 = (await ask(writer.key, DEPLOY, { image: 'registry.fly.io/shop:v1' })).data.deployApp.deployment.id;
      expect(await settle(clock, ask, writer.key, v1)).toBe('SUCCEEDED');
      built.emu.resetRequestCounts();
      const refused = await ask(reader.key, ROLLBACK, { to: v1 });
      expect(refused.data.rollbackApp).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
      expect(built.emu.requestCounts()).toEqual({});
      const allowed = await ask(writer.key, ROLLBACK, { to: v1 });
      expect(allowed.data.rollbackApp.__typename).toBe('RollbackAppSuccess');
      expect(await settle(clock, ask, writer.key, allowed.data.rollbackApp.deployment.id)).toBe('SUCCEEDED');
      // Open access (AUTH_MODE none) is covered by tests/integration/deploy/rollback.test.ts.
    } finally {
      await built.close();
    }
  });
});
