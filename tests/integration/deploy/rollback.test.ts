import { afterEach, describe, expect, it } from 'vitest';
import { HEALTHY_CONFIG, startDeployHarness, type DeployHarness } from './harness.js';

// rollbackApp end to end against the emulator: deploy v1 with config A, v2 with config B, roll back to v1, and every
// machine runs config A again (image, env, guest, services), as a deployment of its own with its progress steps.

let h: DeployHarness;
afterEach(async () => h?.close());

const CONFIG_A = {
  env: [{ name: 'MODE', value: 'a' }],
  extra: {
    guest: { cpu_kind: 'shared', cpus: 1, memory_mb: 256 },
    services: [{ protocol: 'tcp', internal_port: 8080, ports: [{ port: 443, handlers: ['tls', 'http'] }] }],
  },
};
const CONFIG_B = {
  env: [
    { name: 'MODE', value: 'b' },
    { name: 'FEATURE', value: 'on' },
  ],
  extra: {
    guest: { cpu_kind: 'shared', cpus: 2, memory_mb: 512 },
    services: [{ protocol: 'tcp', internal_port: 9090, ports: [{ port: 80, handlers: ['http'] }] }],
  },
};

const ROLLBACK = `mutation($input: RollbackAppInput!) {
  rollbackApp(input: $input) {
    __typename
    ... on RollbackAppSuccess { deployment { id kind rollbackOf image strategy status } }
    ... on Error { code message }
  }
}`;
const HISTORY = `query($app: String!) { app(name: $app) { deployments { id kind rollbackOf status restorable image } } }`;

const configOf = (app: string, id: string) => structuredClone(h.emu.control.getMachine(app, id).config) as Record<string, any>;
const live = (app: string) => h.emu.control.listMachines(app).filter((m) => m.state !== 'destroyed' && m.state !== 'destroying');
const kinds = (steps: { machineId: string; step: string }[], id: string) => steps.filter((s) => s.machineId === id).map((s) => s.step);

async function deployed(input: Record<string, unknown>): Promise<string> {
  const result = await h.deploy(input);
  expect(result.__typename).toBe('DeployAppSuccess');
  const { view } = await h.settle(result.deployment.id);
  expect([view.status, view.error]).toEqual(['SUCCEEDED', null]);
  return result.deployment.id;
}

