import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '#src/api/auth/keys.js';
import { createEmulator, type Emulator } from '#src/emulator/emulator.js';
import { buildTestGateway, INSTANT, type BuiltTestGateway } from '../../helpers/test-gateway.js';

// Who may read and change secrets and secret keys, in every auth mode. Reading names and digests needs `read`;
// every secrets mutation needs the `secrets` scope (`write` alone does not reach them; `admin` does). In fly-token
// mode the caller's own token must be able to change the app: Fly is the judge.

const b64 = (text: string) => Buffer.from(text).toString('base64');
const READS = `query($app: String!) { app(name: $app) { secrets { name } secret(name: "A") { name } secretKeys { name } secretKey(name: "box") { name } } }`;

/** Every secrets mutation, in an order that succeeds on a fresh app when the caller may run them. */
const MUTATIONS: { field: string; query: string; variables: (app: string) => Record<string, unknown> }[] = [
  {
    field: 'setSecrets',
    query: 'mutation($app: String!) { setSecrets(input: { app: $app, values: [{ name: "A", value: "a-value" }] }) { __typename } }',
    variables: (app) => ({ app }),
  },
  {
    field: 'setSecret',
    query: 'mutation($app: String!) { setSecret(input: { app: $app, name: "B", value: "b-value" }) { __typename } }',
    variables: (app) => ({ app }),
  },
  {
    field: 'deleteSecret',
    query: 'mutation($app: String!) { deleteSecret(input: { app: $app, name: "B" }) { __typename } }',
    variables: (app) => ({ app }),
  },
  {
    field: 'unsetSecrets',
    query: 'mutation($app: String!) { unsetSecrets(input: { app: $app, names: ["A"] }) { __typename } }',
    variables: (app) => ({ app }),
  },
  {
    field: 'generateSecretKey',
    query: 'mutation($app: String!) { generateSecretKey(input: { app: $app, name: "box", type: "aes256gcm" }) { __typename } }',
    variables: (app) => ({ app }),
  },
  {
    field: 'setSecretKey',
    query:
      'mutation($app: String!, $v: String!) { setSecretKey(input: { app: $app, name: "mac", type: "hs256", value: $v }) { __typename } }',
    variables: (app) => ({ app, v: Buffer.alloc(32, 3).toString('base64') }),
  },
  {
    field: 'encryptWithSecretKey',
    query: 'mutation($app: String!, $p: String!) { encryptWithSecretKey(input: { app: $app, name: "box", plaintext: $p }) { __typename } }',
    variables: (app) => ({ app, p: b64('hello') }),
  },
  {
    field: 'decryptWithSecretKey',
    query:
      'mutation($app: String!, $c: String!) { decryptWithSecretKey(input: { app: $app, name: "box", ciphertext: $c }) { __typename } }',
    // Not a ciphertext of this key: a caller who may decrypt gets Fly's refusal (BAD_USER_INPUT), never FORBIDDEN.
    variables: (app) => ({ app, c: Buffer.alloc(40, 9).toString('base64') }),
  },
  {
    field: 'signWithSecretKey',
    query: 'mutation($app: String!, $m: String!) { signWithSecretKey(input: { app: $app, name: "mac", message: $m }) { __typename } }',
    variables: (app) => ({ app, m: b64('m') }),
  },
  {
    field: 'verifyWithSecretKey',
    query:
      'mutation($app: String!, $m: String!, $s: String!) { verifyWithSecretKey(input: { app: $app, name: "mac", message: $m, signature: $s }) { __typename } }',
    variables: (app) => ({ app, m: b64('m'), s: Buffer.alloc(32).toString('base64') }),
  },
  {
    field: 'deleteSecretKey',
    query: 'mutation($app: String!) { deleteSecretKey(input: { app: $app, name: "mac" }) { __typename } }',
    variables: (app) => ({ app }),
  },
];

