import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock, type ManualClock } from '#src/lib/clock.js';
import { buildTestGateway, type BuiltTestGateway } from '../../helpers/test-gateway.js';

// Managed Postgres through the gateway against the emulator: the queries, every mutation's success and typed errors,
// and exact upstream counts. The emulator runs on a manual clock, so a cluster's phases move only when a test says.

type Answer = {
  data: any;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
  extensions: { upstreamCalls: { byOperation: Record<string, number> } };
};

const CLUSTER = `query($id: String!) {
  postgresCluster(id: $id) {
    clusterId name status plan region organization pgMajorVersion postgisEnabled replicas cpuKind cpus memoryMb diskSizeGb
    attachedApps endpoints { direct { host port } pooler { port } }
    databases { name extensions { name system installed { schema version } } }
    users { username role }
    backups { backupId type status }
  }
}`;
const LIST = `query { postgresClusters(org: "personal") { clusterId name status plan attachedApps } }`;
/** Input types the mutations share (the others are named after their mutation). */
const INPUT_TYPES: Record<string, string> = {
  deletePostgresCluster: 'PostgresClusterInput',
  createPostgresDatabase: 'PostgresDatabaseInput',
  deletePostgresDatabase: 'PostgresDatabaseInput',
  createPostgresUser: 'PostgresUserRoleInput',
  setPostgresUserRole: 'PostgresUserRoleInput',
  deletePostgresUser: 'PostgresUserInput',
  revealPostgresCredentials: 'PostgresUserInput',
  attachPostgresApp: 'PostgresAttachmentInput',
  detachPostgresApp: 'PostgresAttachmentInput',
};
const ERR = '... on Error { __typename code message retryable } ... on InvalidInputError { issues { field } }';