describe('rollbackApp', () => {
  it('should bring every machine back to the full config v1 left (image, env, guest, services), with progress steps', async () => {
    h = await startDeployHarness();
    const ids = h.app('shop', ['started', 'started', 'stopped']);
    const v1 = await deployed({ app: 'shop', image: 'registry.fly.io/shop:v1', config: CONFIG_A, strategy: 'ROLLING' });
    const configsA = Object.fromEntries(ids.map((id) => [id, configOf('shop', id)]));
    expect(configsA[ids[0]!]).toMatchObject({ image: 'registry.fly.io/shop:v1', env: { MODE: 'a' }, guest: { memory_mb: 256 } });
    await deployed({ app: 'shop', image: 'registry.fly.io/shop:v2', config: CONFIG_B, strategy: 'ROLLING' });
    for (const id of ids) {
      expect(configOf('shop', id)).toMatchObject({
        image: 'registry.fly.io/shop:v2',
        env: { MODE: 'b', FEATURE: 'on' },
        guest: { cpus: 2 },
      });
    }

    const started = await h.graphql(ROLLBACK, { input: { app: 'shop', toDeployment: v1 } });
    expect(started.rollbackApp).toMatchObject({
      __typename: 'RollbackAppSuccess',
      deployment: { kind: 'ROLLBACK', rollbackOf: v1, image: 'registry.fly.io/shop:v1', strategy: 'ROLLING' },
    });
    const { view } = await h.settle(started.rollbackApp.deployment.id);
    expect(view.status).toBe('SUCCEEDED');
    for (const id of ids) expect(configOf('shop', id)).toEqual(configsA[id]);
    // Progress: each started machine was leased, updated, waited for and found healthy; the stopped one was not launched.
    expect(kinds(view.steps, ids[0]!)).toEqual(['LEASED', 'UPDATING', 'WAITING_FOR_START', 'WAITING_FOR_CHECKS', 'HEALTHY']);
    expect(kinds(view.steps, ids[2]!)).toEqual(['LEASED', 'UPDATING', 'HEALTHY']);
    expect(h.emu.control.getMachine('shop', ids[2]!).state).toBe('stopped');

    const history = await h.graphql(HISTORY, { app: 'shop' });
    expect(history.app.deployments.map((d: { kind: string; image: string }) => [d.kind, d.image])).toEqual([
      ['ROLLBACK', 'registry.fly.io/shop:v1'],
      ['DEPLOY', 'registry.fly.io/shop:v2'],
      ['DEPLOY', 'registry.fly.io/shop:v1'],
    ]);
    expect(history.app.deployments.every((d: { restorable: boolean }) => d.restorable)).toBe(true);
  });

  it('should give machines created since (BLUEGREEN) the config of their process group, and never recreate destroyed ones', async () => {
    h = await startDeployHarness();
    h.app('shop', ['started', 'started']);
    const v1 = await deployed({ app: 'shop', image: 'registry.fly.io/shop:v1', config: CONFIG_A, strategy: 'ROLLING' });
    const groupConfigA = configOf('shop', live('shop')[0]!.id);
    await deployed({ app: 'shop', image: 'registry.fly.io/shop:v2', config: CONFIG_B, strategy: 'BLUEGREEN' });
    const greens = live('shop').map((m) => m.id);
    expect(greens).toHaveLength(2);

    const started = await h.graphql(ROLLBACK, { input: { app: 'shop', toDeployment: v1, strategy: 'CANARY' } });
    expect(started.rollbackApp.deployment.strategy).toBe('CANARY');
    const { view } = await h.settle(started.rollbackApp.deployment.id);
    expect(view.status).toBe('SUCCEEDED');
    // The same machines (no recreation of v1's destroyed blue ones), each on v1's config of its group.
    expect(
      live('shop')
        .map((m) => m.id)
        .sort(),
    ).toEqual([...greens].sort());
    for (const id of greens) expect(configOf('shop', id)).toEqual(groupConfigA);
  });

  it('should refuse a deployment that did not succeed, one of another app and an unknown id, touching nothing', async () => {
    h = await startDeployHarness();
    h.app('shop', ['started']);
    h.app('other', ['started']);
    const failed = await h.deploy({ app: 'shop', image: 'registry.fly.io/shop:v2-unhealthy', waitTimeoutSeconds: 5 });
    expect((await h.settle(failed.deployment.id)).view.status).toBe('ROLLED_BACK');
    const elsewhere = await deployed({ app: 'other', image: 'registry.fly.io/other:v2' });
    h.emu.resetRequestCounts();

    const notRestorable = await h.graphql(ROLLBACK, { input: { app: 'shop', toDeployment: failed.deployment.id } });
    expect(notRestorable.rollbackApp).toMatchObject({ __typename: 'InvalidStateError', code: 'INVALID_STATE' });
    expect(notRestorable.rollbackApp.message).toMatch(/ROLLED_BACK/);
    const wrongApp = await h.graphql(ROLLBACK, { input: { app: 'shop', toDeployment: elsewhere } });
    expect(wrongApp.rollbackApp.__typename).toBe('NotFoundError');
    const unknown = await h.graphql(ROLLBACK, { input: { app: 'shop', toDeployment: 'dep_0000000000' } });
    expect(unknown.rollbackApp.__typename).toBe('NotFoundError');
    const invalid = await h.graphql(ROLLBACK, { input: { app: 'shop', toDeployment: 'v1' } });
    expect(invalid.rollbackApp.__typename).toBe('InvalidInputError');
    expect(h.emu.requestCounts()).toEqual({});
  });

  it('should keep the newest DEPLOYMENTS_HISTORY_PER_APP deployments of an app, newest first, and forget older ones', async () => {
    h = await startDeployHarness({ env: { DEPLOYMENTS_HISTORY_PER_APP: '2' } });
    h.app('shop', ['started'], HEALTHY_CONFIG);
    const first = await deployed({ app: 'shop', image: 'registry.fly.io/shop:v1', strategy: 'ROLLING' });
    const second = await deployed({ app: 'shop', image: 'registry.fly.io/shop:v2', strategy: 'ROLLING' });
    const third = await deployed({ app: 'shop', image: 'registry.fly.io/shop:v3', strategy: 'ROLLING' });
    const history = await h.graphql(HISTORY, { app: 'shop' });
    expect(history.app.deployments.map((d: { id: string }) => d.id)).toEqual([third, second]);
    expect(await h.graphql(`query($id: String!) { deployment(id: $id) { id } }`, { id: first })).toEqual({ deployment: null });
    const gone = await h.graphql(ROLLBACK, { input: { app: 'shop', toDeployment: first } });
    expect(gone.rollbackApp.__typename).toBe('NotFoundError');
  });
});