/** What a caller that may run every mutation gets from each, in order. */
const ALLOWED: Record<string, string> = {
  setSecrets: 'SetSecretsSuccess',
  setSecret: 'SetSecretSuccess',
  deleteSecret: 'DeleteSecretSuccess',
  unsetSecrets: 'UnsetSecretsSuccess',
  generateSecretKey: 'GenerateSecretKeySuccess',
  setSecretKey: 'SetSecretKeySuccess',
  encryptWithSecretKey: 'EncryptWithSecretKeySuccess',
  decryptWithSecretKey: 'InvalidInputError',
  signWithSecretKey: 'SignWithSecretKeySuccess',
  verifyWithSecretKey: 'VerifyWithSecretKeySuccess',
  deleteSecretKey: 'DeleteSecretKeySuccess',
};

/** Upstream calls to any secrets route, from the emulator's own counts. */
function secretCalls(emu: Emulator): number {
  return Object.entries(emu.requestCounts())
    .filter(([route]) => route.startsWith('secrets.') || route.startsWith('secretkeys.'))
    .reduce((sum, [, n]) => sum + n, 0);
}

async function ask(built: BuiltTestGateway, authorization: string | undefined, query: string, variables: Record<string, unknown>) {
  const response = await built.gateway.fetch('http://gateway/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, ...((await response.json()) as { data: any; errors?: { extensions: { code: string } }[] }) };
}

/** Runs every mutation in order; returns each field's result type. */
async function runAll(built: BuiltTestGateway, authorization: string | undefined, app: string): Promise<Record<string, string>> {
  const seen: Record<string, string> = {};
  for (const m of MUTATIONS) seen[m.field] = (await ask(built, authorization, m.query, m.variables(app))).data[m.field].__typename;
  return seen;
}

const everyField = (typename: string) => Object.fromEntries(MUTATIONS.map((m) => [m.field, typename]));

describe('secrets access with AUTH_MODE none', () => {
  it('should let anyone read and run every secrets mutation', async () => {
    const built = await buildTestGateway();
    try {
      built.emu.control.createApp('open');
      expect(await runAll(built, undefined, 'open')).toEqual(ALLOWED);
      expect((await ask(built, undefined, READS, { app: 'open' })).data.app.secretKeys).toEqual([{ name: 'box' }]);
    } finally {
      await built.close();
    }
  });
});

describe('secrets access with AUTH_MODE api-keys', () => {
  const reader = createKey('reader', new Set(['read']));
  const writer = createKey('writer', new Set(['read', 'write']));
  const keeper = createKey('keeper', new Set(['read', 'secrets']));
  const secretsOnly = createKey('setter', new Set(['secrets']));
  const admin = createKey('admin', new Set(['admin']));
  let built: BuiltTestGateway;

  beforeAll(async () => {
    const entries = [reader, writer, keeper, secretsOnly, admin].map((k) => k.entry).join(',');
    built = await buildTestGateway({ env: { AUTH_MODE: 'api-keys', API_KEYS: entries, CACHE_RESPONSE_MAX_BYTES: '0' } });
    for (const app of ['keys-a', 'keys-b', 'keys-c']) built.emu.control.createApp(app);
  });
  afterAll(async () => built?.close());

  it('should let a read key read names and digests but run no secrets mutation (FORBIDDEN, nothing sent)', async () => {
    const read = await ask(built, `Bearer ${reader.key}`, READS, { app: 'keys-a' });
    expect(read.errors).toBeUndefined();
    expect(read.data.app).toEqual({ secrets: [], secret: null, secretKeys: [], secretKey: null });
    const before = secretCalls(built.emu);
    expect(await runAll(built, `Bearer ${reader.key}`, 'keys-a')).toEqual(everyField('ForbiddenError'));
    expect(secretCalls(built.emu)).toBe(before);
  });

  it('should refuse every secrets mutation to a write key: setting secrets needs the secrets scope', async () => {
    const before = secretCalls(built.emu);
    expect(await runAll(built, `Bearer ${writer.key}`, 'keys-a')).toEqual(everyField('ForbiddenError'));
    expect(secretCalls(built.emu)).toBe(before);
    const refused = await ask(
      built,
      `Bearer ${writer.key}`,
      MUTATIONS[0].query.replace('__typename', '__typename ... on Error { message }'),
      {
        app: 'keys-a',
      },
    );
    expect(refused.data.setSecrets.message).toMatch(/secrets scope/);
    expect(built.emu.control.secretsVersion('keys-a')).toBe(0);
  });

  it('should let a secrets key run every secrets mutation, and admin too', async () => {
    expect(await runAll(built, `Bearer ${keeper.key}`, 'keys-a')).toEqual(ALLOWED);
    expect(await runAll(built, `Bearer ${admin.key}`, 'keys-b')).toEqual(ALLOWED);
  });

  it('should let a key with only the secrets scope set secrets but not read them (HTTP 403)', async () => {
    expect(await runAll(built, `Bearer ${secretsOnly.key}`, 'keys-c')).toEqual(ALLOWED);
    const read = await ask(built, `Bearer ${secretsOnly.key}`, READS, { app: 'keys-c' });
    expect(read.status).toBe(403);
    expect(read.errors?.[0].extensions.code).toBe('FORBIDDEN');
  });
});

describe('secrets access with AUTH_MODE fly-token', () => {
  const OWNER = 'emu_tenant_secrets_owner_0123456789';
  const STRANGER = 'emu_tenant_secrets_other_0123456789';
  const READER = 'emu_tenant_secrets_reader_012345678';
  let emu: Emulator;
  let built: BuiltTestGateway;

  beforeAll(async () => {
    emu = createEmulator({
      seed: 'none',
      delays: INSTANT,
      scopedTokens: { [OWNER]: ['vault-a'], [STRANGER]: ['vault-b'] },
      readOnlyTokens: { [READER]: ['vault-a'] },
    });
    await emu.start({ port: 0, host: '127.0.0.1' });
    built = await buildTestGateway({ emulator: emu, env: { AUTH_MODE: 'fly-token', CACHE_RESPONSE_MAX_BYTES: '0' } });
    emu.control.createApp('vault-a');
    emu.control.createApp('vault-b');
  });
  afterAll(async () => {
    await built?.close();
    await emu?.stop();
  });

  it("should let the app's own token read and run every secrets mutation", async () => {
    expect(await runAll(built, `Bearer ${OWNER}`, 'vault-a')).toEqual(ALLOWED);
    expect((await ask(built, `Bearer ${OWNER}`, READS, { app: 'vault-a' })).data.app.secretKeys).toEqual([{ name: 'box' }]);
  });

  it("should keep another tenant's secrets out of reach: NOT_FOUND on reads, FORBIDDEN on every mutation, nothing sent", async () => {
    const before = secretCalls(emu);
    // Fly answers the stranger's apps.get with not found: the app is null and its secrets are never asked for.
    const read = await ask(built, `Bearer ${STRANGER}`, READS, { app: 'vault-a' });
    expect(read.data.app).toBeNull();
    const version = emu.control.secretsVersion('vault-a');
    expect(await runAll(built, `Bearer ${STRANGER}`, 'vault-a')).toEqual(everyField('ForbiddenError'));
    expect(secretCalls(emu)).toBe(before);
    expect(emu.control.secretsVersion('vault-a')).toBe(version);
  });

  it('should let a read-only token read secrets, while Fly refuses its changes (FORBIDDEN) and nothing changes', async () => {
    const read = await ask(built, `Bearer ${READER}`, READS, { app: 'vault-a' });
    expect(read.errors).toBeUndefined();
    expect(read.data.app.secretKeys).toEqual([{ name: 'box' }]);
    const version = emu.control.secretsVersion('vault-a');
    expect(await runAll(built, `Bearer ${READER}`, 'vault-a')).toEqual(everyField('ForbiddenError'));
    expect(emu.control.secretsVersion('vault-a')).toBe(version);
  });
});
