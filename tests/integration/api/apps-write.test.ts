import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '#src/api/auth/keys.js';
import { createEmulator } from '#src/emulator/emulator.js';
import { startGatewayHarness, type GatewayHarness } from '../../helpers/gateway-harness.js';
import { buildTestGateway, INSTANT } from '../../helpers/test-gateway.js';

// createApp and deleteApp against the emulator: each success and typed error, exact upstream counts, the apps list
// cache dropped by each write, and who may call them in every auth mode.

const RESULT = `__typename ... on Error { code message } ... on InvalidInputError { issues { field } }`;
const CREATE = `mutation($input: CreateAppInput!) { createApp(input: $input) { ${RESULT} ... on CreateAppSuccess { appId createdAt app { name status appId network networkCidr internalNumericId machineCount volumeCount organizationSlug } } } }`;
const CREATE_BARE = `mutation($input: CreateAppInput!) { createApp(input: $input) { ${RESULT} ... on CreateAppSuccess { appId } } }`;
const DELETE = `mutation($input: DeleteAppInput!) { deleteApp(input: $input) { ${RESULT} ... on DeleteAppSuccess { name } ... on AppNotEmptyError { machineCount volumeCount } } }`;
const APPS = `{ apps { nodes { name } } }`;

type Answer = { data: any; errors?: unknown[]; extensions?: { upstreamCalls: { byOperation: Record<string, number> } } };