describe('Managed Postgres', () => {
  let built: BuiltTestGateway;
  let clock: ManualClock;
  let seeded = '';
  const ask = async (query: string, variables: Record<string, unknown> = {}): Promise<Answer> => {
    const response = await built.gateway.fetch('http://gateway/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as Answer;
  };
  const mutate = async (field: string, input: Record<string, unknown>, selection = '__typename') =>
    ask(
      `mutation($input: ${INPUT_TYPES[field] ?? `${field.charAt(0).toUpperCase()}${field.slice(1)}Input`}!) { ${field}(input: $input) { __typename ${selection} ${ERR} } }`,
      {
        input,
      },
    );

  beforeAll(async () => {
    clock = createManualClock(Date.now());
    built = await buildTestGateway({ emulatorOptions: { clock, postgresDelayMs: 1000 }, env: { CACHE_RESPONSE_MAX_BYTES: '0' } });
    built.emu.control.createApp('pg-web');
    seeded = built.emu.postgres.createCluster({
      name: 'seeded',
      databases: ['app'],
      users: [{ username: 'app_user', role: 'writer' }],
      attach: ['pg-web'],
    });
  });
  afterAll(async () => built?.close());

  it('should list clusters with one call and read a cluster with one call per field, cached on the second read', async () => {
    const list = await ask(LIST);
    expect(list.errors).toBeUndefined();
    expect(list.data.postgresClusters).toContainEqual({
      clusterId: seeded,
      name: 'seeded',
      status: 'ready',
      plan: 'basic',
      attachedApps: ['pg-web'],
    });
    expect(list.extensions.upstreamCalls.byOperation).toEqual({ 'postgres.list': 1 });

    const first = await ask(CLUSTER, { id: seeded });
    expect(first.errors).toBeUndefined();
    expect(first.data.postgresCluster).toMatchObject({
      clusterId: seeded,
      status: 'ready',
      organization: 'personal',
      pgMajorVersion: '17',
      cpuKind: 'shared',
      endpoints: { direct: { port: 5432 }, pooler: { port: 6432 } },
      databases: [
        {
          name: 'app',
          extensions: expect.arrayContaining([{ name: 'plpgsql', system: true, installed: { schema: 'pg_catalog', version: '1.0' } }]),
        },
      ],
      users: [{ username: 'app_user', role: 'writer' }],
      backups: [],
    });
    expect(first.extensions.upstreamCalls.byOperation).toEqual({
      'postgres.get': 1,
      'postgres.databases.list': 1,
      'postgres.extensions.list': 1,
      'postgres.users.list': 1,
      'postgres.backups.list': 1,
    });
    const second = await ask(CLUSTER, { id: seeded });
    expect(second.data).toEqual(first.data);
    expect(second.extensions.upstreamCalls.byOperation).toEqual({});
  });

  it('should ask Fly for active and slow queries every time, and validate their arguments before any call', async () => {
    const QUERIES = `query($id: String!, $db: String!, $range: Int) { postgresCluster(id: $id) { activeQueries(database: $db) { pid database user state } slowQueries(rangeSeconds: $range) { database calls } } }`;
    for (let i = 0; i < 2; i++) {
      const answer = await ask(QUERIES, { id: seeded, db: 'app', range: 600 });
      expect(answer.data.postgresCluster.activeQueries[0]).toMatchObject({ database: 'app', user: 'app_user', state: 'active' });
      expect(answer.data.postgresCluster.slowQueries).toEqual([{ database: 'app', calls: 10 }]);
      expect(answer.extensions.upstreamCalls.byOperation).toMatchObject({ 'postgres.queries.active': 1, 'postgres.queries.slow': 1 });
    }
    const bad = await ask(QUERIES, { id: seeded, db: 'app', range: 0 });
    expect(bad.errors?.[0].message).toMatch(/rangeSeconds/);
    expect(bad.extensions.upstreamCalls.byOperation).toEqual({});
  });

  it('should answer null for an unknown cluster and refuse a malformed id before asking Fly', async () => {
    const unknown = await ask(CLUSTER, { id: 'nosuchcluster' });
    expect(unknown.data.postgresCluster).toBeNull();
    expect(unknown.extensions.upstreamCalls.byOperation).toEqual({ 'postgres.get': 1 });
    const malformed = await ask(CLUSTER, { id: '../apps' });
    expect(malformed.errors?.[0].message).toMatch(/cluster id/);
    expect(malformed.extensions.upstreamCalls.byOperation).toEqual({});
  });

  it('should create a cluster that turns ready on the clock, refusing databases until then (UpstreamUnavailableError)', async () => {
    const created = await mutate(
      'createPostgresCluster',
      { name: 'orders', plan: 'LAUNCH', region: 'fra', pgMajorVersion: 'PG16' },
      '... on CreatePostgresClusterSuccess { cluster { clusterId name status plan region cpuKind } }',
    );
    expect(created.data.createPostgresCluster).toMatchObject({
      __typename: 'CreatePostgresClusterSuccess',
      cluster: { name: 'orders', status: 'creating', plan: 'launch', region: 'fra', cpuKind: 'performance' },
    });
    expect(created.extensions.upstreamCalls.byOperation).toEqual({ 'postgres.create': 1 });
    const id = created.data.createPostgresCluster.cluster.clusterId as string;

    const early = await mutate('createPostgresDatabase', { clusterId: id, database: 'orders' });
    expect(early.data.createPostgresDatabase).toMatchObject({
      __typename: 'UpstreamUnavailableError',
      code: 'UPSTREAM_UNAVAILABLE',
      retryable: true,
    });
    expect(early.extensions.upstreamCalls.byOperation).toEqual({ 'postgres.databases.create': 1 });
    const forkEarly = await mutate('forkPostgresCluster', { clusterId: id });
    expect(forkEarly.data.forkPostgresCluster.__typename).toBe('VersionConflictError');

    await clock.advance(1000);
    expect(built.emu.postgres.status(id)).toBe('initializing');
    await clock.advance(1000);
    expect(built.emu.postgres.status(id)).toBe('ready');

    const db = await mutate(
      'createPostgresDatabase',
      { clusterId: id, database: 'orders' },
      '... on CreatePostgresDatabaseSuccess { database { name } cluster { status databases { name } } }',
    );
    expect(db.data.createPostgresDatabase).toEqual({
      __typename: 'CreatePostgresDatabaseSuccess',
      database: { name: 'orders' },
      cluster: { status: 'ready', databases: [{ name: 'orders' }] },
    });
    expect(db.extensions.upstreamCalls.byOperation).toEqual({
      'postgres.databases.create': 1,
      'postgres.get': 1,
      'postgres.databases.list': 1,
    });
    const reserved = await mutate('createPostgresDatabase', { clusterId: id, database: 'template1' });
    expect(reserved.data.createPostgresDatabase.__typename).toBe('InvalidInputError');
    const malformed = await mutate('createPostgresDatabase', { clusterId: id, database: '-x' });
    expect(malformed.data.createPostgresDatabase).toMatchObject({ __typename: 'InvalidInputError', issues: [{ field: 'input.database' }] });
    expect(malformed.extensions.upstreamCalls.byOperation).toEqual({});
  });

  it('should manage users: create (no password in the answer), change the role, rotate, reveal, delete', async () => {
    const created = await mutate(
      'createPostgresUser',
      { clusterId: seeded, username: 'reporting', role: 'READER' },
      '... on CreatePostgresUserSuccess { user { username role } }',
    );
    expect(created.data.createPostgresUser).toEqual({
      __typename: 'CreatePostgresUserSuccess',
      user: { username: 'reporting', role: 'reader' },
    });
    expect(created.extensions.upstreamCalls.byOperation).toEqual({ 'postgres.users.create': 1 });
    const again = await mutate('createPostgresUser', { clusterId: seeded, username: 'reporting', role: 'READER' });
    expect(again.data.createPostgresUser.__typename).toBe('VersionConflictError');
    const system = await mutate('createPostgresUser', { clusterId: seeded, username: 'postgres', role: 'WRITER' });
    expect(system.data.createPostgresUser.__typename).toBe('InvalidInputError');

    const role = await mutate(
      'setPostgresUserRole',
      { clusterId: seeded, username: 'reporting', role: 'SCHEMA_ADMIN' },
      '... on SetPostgresUserRoleSuccess { cluster { users { username role } } }',
    );
    expect(role.data.setPostgresUserRole.cluster.users).toContainEqual({ username: 'reporting', role: 'schema_admin' });
    expect(role.extensions.upstreamCalls.byOperation).toEqual({ 'postgres.users.update_role': 1, 'postgres.users.list': 1 });
    const ghost = await mutate('setPostgresUserRole', { clusterId: seeded, username: 'ghost', role: 'READER' });
    expect(ghost.data.setPostgresUserRole.__typename).toBe('NotFoundError');

    const rotated = await mutate(
      'rotatePostgresPassword',
      { clusterId: seeded, username: 'reporting', killSessions: true },
      '... on RotatePostgresPasswordSuccess { credentials { username password } }',
    );
    expect(rotated.data.rotatePostgresPassword.credentials).toEqual({
      username: 'reporting',
      password: built.emu.postgres.password(seeded, 'reporting'),
    });
    expect(rotated.extensions.upstreamCalls.byOperation).toEqual({ 'postgres.users.rotate_password': 1 });
    const shown = await mutate(
      'revealPostgresCredentials',
      { clusterId: seeded, username: 'reporting' },
      '... on RevealPostgresCredentialsSuccess { credentials { password } }',
    );
    expect(shown.data.revealPostgresCredentials.credentials.password).toBe(rotated.data.rotatePostgresPassword.credentials.password);
    // Never cached: a second reveal asks Fly again.
    const twice = await mutate('revealPostgresCredentials', { clusterId: seeded, username: 'reporting' });
    expect(twice.extensions.upstreamCalls.byOperation).toEqual({ 'postgres.users.credentials': 1 });

    const deleted = await mutate('deletePostgresUser', { clusterId: seeded, username: 'reporting' });
    expect(deleted.data.deletePostgresUser.__typename).toBe('DeletePostgresUserSuccess');
    expect(deleted.extensions.upstreamCalls.byOperation).toEqual({ 'postgres.users.delete': 1 });
    const gone = await mutate('deletePostgresUser', { clusterId: seeded, username: 'reporting' });
    expect(gone.data.deletePostgresUser.__typename).toBe('NotFoundError');
  });

  it('should enable and disable extensions, refusing unknown, duplicate and system ones with typed errors', async () => {
    const EXT = `query($id: String!) { postgresCluster(id: $id) { databases { name extensions { name installed { schema } } } } }`;
    const installed = async () =>
      ((await ask(EXT, { id: seeded })).data.postgresCluster.databases[0].extensions as Array<{ name: string; installed: unknown }>)
        .filter((e) => e.installed)
        .map((e) => e.name);
    expect(await installed()).toEqual(['plpgsql']);
    const enabled = await mutate('enablePostgresExtension', { clusterId: seeded, database: 'app', extension: 'citext', schema: 'public' });
    expect(enabled.data.enablePostgresExtension.__typename).toBe('EnablePostgresExtensionSuccess');
    expect(enabled.extensions.upstreamCalls.byOperation).toEqual({ 'postgres.extensions.enable': 1 });
    expect(await installed()).toEqual(['plpgsql', 'citext']);
    expect(
      (await mutate('enablePostgresExtension', { clusterId: seeded, database: 'app', extension: 'citext' })).data.enablePostgresExtension
        .__typename,
    ).toBe('VersionConflictError');
    expect(
      (await mutate('enablePostgresExtension', { clusterId: seeded, database: 'app', extension: 'left-pad' })).data.enablePostgresExtension
        .__typename,
    ).toBe('InvalidInputError');
    expect(
      (await mutate('enablePostgresExtension', { clusterId: seeded, database: 'app', extension: 'postgis' })).data.enablePostgresExtension
        .__typename,
    ).toBe('VersionConflictError');
    const system = await mutate('disablePostgresExtension', { clusterId: seeded, database: 'app', extension: 'plpgsql' });
    expect(system.data.disablePostgresExtension.__typename).toBe('InvalidInputError');
    const disabled = await mutate('disablePostgresExtension', { clusterId: seeded, database: 'app', extension: 'citext', force: true });
    expect(disabled.data.disablePostgresExtension.__typename).toBe('DisablePostgresExtensionSuccess');
    expect(await installed()).toEqual(['plpgsql']);
  });

  it('should attach and detach apps, refusing an unknown app and a missing attachment', async () => {
    built.emu.control.createApp('pg-api');
    const attached = await mutate(
      'attachPostgresApp',
      { clusterId: seeded, app: 'pg-api' },
      '... on AttachPostgresAppSuccess { cluster { attachedApps } }',
    );
    expect(attached.data.attachPostgresApp.cluster.attachedApps).toEqual(['pg-api', 'pg-web']);
    expect(attached.extensions.upstreamCalls.byOperation).toEqual({ 'postgres.attachments.create': 1, 'postgres.get': 1 });
    expect((await mutate('attachPostgresApp', { clusterId: seeded, app: 'pg-api' })).data.attachPostgresApp.__typename).toBe(
      'AttachPostgresAppSuccess',
    );
    expect((await mutate('attachPostgresApp', { clusterId: seeded, app: 'no-such-app' })).data.attachPostgresApp.__typename).toBe(
      'NotFoundError',
    );
    const detached = await mutate(
      'detachPostgresApp',
      { clusterId: seeded, app: 'pg-api' },
      '... on DetachPostgresAppSuccess { cluster { attachedApps } }',
    );
    expect(detached.data.detachPostgresApp.cluster.attachedApps).toEqual(['pg-web']);
    expect((await mutate('detachPostgresApp', { clusterId: seeded, app: 'pg-api' })).data.detachPostgresApp.__typename).toBe(
      'NotFoundError',
    );
  });

  it('should back up (one at a time), restore from the backup or a point in time, and fork', async () => {
    const backup = await mutate('createPostgresBackup', { clusterId: seeded, type: 'FULL' });
    expect(backup.data.createPostgresBackup.__typename).toBe('CreatePostgresBackupSuccess');
    expect(backup.extensions.upstreamCalls.byOperation).toEqual({ 'postgres.backups.create': 1 });
    expect((await mutate('createPostgresBackup', { clusterId: seeded })).data.createPostgresBackup.__typename).toBe('VersionConflictError');
    await clock.advance(1000);
    const listed = await ask(`query($id: String!) { postgresCluster(id: $id) { backups { backupId type status } } }`, { id: seeded });
    const [done] = listed.data.postgresCluster.backups;
    expect(done).toMatchObject({ type: 'full', status: 'completed' });

    const restored = await mutate(
      'restorePostgresCluster',
      { clusterId: seeded, backupId: done.backupId, name: 'seeded-restored' },
      '... on RestorePostgresClusterSuccess { cluster { clusterId name status } }',
    );
    expect(restored.data.restorePostgresCluster.cluster).toMatchObject({ name: 'seeded-restored', status: 'creating' });
    expect(restored.extensions.upstreamCalls.byOperation).toEqual({ 'postgres.restore': 1 });
    const both = await mutate('restorePostgresCluster', {
      clusterId: seeded,
      backupId: done.backupId,
      pitrTime: new Date(clock.now()).toISOString(),
    });
    expect(both.data.restorePostgresCluster.__typename).toBe('InvalidInputError');
    const missing = await mutate('restorePostgresCluster', { clusterId: seeded, backupId: 'nope' });
    expect(missing.data.restorePostgresCluster.__typename).toBe('NotFoundError');
    const pitr = await mutate(
      'restorePostgresCluster',
      { clusterId: seeded, pitrTime: new Date(clock.now() - 500).toISOString() },
      '... on RestorePostgresClusterSuccess { cluster { name } }',
    );
    expect(pitr.data.restorePostgresCluster.cluster.name).toMatch(/^seeded-\d{8}t\d{6}$/);

    const fork = await mutate(
      'forkPostgresCluster',
      { clusterId: seeded },
      '... on ForkPostgresClusterSuccess { cluster { clusterId name } }',
    );
    expect(fork.data.forkPostgresCluster.cluster.name).toBe('seeded-fork');
    await clock.advance(2000);
    const forked = await ask(`query($id: String!) { postgresCluster(id: $id) { status databases { name } users { username } } }`, {
      id: fork.data.forkPostgresCluster.cluster.clusterId,
    });
    expect(forked.data.postgresCluster).toEqual({ status: 'ready', databases: [{ name: 'app' }], users: [{ username: 'app_user' }] });
  });

  it('should delete a cluster: deleting at once, gone after the clock moves, a second delete NOT_FOUND', async () => {
    const id = built.emu.postgres.createCluster({ name: 'doomed' });
    const deleted = await mutate('deletePostgresCluster', { clusterId: id }, '... on DeletePostgresClusterSuccess { cluster { status } }');
    expect(deleted.data.deletePostgresCluster).toEqual({ __typename: 'DeletePostgresClusterSuccess', cluster: { status: 'deleting' } });
    expect(deleted.extensions.upstreamCalls.byOperation).toEqual({ 'postgres.delete': 1, 'postgres.get': 1 });
    expect((await mutate('deletePostgresCluster', { clusterId: id })).data.deletePostgresCluster.__typename).toBe('NotFoundError');
    await clock.advance(1000);
    expect((await ask(CLUSTER, { id })).data.postgresCluster).toBeNull();
    const withDeleted = await ask(`query { postgresClusters(includeDeleted: true) { clusterId status deletedAt } }`);
    expect(withDeleted.data.postgresClusters).toContainEqual({ clusterId: id, status: 'deleted', deletedAt: expect.any(String) });
  });
});
