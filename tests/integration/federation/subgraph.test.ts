import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '#src/api/auth/keys.js';
import { createEmulator, type Emulator } from '#src/emulator/emulator.js';
import { buildTestGateway, INSTANT, type BuiltTestGateway } from '../../helpers/test-gateway.js';

// The subgraph side of federation, asked directly as a router would: `_service { sdl }` and `_entities`, with exact
// upstream counts, in every auth mode. A representation the caller cannot read resolves to null.

const ENTITIES = `query($representations: [_Any!]!) {
  _entities(representations: $representations) {
    __typename
    ... on App { name status }
    ... on Machine { id machineId appName state }
    ... on Volume { volumeId appName volumeName: name }
  }
}`;

type Answer = { data?: any; errors?: { message: string; extensions?: { code?: string } }[]; extensions?: any };

async function ask(built: BuiltTestGateway, query: string, variables: Record<string, unknown> = {}, authorization?: string) {
  const response = await built.gateway.fetch('http://gateway/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as Answer;
}

describe('federation off', () => {
  let built: BuiltTestGateway;
  beforeAll(async () => {
    built = await buildTestGateway();
  });
  afterAll(async () => built?.close());

  it('should serve no federation fields by default', async () => {
    const result = await ask(built, '{ _service { sdl } }');
    expect(result.data).toBeUndefined();
    expect(result.errors?.[0]?.message).toContain('_service');
  });
});

describe('federation on, AUTH_MODE none', () => {
  let built: BuiltTestGateway;
  let machineId = '';
  let volumeId = '';
  beforeAll(async () => {
    built = await buildTestGateway({ env: { FEDERATION: 'true', CACHE_RESPONSE_MAX_BYTES: '0' } });
    built.emu.control.createApp('shop');
    machineId = built.emu.control.createMachine('shop', { state: 'started' }).id;
    volumeId = String(built.emu.control.createVolume('shop', { name: 'data', region: 'iad' }).id);
  });
  afterAll(async () => built?.close());

  it('should print the subgraph SDL with the keys of App, Machine and Volume and without backward paging', async () => {
    const sdl: string = (await ask(built, '{ _service { sdl } }')).data._service.sdl;
    expect(sdl).toContain('@link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])');
    expect(sdl).toMatch(/type App implements Node\s+@key\(fields: "name"\)/);
    expect(sdl).toMatch(/type Machine implements Node\s+@key\(fields: "appName machineId"\)\s+@key\(fields: "id"\)/);
    expect(sdl).toMatch(/type Volume implements Node\s+@key\(fields: "appName volumeId"\)/);
    expect(sdl).toContain('type Subscription');
    expect(sdl).not.toMatch(/\blast: Int/);
  });

  it('should resolve each entity through the loaders, one Fly call per entity, in order', async () => {
    // The relay global id, as `Machine.id` gives it (the machine is not read first, so the count below holds).
    const global = encodeGlobalID('Machine', `shop/${machineId}`);
    const result = await ask(built, ENTITIES, {
      representations: [
        { __typename: 'App', name: 'shop' },
        { __typename: 'Machine', appName: 'shop', machineId },
        { __typename: 'Machine', id: global },
        { __typename: 'Volume', appName: 'shop', volumeId },
        { __typename: 'App', name: 'missing-app' },
      ],
    });
    expect(result.errors).toBeUndefined();
    expect(result.data._entities).toEqual([
      { __typename: 'App', name: 'shop', status: expect.any(String) },
      { __typename: 'Machine', id: global, machineId, appName: 'shop', state: 'STARTED' },
      { __typename: 'Machine', id: global, machineId, appName: 'shop', state: 'STARTED' },
      { __typename: 'Volume', volumeId, appName: 'shop', volumeName: 'data' },
      null,
    ]);
    // Both machine keys share the machine loader: one call for the machine, one per app, one for the volume.
    expect(result.extensions.upstreamCalls.byOperation).toEqual({ 'apps.get': 2, 'machines.get': 1, 'volumes.get': 1 });
  });

  it('should answer null, and call nothing, for representations that cannot name anything', async () => {
    const result = await ask(built, ENTITIES, {
      representations: [
        { __typename: 'App', name: 'Not An App!' },
        { __typename: 'Machine', appName: 'shop', machineId: '../etc' },
        { __typename: 'Machine', id: 'not-a-global-id' },
        { __typename: 'Volume', appName: 'shop', volumeId: 'nope' },
      ],
    });
    expect(result.errors).toBeUndefined();
    expect(result.data._entities).toEqual([null, null, null, null]);
    expect(result.extensions.upstreamCalls.byOperation).toEqual({});
  });
});

describe('federation on, AUTH_MODE api-keys', () => {
  const reader = createKey('router', new Set(['read']));
  let built: BuiltTestGateway;
  beforeAll(async () => {
    built = await buildTestGateway({
      env: { FEDERATION: 'true', AUTH_MODE: 'api-keys', API_KEYS: reader.entry, CACHE_RESPONSE_MAX_BYTES: '0' },
    });
    built.emu.control.createApp('shop');
  });
  afterAll(async () => built?.close());

  it('should resolve entities for a read key and refuse a request without one', async () => {
    const representations = [{ __typename: 'App', name: 'shop' }];
    const keyed = await ask(built, ENTITIES, { representations }, `Bearer ${reader.key}`);
    expect(keyed.data._entities).toEqual([{ __typename: 'App', name: 'shop', status: expect.any(String) }]);
    const anonymous = await ask(built, ENTITIES, { representations });
    expect(anonymous.data?._entities).toBeUndefined();
    expect(anonymous.errors?.length).toBeGreaterThan(0);
    expect(JSON.stringify(anonymous)).not.toContain(reader.key);
  });
});

describe('federation on, AUTH_MODE fly-token', () => {
  const OWNER = 'emu_tenant_owner_0123456789abcdef';
  const STRANGER = 'emu_tenant_stranger_0123456789abc';
  let emu: Emulator;
  let built: BuiltTestGateway;
  let machineId = '';
  beforeAll(async () => {
    emu = createEmulator({ seed: 'none', delays: INSTANT, scopedTokens: { [OWNER]: ['shop'], [STRANGER]: ['elsewhere'] } });
    await emu.start({ port: 0, host: '127.0.0.1' });
    emu.control.createApp('shop');
    emu.control.createApp('elsewhere');
    machineId = emu.control.createMachine('shop', { state: 'started' }).id;
    built = await buildTestGateway({ emulator: emu, env: { FEDERATION: 'true', AUTH_MODE: 'fly-token', CACHE_RESPONSE_MAX_BYTES: '0' } });
  });
  afterAll(async () => {
    await built?.close();
    await emu?.stop();
  });

  it("should give a caller only the entities its own Fly token can read, and null for the others' apps", async () => {
    const representations = [
      { __typename: 'App', name: 'shop' },
      { __typename: 'Machine', appName: 'shop', machineId },
    ];
    const owner = await ask(built, ENTITIES, { representations }, `Bearer ${OWNER}`);
    expect(owner.errors).toBeUndefined();
    expect(owner.data._entities.map((e: { __typename: string } | null) => e?.__typename)).toEqual(['App', 'Machine']);
    const stranger = await ask(built, ENTITIES, { representations }, `Bearer ${STRANGER}`);
    expect(stranger.errors).toBeUndefined();
    expect(stranger.data._entities).toEqual([null, null]);
    expect(JSON.stringify(stranger)).not.toContain(machineId);
  });
});
