import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '#src/api/auth/keys.js';
import { createEmulator } from '#src/emulator/emulator.js';
import { buildTestGateway, INSTANT, type BuiltTestGateway } from '../../helpers/test-gateway.js';

// updateMachineMetadata (PATCH …/metadata: several keys set and removed in one change) and Machine.metadataValue
// (GET …/metadata/{key}): declared operations exposed as they are, with exact upstream counts and who may use them.

const CONFIG = { image: 'registry.fly.io/meta:v1', metadata: { team: 'core', tier: 'gold', old: 'yes' } };

const UPDATE = `mutation($app: String!, $id: String!, $set: [MetadataEntryInput!], $remove: [String!], $version: String, $nonce: String) {
  updateMachineMetadata(input: { app: $app, machineId: $id, set: $set, remove: $remove, machineVersion: $version, leaseNonce: $nonce }) {
    __typename
    ... on UpdateMachineMetadataSuccess { machine { metadata { key value } } }
    ... on Error { code message }
    ... on InvalidInputError { issues { field message } }
  }
}`;
const VALUE = `query($app: String!, $id: String!, $key: String!) { machine(app: $app, machineId: $id) { metadataValue(key: $key) } }`;

type Answer = {
  data: any;
  errors?: { extensions: { code: string } }[];
  extensions: { upstreamCalls: { byOperation: Record<string, number> } };
};