describe('app mutations', () => {
  let h: GatewayHarness;
  const ask = async (query: string, variables: Record<string, unknown> = {}): Promise<Answer> =>
    (await h.post({ query, variables })) as Answer;
  const calls = (answer: Answer) => answer.extensions!.upstreamCalls.byOperation;
  const names = async () => (await ask(APPS)).data.apps.nodes.map((a: { name: string }) => a.name) as string[];

  beforeAll(async () => {
    h = await startGatewayHarness({ seed: 'none', env: { CACHE_RESPONSE_MAX_BYTES: '0' } });
    h.emu.control.createApp('existing');
  });
  afterAll(async () => h?.close());

  it('should create an app in one call, answer its fields, and drop the cached apps list', async () => {
    expect(calls(await ask(APPS))).toEqual({ 'apps.list': 1 });
    expect(calls(await ask(APPS))).toEqual({});
    const answer = await ask(CREATE, { input: { name: 'fresh-app', org: 'personal', network: 'blue-net', enableSubdomains: true } });
    expect(answer.data.createApp).toMatchObject({
      __typename: 'CreateAppSuccess',
      appId: expect.any(String),
      createdAt: expect.any(String),
      app: {
        name: 'fresh-app',
        status: 'pending',
        network: 'blue-net',
        networkCidr: expect.stringMatching(/^fdaa:/),
        internalNumericId: expect.any(Number),
        machineCount: 0,
        volumeCount: 0,
        organizationSlug: 'personal',
      },
    });
    expect(answer.data.createApp.app.appId).toBe(answer.data.createApp.appId);
    expect(calls(answer)).toEqual({ 'apps.create': 1, 'apps.get': 1 });
    const listed = await ask(APPS);
    expect(calls(listed)).toEqual({ 'apps.list': 1 });
    expect(listed.data.apps.nodes.map((a: { name: string }) => a.name)).toContain('fresh-app');
  });

  it('should answer NameTakenError for a name in use, and InvalidInputError for a name Fly would refuse, before asking', async () => {
    const taken = await ask(CREATE_BARE, { input: { name: 'existing', org: 'personal' } });
    expect(taken.data.createApp).toMatchObject({ __typename: 'NameTakenError', code: 'NAME_TAKEN' });
    expect(calls(taken)).toEqual({ 'apps.create': 1 });
    for (const name of ['Bad_Name', 'ab', '-dash-first', 'dash-last-']) {
      const invalid = await ask(CREATE_BARE, { input: { name, org: 'personal' } });
      expect(invalid.data.createApp, name).toMatchObject({ __typename: 'InvalidInputError', issues: [{ field: 'input.name' }] });
      expect(calls(invalid)).toEqual({});
    }
    const org = await ask(CREATE_BARE, { input: { name: 'orphan-app', org: 'no-such-org' } });
    expect(org.data.createApp.__typename).toBe('NotFoundError');
    expect(org.data.createApp.message).toContain('Organization');
  });

  it('should delete an empty app after checking it is empty (two calls) and drop it from the cached list', async () => {
    h.emu.control.createApp('empty-app');
    expect(await names()).toContain('empty-app');
    const answer = await ask(DELETE, { input: { name: 'empty-app' } });
    expect(answer.data.deleteApp).toEqual({ __typename: 'DeleteAppSuccess', name: 'empty-app' });
    expect(calls(answer)).toEqual({ 'apps.get': 1, 'apps.delete': 1 });
    expect(h.emu.control.listApps()).not.toContain('empty-app');
    const listed = await ask(APPS);
    expect(calls(listed)).toEqual({ 'apps.list': 1 });
    expect(listed.data.apps.nodes.map((a: { name: string }) => a.name)).not.toContain('empty-app');
  });

  it('should refuse an app with machines or volumes (AppNotEmptyError, nothing deleted) unless force, which takes one call', async () => {
    h.emu.control.createApp('busy-app');
    const machine = h.emu.control.createMachine('busy-app', { state: 'started' });
    h.emu.control.createVolume('busy-app', { name: 'data', region: 'iad' });
    const refused = await ask(DELETE, { input: { name: 'busy-app' } });
    expect(refused.data.deleteApp).toMatchObject({
      __typename: 'AppNotEmptyError',
      code: 'APP_NOT_EMPTY',
      machineCount: 1,
      volumeCount: 1,
    });
    expect(calls(refused)).toEqual({ 'apps.get': 1 });
    expect(h.emu.control.listApps()).toContain('busy-app');
    const forced = await ask(DELETE, { input: { name: 'busy-app', force: true } });
    expect(forced.data.deleteApp).toEqual({ __typename: 'DeleteAppSuccess', name: 'busy-app' });
    expect(calls(forced)).toEqual({ 'apps.delete': 1 });
    expect(h.emu.control.listApps()).not.toContain('busy-app');
    expect(() => h.emu.control.getMachine('busy-app', machine.id)).toThrow();
  });

  it('should answer NotFoundError for an app that does not exist, with or without force', async () => {
    for (const force of [false, true]) {
      const missing = await ask(DELETE, { input: { name: 'never-was', force } });
      expect(missing.data.deleteApp.__typename).toBe('NotFoundError');
    }
    const invalid = await ask(DELETE, { input: { name: 'Not An App' } });
    expect(invalid.data.deleteApp).toMatchObject({ __typename: 'InvalidInputError', issues: [{ field: 'input.name' }] });
    expect(calls(invalid)).toEqual({});
  });
});

