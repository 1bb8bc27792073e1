import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDeployHarness, type DeployHarness } from './harness.js';

// "Set, then roll out": setSecrets answers a secrets version, deployApp(secretsVersion) sends it to Fly as
// min_secrets_version on every machine update, and the emulator records which version each machine now runs.

const SET = `mutation($app: String!, $values: [SecretValueInput!]!) {
  setSecrets(input: { app: $app, values: $values }) { __typename ... on SetSecretsSuccess { version secrets { name digest } } ... on Error { code message } }
}`;

describe('set secrets, then roll them out', () => {
  let h: DeployHarness;
  let ids: string[] = [];

  beforeAll(async () => {
    h = await startDeployHarness();
    ids = h.app('vault', ['started', 'started', 'stopped']);
  });
  afterAll(async () => h?.close());

  it('should update every machine with the secrets version setSecrets answered, in two calls', async () => {
    expect(ids.map((id) => h.emu.control.machineSecretsVersion('vault', id))).toEqual([0, 0, 0]);
    const set = (await h.graphql(SET, { app: 'vault', values: [{ name: 'DATABASE_URL', value: 'postgres://u:p@db/vault' }] })).setSecrets;
    expect(set).toMatchObject({ __typename: 'SetSecretsSuccess', version: 1, secrets: [{ name: 'DATABASE_URL' }] });
    expect(h.emu.control.secretsVersion('vault')).toBe(1);
    // Setting alone changes no machine: they run the version they were updated with.
    expect(ids.map((id) => h.emu.control.machineSecretsVersion('vault', id))).toEqual([0, 0, 0]);

    const result = await h.deploy({ app: 'vault', image: 'registry.fly.io/shop:v2', secretsVersion: set.version });
    expect(result.__typename).toBe('DeployAppSuccess');
    const { view } = await h.settle(result.deployment.id);
    expect(view.status).toBe('SUCCEEDED');
    expect(ids.map((id) => h.emu.control.machineSecretsVersion('vault', id))).toEqual([1, 1, 1]);
    const shown = await h.graphql(`query($id: String!) { deployment(id: $id) { secretsVersion } }`, { id: result.deployment.id });
    expect(shown.deployment.secretsVersion).toBe(1);
  });

  it('should fail the rollout and put machines back when Fly does not have the version asked for', async () => {
    const result = await h.deploy({ app: 'vault', image: 'registry.fly.io/shop:v3', secretsVersion: 99 });
    expect(result.__typename).toBe('DeployAppSuccess');
    const { view } = await h.settle(result.deployment.id);
    expect(['FAILED', 'ROLLED_BACK']).toContain(view.status);
    expect(view.error ?? JSON.stringify(view.steps)).toMatch(/secrets version 99/);
    // No machine took the new image: the first update was refused.
    for (const id of ids) expect(h.emu.control.getMachine('vault', id).config).toMatchObject({ image: 'registry.fly.io/shop:v2' });
    expect(ids.map((id) => h.emu.control.machineSecretsVersion('vault', id))).toEqual([1, 1, 1]);
  });

  it('should create the green machines of a blue-green rollout with the secrets version asked for', async () => {
    const set = (await h.graphql(SET, { app: 'vault', values: [{ name: 'API_TOKEN', value: 'tok-green' }] })).setSecrets;
    expect(set.version).toBe(2);
    const result = await h.deploy({ app: 'vault', image: 'registry.fly.io/shop:v5', strategy: 'BLUEGREEN', secretsVersion: set.version });
    const { view } = await h.settle(result.deployment.id);
    expect(view.status).toBe('SUCCEEDED');
    const green = view.machines.filter((m) => m.role === 'GREEN').map((m) => m.machineId);
    expect(green).toHaveLength(3);
    expect(green.map((id) => h.emu.control.machineSecretsVersion('vault', id))).toEqual([2, 2, 2]);
  });

  it('should refuse a negative secrets version before anything is leased', async () => {
    const result = await h.deploy({ app: 'vault', image: 'registry.fly.io/shop:v4', secretsVersion: -1 });
    expect(result).toMatchObject({ __typename: 'InvalidInputError', issues: [{ field: 'input.secretsVersion' }] });
  });
});
