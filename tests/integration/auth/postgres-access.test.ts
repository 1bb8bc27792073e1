import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '#src/api/auth/keys.js';
import { createEmulator, type Emulator } from '#src/emulator/emulator.js';
import { buildTestGateway, INSTANT, type BuiltTestGateway } from '../../helpers/test-gateway.js';
import { startTestGateway, subscribeWs, type TestGateway } from '../events/harness.js';

// Who may see or change a Managed Postgres cluster, in every auth mode. Reads need read, mutations write, credentials
// admin (API keys); with a Fly token, what Fly shows that token is what the caller gets, and nothing cached for one
// token is served to another.

const CLUSTER = `query($id: String!) { postgresCluster(id: $id) { clusterId name users { username } } }`;
const LIST = `{ postgresClusters { clusterId } }`;
const DATABASE = `mutation($id: String!) { createPostgresDatabase(input: { clusterId: $id, database: "extra" }) { __typename ... on Error { code } } }`;
const ROTATE = `mutation($id: String!) { rotatePostgresPassword(input: { clusterId: $id, username: "app_user" }) { __typename ... on RotatePostgresPasswordSuccess { credentials { password } } ... on Error { code } } }`;
const REVEAL = `mutation($id: String!) { revealPostgresCredentials(input: { clusterId: $id, username: "app_user" }) { __typename ... on RevealPostgresCredentialsSuccess { credentials { password } } ... on Error { code message } } }`;

type Answer = { status: number; data?: any; errors?: Array<{ extensions: { code: string } }> };

async function askAt(
  url: string | ((init: RequestInit) => Promise<Response>),
  authorization: string | undefined,
  query: string,
  variables = {},
): Promise<Answer> {
  const init: RequestInit = {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify({ query, variables }),
  };
  const response = typeof url === 'string' ? await fetch(url, init) : await url(init);
  return { status: response.status, ...((await response.json()) as object) };
}

describe('Managed Postgres with API keys', () => {
  const reader = createKey('pg-reader', new Set(['read']));
  const writer = createKey('pg-writer', new Set(['read', 'write']));
  const admin = createKey('pg-admin', new Set(['admin']));
  let built: BuiltTestGateway;
  let id = '';
  const ask = (key: { key: string } | undefined, query: string) =>
    askAt((init) => built.gateway.fetch('http://gateway/graphql', init), key ? `Bearer ${key.key}` : undefined, query, { id });
  const calls = () => Object.entries(built.emu.requestCounts()).filter(([route]) => route.startsWith('postgres.'));

  beforeAll(async () => {
    built = await buildTestGateway({
      env: { AUTH_MODE: 'api-keys', API_KEYS: [reader.entry, writer.entry, admin.entry].join(','), CACHE_RESPONSE_MAX_BYTES: '0' },
    });
    id = built.emu.postgres.createCluster({ name: 'keyed', databases: ['app'], users: [{ username: 'app_user', role: 'writer' }] });
  });
  afterAll(async () => built?.close());

  it('should refuse a request without a key (401) and let a read key read', async () => {
    expect((await ask(undefined, LIST)).status).toBe(401);
    const read = await ask(reader, CLUSTER);
    expect(read.data.postgresCluster).toEqual({ clusterId: id, name: 'keyed', users: [{ username: 'app_user' }] });
  });

  it('should answer a read key ForbiddenError for every kind of mutation, with nothing sent to Fly', async () => {
    built.emu.resetRequestCounts();
    for (const mutation of [DATABASE, ROTATE, REVEAL]) {
      const answer = await ask(reader, mutation);
      expect(Object.values(answer.data)[0]).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
    }
    expect(calls()).toEqual([]);
  });

  it('should let a write key change the cluster and rotate a password, but not reveal credentials (admin only)', async () => {
    built.emu.resetRequestCounts();
    expect((await ask(writer, DATABASE)).data.createPostgresDatabase.__typename).toBe('CreatePostgresDatabaseSuccess');
    expect((await ask(writer, ROTATE)).data.rotatePostgresPassword.__typename).toBe('RotatePostgresPasswordSuccess');
    const reveal = await ask(writer, REVEAL);
    expect(reveal.data.revealPostgresCredentials).toMatchObject({ __typename: 'ForbiddenError', message: expect.stringMatching(/admin/) });
    expect(calls()).toEqual([
      ['postgres.databases.create', 1],
      ['postgres.users.rotate_password', 1],
    ]);
    const shown = await ask(admin, REVEAL);
    expect(shown.data.revealPostgresCredentials.credentials.password).toBe(built.emu.postgres.password(id, 'app_user'));
  });
});

