import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestGateway, type BuiltTestGateway } from '../../helpers/test-gateway.js';

// App.secrets, App.secret, App.secretKeys, App.secretKey and the secret mutations against the emulator, with exact
// upstream counts. Values and key material never come back; the emulator's crypto is real, so tampering shows.

const b64 = (text: string) => Buffer.from(text).toString('base64');

const READ = `query($app: String!) { app(name: $app) { secrets { name digest createdAt updatedAt } } }`;
const READ_ONE = `query($app: String!, $name: String!) { app(name: $app) { secret(name: $name) { name digest } } }`;
const KEYS = `query($app: String!, $types: [String!]) { app(name: $app) { secretKeys(types: $types) { name type publicKey } } }`;
const KEY = `query($app: String!, $name: String!) { app(name: $app) { secretKey(name: $name) { name type } } }`;
const ERR = `... on Error { code message } ... on InvalidInputError { issues { field message } }`;
const SET = `mutation($app: String!, $values: [SecretValueInput!]!) {
  setSecrets(input: { app: $app, values: $values }) { __typename ... on SetSecretsSuccess { version secrets { name digest } } ${ERR} }
}`;
const UNSET = `mutation($app: String!, $names: [String!]!) {
  unsetSecrets(input: { app: $app, names: $names }) { __typename ... on UnsetSecretsSuccess { version secrets { name } } ${ERR} }
}`;
const GENERATE = `mutation($app: String!, $name: String!, $type: String!) {
  generateSecretKey(input: { app: $app, name: $name, type: $type }) { __typename ... on GenerateSecretKeySuccess { version secretKey { name type publicKey } } ${ERR} }
}`;
const SET_KEY = `mutation($app: String!, $name: String!, $type: String!, $value: String!) {
  setSecretKey(input: { app: $app, name: $name, type: $type, value: $value }) { __typename ... on SetSecretKeySuccess { version secretKey { name type } } ${ERR} }
}`;
const DELETE_KEY = `mutation($app: String!, $name: String!) {
  deleteSecretKey(input: { app: $app, name: $name }) { __typename ... on DeleteSecretKeySuccess { version } ${ERR} }
}`;
const ENCRYPT = `mutation($app: String!, $name: String!, $plaintext: String!, $ad: String) {
  encryptWithSecretKey(input: { app: $app, name: $name, plaintext: $plaintext, associatedData: $ad }) { __typename ... on EncryptWithSecretKeySuccess { ciphertext } ${ERR} }
}`;
const DECRYPT = `mutation($app: String!, $name: String!, $ciphertext: String!, $ad: String) {
  decryptWithSecretKey(input: { app: $app, name: $name, ciphertext: $ciphertext, associatedData: $ad }) { __typename ... on DecryptWithSecretKeySuccess { plaintext } ${ERR} }
}`;
const SIGN = `mutation($app: String!, $name: String!, $message: String!) {
  signWithSecretKey(input: { app: $app, name: $name, message: $message }) { __typename ... on SignWithSecretKeySuccess { signature } ${ERR} }
}`;
const VERIFY = `mutation($app: String!, $name: String!, $message: String!, $signature: String!) {
  verifyWithSecretKey(input: { app: $app, name: $name, message: $message, signature: $signature }) { __typename ... on VerifyWithSecretKeySuccess { valid } ${ERR} }
}`;

/** Flips one bit of a base64 byte string. */
function tamper(base64: string, at = 0): string {
  const bytes = Buffer.from(base64, 'base64');
  bytes[at] ^= 1;
  return bytes.toString('base64');
}