describe('who may create and delete apps', () => {
  const writes = (counts: Record<string, number>) => (counts['apps.create'] ?? 0) + (counts['apps.delete'] ?? 0);

  it('should refuse both to a read key (FORBIDDEN, nothing sent to Fly) and allow them to a write key', async () => {
    const reader = createKey('reader', new Set(['read']));
    const writer = createKey('writer', new Set(['read', 'write']));
    const built = await buildTestGateway({ env: { AUTH_MODE: 'api-keys', API_KEYS: `${reader.entry},${writer.entry}` } });
    try {
      built.emu.control.createApp('victim');
      const send = async (key: string, query: string, input: Record<string, unknown>) =>
        (await (
          await built.gateway.fetch('http://gateway/graphql', {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
            body: JSON.stringify({ query, variables: { input } }),
          })
        ).json()) as Answer;
      expect((await send(reader.key, CREATE_BARE, { name: 'made-by-reader', org: 'personal' })).data.createApp.__typename).toBe(
        'ForbiddenError',
      );
      expect((await send(reader.key, DELETE, { name: 'victim', force: true })).data.deleteApp.__typename).toBe('ForbiddenError');
      expect(writes(built.emu.requestCounts())).toBe(0);
      expect(built.emu.requestCounts()['apps.get'] ?? 0).toBe(0);
      expect((await send(writer.key, CREATE_BARE, { name: 'made-by-writer', org: 'personal' })).data.createApp.__typename).toBe(
        'CreateAppSuccess',
      );
      expect((await send(writer.key, DELETE, { name: 'victim' })).data.deleteApp.__typename).toBe('DeleteAppSuccess');
      expect(built.emu.control.listApps()).toEqual(['made-by-writer']);
    } finally {
      await built.close();
    }
  });

  it("should use the caller's own token in fly-token mode: a token that cannot see or write the app is refused, FORBIDDEN", async () => {
    const OWNER = 'emu_apps_owner_0123456789abcdef01';
    const STRANGER = 'emu_apps_stranger_0123456789abcde';
    const READER = 'emu_apps_reader_0123456789abcdef0';
    const emu = createEmulator({
      seed: 'none',
      delays: INSTANT,
      scopedTokens: { [OWNER]: ['owned-app', 'owned-new'], [STRANGER]: ['other-app'] },
      readOnlyTokens: { [READER]: ['owned-app'] },
    });
    await emu.start({ port: 0, host: '127.0.0.1' });
    const built = await buildTestGateway({ emulator: emu, env: { AUTH_MODE: 'fly-token', CACHE_RESPONSE_MAX_BYTES: '0' } });
    try {
      emu.control.createApp('owned-app');
      const send = async (token: string, query: string, input: Record<string, unknown>) =>
        (await (
          await built.gateway.fetch('http://gateway/graphql', {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ query, variables: { input } }),
          })
        ).json()) as Answer;
      for (const force of [false, true]) {
        const stranger = await send(STRANGER, DELETE, { name: 'owned-app', force });
        expect(stranger.data.deleteApp.__typename).toBe('ForbiddenError');
        const reader = await send(READER, DELETE, { name: 'owned-app', force: true });
        expect(reader.data.deleteApp.__typename).toBe('ForbiddenError');
      }
      expect(emu.control.listApps()).toEqual(['owned-app']);
      expect((await send(STRANGER, CREATE_BARE, { name: 'owned-new', org: 'personal' })).data.createApp.__typename).toBe('ForbiddenError');
      expect((await send(READER, CREATE_BARE, { name: 'owned-new', org: 'personal' })).data.createApp.__typename).toBe('ForbiddenError');
      expect(emu.control.listApps()).toEqual(['owned-app']);
      const created = await send(OWNER, CREATE_BARE, { name: 'owned-new', org: 'personal' });
      expect(created.data.createApp.__typename).toBe('CreateAppSuccess');
      expect(JSON.stringify(created)).not.toContain(OWNER);
      expect((await send(OWNER, DELETE, { name: 'owned-app' })).data.deleteApp.__typename).toBe('DeleteAppSuccess');
      expect(emu.control.listApps()).toEqual(['owned-new']);
    } finally {
      await built.close();
      await emu.stop();
    }
  });
});

describe('app mutations with no access control', () => {
  it('should let anyone create and delete with AUTH_MODE none', async () => {
    const built = await buildTestGateway({ env: { AUTH_MODE: 'none' } });
    try {
      const send = async (query: string, input: Record<string, unknown>) =>
        (await (
          await built.gateway.fetch('http://gateway/graphql', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query, variables: { input } }),
          })
        ).json()) as Answer;
      expect((await send(CREATE_BARE, { name: 'open-app', org: 'personal' })).data.createApp.__typename).toBe('CreateAppSuccess');
      expect((await send(DELETE, { name: 'open-app' })).data.deleteApp.__typename).toBe('DeleteAppSuccess');
      expect(built.emu.requestCounts()).toMatchObject({ 'apps.create': 1, 'apps.get': 1, 'apps.delete': 1 });
    } finally {
      await built.close();
    }
  });
});