describe('Managed Postgres with AUTH_MODE none', () => {
  it('should let anyone read, write and reveal (every scope), as the rest of the API', async () => {
    const built = await buildTestGateway({ env: { AUTH_MODE: 'none' } });
    try {
      const id = built.emu.postgres.createCluster({ name: 'open', users: [{ username: 'app_user', role: 'writer' }] });
      const ask = (query: string) => askAt((init) => built.gateway.fetch('http://gateway/graphql', init), undefined, query, { id });
      expect((await ask(CLUSTER)).data.postgresCluster.name).toBe('open');
      expect((await ask(REVEAL)).data.revealPostgresCredentials.credentials.password).toBe(built.emu.postgres.password(id, 'app_user'));
    } finally {
      await built.close();
    }
  });
});

describe('Managed Postgres with Fly tokens', () => {
  const TOKEN_A = 'emu_pg_tenant_a_0123456789abcdef';
  const TOKEN_B = 'emu_pg_tenant_b_0123456789abcdef';
  let emu: Emulator;
  let gw: TestGateway;
  let clusterA = '';
  let clusterB = '';
  const ask = (token: string, query: string, id: string) => askAt(gw.graphqlUrl, `Bearer ${token}`, query, { id });
  const gets = () => emu.requestCounts()['postgres.get'] ?? 0;

  beforeAll(async () => {
    emu = createEmulator({ seed: 'none', delays: INSTANT, scopedTokens: { [TOKEN_A]: ['app-a'], [TOKEN_B]: ['app-b'] } });
    await emu.start({ port: 0, host: '127.0.0.1' });
    emu.control.createApp('app-a');
    emu.control.createApp('app-b');
    clusterA = emu.postgres.createCluster({ name: 'pg-a', users: [{ username: 'app_user', role: 'writer' }], attach: ['app-a'] });
    clusterB = emu.postgres.createCluster({ name: 'pg-b', users: [{ username: 'app_user', role: 'writer' }], attach: ['app-b'] });
    gw = await startTestGateway({ emulator: emu, env: { AUTH_MODE: 'fly-token', CACHE_RESPONSE_MAX_BYTES: '0' } });
  });
  afterAll(async () => {
    await gw?.close();
    await emu?.stop();
  });

  it("should show each token only the clusters Fly shows it, and never serve one token's cached cluster to another", async () => {
    expect((await askAt(gw.graphqlUrl, `Bearer ${TOKEN_A}`, LIST)).data.postgresClusters).toEqual([{ clusterId: clusterA }]);
    expect((await askAt(gw.graphqlUrl, `Bearer ${TOKEN_B}`, LIST)).data.postgresClusters).toEqual([{ clusterId: clusterB }]);
    const before = gets();
    expect((await ask(TOKEN_A, CLUSTER, clusterA)).data.postgresCluster.name).toBe('pg-a');
    expect((await ask(TOKEN_A, CLUSTER, clusterA)).data.postgresCluster.name).toBe('pg-a');
    expect(gets()).toBe(before + 1);
    // B asks Fly with its own token (a call of its own, not A's cached answer) and Fly does not show it the cluster.
    expect((await ask(TOKEN_B, CLUSTER, clusterA)).data.postgresCluster).toBeNull();
    expect(gets()).toBe(before + 2);
  });

  it("should refuse another tenant's cluster to mutations (NOT_FOUND) and subscriptions (FORBIDDEN)", async () => {
    expect((await ask(TOKEN_B, DATABASE, clusterA)).data.createPostgresDatabase).toMatchObject({ __typename: 'NotFoundError' });
    expect((await ask(TOKEN_B, REVEAL, clusterA)).data.revealPostgresCredentials).toMatchObject({ __typename: 'NotFoundError' });
    const s = subscribeWs(
      gw.wsUrl,
      `subscription($id: String!) { postgresClusterChanged(clusterId: $id) { state } }`,
      { id: clusterA },
      { connectionParams: { authorization: `Bearer ${TOKEN_B}` } },
    );
    try {
      expect(JSON.stringify(await s.failed)).toContain('FORBIDDEN');
    } finally {
      await s.close();
    }
  });

  it("should let a token reveal its own cluster's credentials (Fly decides, not an API-key scope)", async () => {
    const shown = await ask(TOKEN_A, REVEAL, clusterA);
    expect(shown.data.revealPostgresCredentials.credentials.password).toBe(emu.postgres.password(clusterA, 'app_user'));
  });
});