async function ask(built: BuiltTestGateway, query: string, variables: Record<string, unknown>, token?: string): Promise<Answer> {
  const response = await built.gateway.fetch('http://gateway/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as Answer;
}

describe('machine metadata, several keys at once and one key at a time', () => {
  let built: BuiltTestGateway;
  let id: string;
  beforeAll(async () => {
    built = await buildTestGateway();
    built.emu.control.createApp('meta');
    id = built.emu.control.createMachine('meta', { state: 'started', config: CONFIG }).id;
  });
  afterAll(() => built.close());

  it('should set and remove keys in one PATCH and answer the machine as it now is', async () => {
    const answer = await ask(built, UPDATE, {
      app: 'meta',
      id,
      set: [
        { key: 'tier', value: 'silver' },
        { key: 'zone', value: 'a' },
      ],
      remove: ['old'],
    });
    expect(answer.data.updateMachineMetadata.__typename).toBe('UpdateMachineMetadataSuccess');
    const metadata = Object.fromEntries(
      answer.data.updateMachineMetadata.machine.metadata.map((e: { key: string; value: string }) => [e.key, e.value]),
    );
    expect(metadata).toEqual({ team: 'core', tier: 'silver', zone: 'a' });
    expect(answer.extensions.upstreamCalls.byOperation['machines.updateMetadata']).toBe(1);
    expect((built.emu.control.getMachine('meta', id) as unknown as { config: { metadata: unknown } }).config.metadata).toEqual({
      team: 'core',
      tier: 'silver',
      zone: 'a',
    });
  });

  it('should read one value with one call, cache it, and drop it when the metadata changes', async () => {
    const first = await ask(built, VALUE, { app: 'meta', id, key: 'team' });
    expect(first.data.machine.metadataValue).toBe('core');
    expect(first.extensions.upstreamCalls.byOperation['machines.metadata.get']).toBe(1);
    const again = await ask(built, VALUE, { app: 'meta', id, key: 'team' });
    expect(again.extensions.upstreamCalls.byOperation['machines.metadata.get'] ?? 0).toBe(0);
    await ask(built, UPDATE, { app: 'meta', id, set: [{ key: 'team', value: 'edge' }] });
    const after = await ask(built, VALUE, { app: 'meta', id, key: 'team' });
    expect(after.data.machine.metadataValue).toBe('edge');
    expect(after.extensions.upstreamCalls.byOperation['machines.metadata.get']).toBe(1);
  });

  it('should answer null for a key that is not set, and refuse a bad key before Fly is asked', async () => {
    expect((await ask(built, VALUE, { app: 'meta', id, key: 'nothing-here' })).data.machine.metadataValue).toBeNull();
    const before = built.emu.requestCounts()['machines.metadata.patch'] ?? 0;
    const bad = await ask(built, UPDATE, { app: 'meta', id, set: [{ key: 'bad key!', value: 'x' }] });
    expect(bad.data.updateMachineMetadata.__typename).toBe('InvalidInputError');
    expect(built.emu.requestCounts()['machines.metadata.patch'] ?? 0).toBe(before);
  });

  it('should refuse a stale machine version (VersionConflictError), and write under a lease as Fly does', async () => {
    const stale = await ask(built, UPDATE, { app: 'meta', id, set: [{ key: 'a', value: '1' }], version: '01STALEVERSION' });
    expect(stale.data.updateMachineMetadata.__typename).toBe('VersionConflictError');
    expect(
      (built.emu.control.getMachine('meta', id) as unknown as { config: { metadata: Record<string, string> } }).config.metadata.a,
    ).toBeUndefined();
    // Fly checks no lease on metadata writes (fly-go sends no nonce for them); a nonce given is passed on all the same.
    const nonce = built.emu.control.acquireLease('meta', id, 60);
    const leased = await ask(built, UPDATE, { app: 'meta', id, set: [{ key: 'a', value: '1' }], nonce });
    expect(leased.data.updateMachineMetadata.__typename).toBe('UpdateMachineMetadataSuccess');
  });
});

describe('who may read and change metadata', () => {
  it('should let a read key read a value but not change metadata (FORBIDDEN, nothing sent to Fly)', async () => {
    const reader = createKey('reader', new Set(['read']));
    const built = await buildTestGateway({ env: { AUTH_MODE: 'api-keys', API_KEYS: reader.entry } });
    try {
      built.emu.control.createApp('meta');
      const id = built.emu.control.createMachine('meta', { config: CONFIG }).id;
      expect((await ask(built, VALUE, { app: 'meta', id, key: 'team' }, reader.key)).data.machine.metadataValue).toBe('core');
      const refused = await ask(built, UPDATE, { app: 'meta', id, remove: ['team'] }, reader.key);
      expect(refused.data.updateMachineMetadata.__typename).toBe('ForbiddenError');
      expect(built.emu.requestCounts()['machines.metadata.patch'] ?? 0).toBe(0);
      expect((await ask(built, VALUE, { app: 'meta', id, key: 'team' })).errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    } finally {
      await built.close();
    }
  });

  it("should keep another tenant's machine out of reach in fly-token mode", async () => {
    const TOKEN_A = 'emu_tenant_meta_a_0123456789abcdef';
    const TOKEN_B = 'emu_tenant_meta_b_0123456789abcdef';
    const emu = createEmulator({ seed: 'none', delays: INSTANT, scopedTokens: { [TOKEN_A]: ['meta-a'], [TOKEN_B]: ['meta-b'] } });
    await emu.start({ port: 0, host: '127.0.0.1' });
    const built = await buildTestGateway({ emulator: emu, env: { AUTH_MODE: 'fly-token', CACHE_RESPONSE_MAX_BYTES: '0' } });
    try {
      emu.control.createApp('meta-a');
      const id = emu.control.createMachine('meta-a', { config: CONFIG }).id;
      expect((await ask(built, VALUE, { app: 'meta-a', id, key: 'team' }, TOKEN_A)).data.machine.metadataValue).toBe('core');
      const stranger = await ask(built, VALUE, { app: 'meta-a', id, key: 'team' }, TOKEN_B);
      expect(JSON.stringify(stranger.data ?? null)).not.toContain('core');
      const refused = await ask(built, UPDATE, { app: 'meta-a', id, remove: ['team'] }, TOKEN_B);
      expect(refused.data.updateMachineMetadata.__typename).toBe('ForbiddenError');
      expect(emu.requestCounts()['machines.metadata.patch'] ?? 0).toBe(0);
      expect((emu.control.getMachine('meta-a', id) as unknown as { config: { metadata: unknown } }).config.metadata).toMatchObject({
        team: 'core',
      });
    } finally {
      await built.close();
      await emu.stop();
    }
  });
});