describe('app secrets', () => {
  let built: BuiltTestGateway;
  const ask = async (query: string, variables: Record<string, unknown>) => {
    const response = await built.gateway.fetch('http://gateway/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    return {
      ...(JSON.parse(text) as { data: any; errors?: unknown[]; extensions: { upstreamCalls: { byOperation: Record<string, number> } } }),
      text,
    };
  };
  const calls = (r: { extensions: { upstreamCalls: { byOperation: Record<string, number> } } }) => r.extensions.upstreamCalls.byOperation;

  beforeAll(async () => {
    built = await buildTestGateway({ env: { CACHE_RESPONSE_MAX_BYTES: '0' } });
    built.emu.control.createApp('vault');
  });
  afterAll(async () => built?.close());

  it('should set secrets in one call, answer the new version and digests, and never a value', async () => {
    const empty = await ask(READ, { app: 'vault' });
    expect(empty.data.app.secrets).toEqual([]);
    expect(calls(empty)).toEqual({ 'apps.get': 1, 'secrets.list': 1 });

    const set = await ask(SET, {
      app: 'vault',
      values: [
        { name: 'DATABASE_URL', value: 'postgres://user:hunter2@db/vault' },
        { name: 'API_TOKEN', value: 'tok_9f8e7d6c5b4a' },
      ],
    });
    expect(set.data.setSecrets).toMatchObject({ __typename: 'SetSecretsSuccess', version: 1 });
    expect(set.data.setSecrets.secrets.map((s: { name: string }) => s.name).sort()).toEqual(['API_TOKEN', 'DATABASE_URL']);
    expect(set.data.setSecrets.secrets.every((s: { digest: string }) => /^[0-9a-f]{16}$/.test(s.digest))).toBe(true);
    expect(calls(set)).toEqual({ 'secrets.update': 1 });
    expect(set.text).not.toContain('hunter2');
    expect(set.text).not.toContain('tok_9f8e7d6c5b4a');

    // The write dropped the cached list: the next read asks Fly again, the one after is served from the cache.
    const after = await ask(READ, { app: 'vault' });
    expect(after.data.app.secrets).toHaveLength(2);
    expect(after.data.app.secrets[0]).toEqual({
      name: expect.any(String),
      digest: expect.any(String),
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(calls(after)['secrets.list']).toBe(1);
    const cached = await ask(READ, { app: 'vault' });
    expect(calls(cached)['secrets.list']).toBeUndefined();
  });

  it('should change the digest when the value changes, and read one secret by name (null when unknown)', async () => {
    const before = (await ask(READ_ONE, { app: 'vault', name: 'API_TOKEN' })).data.app.secret.digest;
    const set = await ask(SET, { app: 'vault', values: [{ name: 'API_TOKEN', value: 'tok_rotated' }] });
    expect(set.data.setSecrets.version).toBe(2);
    const one = await ask(READ_ONE, { app: 'vault', name: 'API_TOKEN' });
    expect(one.data.app.secret.digest).not.toBe(before);
    expect(calls(one)).toEqual({ 'apps.get': 1, 'secrets.get': 1 });
    const missing = await ask(READ_ONE, { app: 'vault', name: 'NOPE' });
    expect(missing.data.app.secret).toBeNull();
    expect(missing.errors).toBeUndefined();
  });

  it('should unset secrets as one new version', async () => {
    const unset = await ask(UNSET, { app: 'vault', names: ['API_TOKEN', 'NEVER_SET'] });
    expect(unset.data.unsetSecrets).toEqual({ __typename: 'UnsetSecretsSuccess', version: 3, secrets: [{ name: 'DATABASE_URL' }] });
    expect(calls(unset)).toEqual({ 'secrets.update': 1 });
    expect((await ask(READ, { app: 'vault' })).data.app.secrets.map((s: { name: string }) => s.name)).toEqual(['DATABASE_URL']);
  });

  it('should set and delete one secret by name, each as one call and one new version', async () => {
    const SET_ONE = `mutation($app: String!, $name: String!, $value: String!) {
      setSecret(input: { app: $app, name: $name, value: $value }) { __typename ... on SetSecretSuccess { version secret { name digest } } ${ERR} }
    }`;
    const DELETE_ONE = `mutation($app: String!, $name: String!) { deleteSecret(input: { app: $app, name: $name }) { __typename ... on DeleteSecretSuccess { version } ${ERR} } }`;
    const set = await ask(SET_ONE, { app: 'vault', name: 'SINGLE', value: 'single-value-42' });
    expect(set.data.setSecret).toEqual({
      __typename: 'SetSecretSuccess',
      version: 4,
      secret: { name: 'SINGLE', digest: expect.any(String) },
    });
    expect(calls(set)).toEqual({ 'secrets.set': 1 });
    expect(set.text).not.toContain('single-value-42');
    const deleted = await ask(DELETE_ONE, { app: 'vault', name: 'SINGLE' });
    expect(deleted.data.deleteSecret).toEqual({ __typename: 'DeleteSecretSuccess', version: 5 });
    expect(calls(deleted)).toEqual({ 'secrets.delete': 1 });
    const again = await ask(DELETE_ONE, { app: 'vault', name: 'SINGLE' });
    expect(again.data.deleteSecret.__typename).toBe('NotFoundError');
  });

  it('should refuse bad input with InvalidInputError, never quoting the value, and send nothing', async () => {
    const tooLong = 'x'.repeat(70_000);
    const bad = await ask(SET, {
      app: 'vault',
      values: [
        { name: '1BAD', value: 'sekrit-value-1' },
        { name: 'LONG', value: tooLong },
      ],
    });
    expect(bad.data.setSecrets.__typename).toBe('InvalidInputError');
    expect(bad.data.setSecrets.issues.map((i: { field: string }) => i.field).sort()).toEqual([
      'input.values.0.name',
      'input.values.1.value',
    ]);
    expect(bad.text).not.toContain('sekrit-value-1');
    expect(bad.text).not.toContain('xxxxxxxxxx');
    expect(calls(bad)).toEqual({});
    const twice = await ask(SET, {
      app: 'vault',
      values: [
        { name: 'A', value: '1' },
        { name: 'A', value: '2' },
      ],
    });
    expect(twice.data.setSecrets.__typename).toBe('InvalidInputError');
    expect((await ask(UNSET, { app: 'vault', names: [] })).data.unsetSecrets.__typename).toBe('InvalidInputError');
  });

  it('should answer NOT_FOUND for an app Fly does not know', async () => {
    const missing = await ask(SET, { app: 'no-such-app', values: [{ name: 'A', value: 'v' }] });
    expect(missing.data.setSecrets).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
    expect(calls(missing)).toEqual({ 'secrets.update': 1 });
  });
});

describe('app secret keys', () => {
  let built: BuiltTestGateway;
  const ask = async (query: string, variables: Record<string, unknown>) => {
    const response = await built.gateway.fetch('http://gateway/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as {
      data: any;
      errors?: unknown[];
      extensions: { upstreamCalls: { byOperation: Record<string, number> } };
    };
  };
  const calls = (r: { extensions: { upstreamCalls: { byOperation: Record<string, number> } } }) => r.extensions.upstreamCalls.byOperation;

  beforeAll(async () => {
    built = await buildTestGateway({ env: { CACHE_RESPONSE_MAX_BYTES: '0' } });
    built.emu.control.createApp('keys');
  });
  afterAll(async () => built?.close());

  it('should generate an AEAD key, encrypt and decrypt with it, and refuse a changed ciphertext or associated data', async () => {
    const made = await ask(GENERATE, { app: 'keys', name: 'box', type: 'aes256gcm' });
    expect(made.data.generateSecretKey).toEqual({
      __typename: 'GenerateSecretKeySuccess',
      version: 1,
      secretKey: { name: 'box', type: 'aes256gcm', publicKey: null },
    });
    expect(calls(made)).toEqual({ 'secretkeys.generate': 1 });

    const sealed = await ask(ENCRYPT, { app: 'keys', name: 'box', plaintext: b64('attack at dawn'), ad: b64('order-17') });
    const ciphertext = sealed.data.encryptWithSecretKey.ciphertext as string;
    expect(Buffer.from(ciphertext, 'base64').toString()).not.toContain('attack');
    expect(calls(sealed)).toEqual({ 'secretkeys.encrypt': 1 });

    const opened = await ask(DECRYPT, { app: 'keys', name: 'box', ciphertext, ad: b64('order-17') });
    expect(Buffer.from(opened.data.decryptWithSecretKey.plaintext, 'base64').toString()).toBe('attack at dawn');
    expect(calls(opened)).toEqual({ 'secretkeys.decrypt': 1 });

    const changed = await ask(DECRYPT, { app: 'keys', name: 'box', ciphertext: tamper(ciphertext, 14), ad: b64('order-17') });
    expect(changed.data.decryptWithSecretKey).toMatchObject({ __typename: 'InvalidInputError', code: 'BAD_USER_INPUT' });
    const otherAd = await ask(DECRYPT, { app: 'keys', name: 'box', ciphertext, ad: b64('order-18') });
    expect(otherAd.data.decryptWithSecretKey.__typename).toBe('InvalidInputError');
  });

  it('should sign and verify with Ed25519 (public key shown) and HMAC keys, and say false for a changed message or signature', async () => {
    const ed = await ask(GENERATE, { app: 'keys', name: 'signer', type: 'ed25519' });
    expect(Buffer.from(ed.data.generateSecretKey.secretKey.publicKey, 'base64')).toHaveLength(32);
    const hmacKey = Buffer.alloc(32, 7).toString('base64');
    const stored = await ask(SET_KEY, { app: 'keys', name: 'mac', type: 'hs256', value: hmacKey });
    expect(stored.data.setSecretKey).toEqual({ __typename: 'SetSecretKeySuccess', version: 3, secretKey: { name: 'mac', type: 'hs256' } });
    expect(calls(stored)).toEqual({ 'secretkeys.set': 1 });

    for (const name of ['signer', 'mac']) {
      const signed = await ask(SIGN, { app: 'keys', name, message: b64('pay 10 EUR') });
      const signature = signed.data.signWithSecretKey.signature as string;
      expect(calls(signed)).toEqual({ 'secretkeys.sign': 1 });
      const good = await ask(VERIFY, { app: 'keys', name, message: b64('pay 10 EUR'), signature });
      expect(good.data.verifyWithSecretKey).toEqual({ __typename: 'VerifyWithSecretKeySuccess', valid: true });
      expect(calls(good)).toEqual({ 'secretkeys.verify': 1 });
      const forged = await ask(VERIFY, { app: 'keys', name, message: b64('pay 99 EUR'), signature });
      expect(forged.data.verifyWithSecretKey).toEqual({ __typename: 'VerifyWithSecretKeySuccess', valid: false });
      const bent = await ask(VERIFY, { app: 'keys', name, message: b64('pay 10 EUR'), signature: tamper(signature) });
      expect(bent.data.verifyWithSecretKey.valid).toBe(false);
    }
    // The HMAC is the one anybody holding the key can compute: the emulator's answer is real HMAC-SHA256.
    const { createHmac } = await import('node:crypto');
    const signed = await ask(SIGN, { app: 'keys', name: 'mac', message: b64('hello') });
    expect(signed.data.signWithSecretKey.signature).toBe(createHmac('sha256', Buffer.alloc(32, 7)).update('hello').digest('base64'));
  });

  it('should list keys (filtered by type), read one, delete one, and answer null for a key that is gone', async () => {
    const all = await ask(KEYS, { app: 'keys' });
    expect(all.data.app.secretKeys.map((k: { name: string }) => k.name).sort()).toEqual(['box', 'mac', 'signer']);
    expect(calls(all)).toEqual({ 'apps.get': 1, 'secretkeys.list': 1 });
    const ed = await ask(KEYS, { app: 'keys', types: ['ed25519'] });
    expect(ed.data.app.secretKeys).toEqual([{ name: 'signer', type: 'ed25519', publicKey: expect.any(String) }]);
    expect((await ask(KEY, { app: 'keys', name: 'mac' })).data.app.secretKey).toEqual({ name: 'mac', type: 'hs256' });

    const deleted = await ask(DELETE_KEY, { app: 'keys', name: 'mac' });
    expect(deleted.data.deleteSecretKey).toEqual({ __typename: 'DeleteSecretKeySuccess', version: 4 });
    expect(calls(deleted)).toEqual({ 'secretkeys.delete': 1 });
    expect((await ask(KEY, { app: 'keys', name: 'mac' })).data.app.secretKey).toBeNull();
    const again = await ask(DELETE_KEY, { app: 'keys', name: 'mac' });
    expect(again.data.deleteSecretKey.__typename).toBe('NotFoundError');
  });

  it('should refuse a key of the wrong length or type, and bytes that are not base64, without asking Fly for the latter', async () => {
    const short = await ask(SET_KEY, { app: 'keys', name: 'weak', type: 'hs256', value: b64('short') });
    expect(short.data.setSecretKey.__typename).toBe('InvalidInputError');
    const wrongType = await ask(SIGN, { app: 'keys', name: 'box', message: b64('x') });
    expect(wrongType.data.signWithSecretKey.__typename).toBe('InvalidInputError');
    const notBase64 = await ask(ENCRYPT, { app: 'keys', name: 'box', plaintext: 'not base64!' });
    expect(notBase64.data.encryptWithSecretKey).toMatchObject({ __typename: 'InvalidInputError', issues: [{ field: 'input.plaintext' }] });
    expect(calls(notBase64)).toEqual({});
  });
});
