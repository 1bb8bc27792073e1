import { describe, expect, it } from 'vitest';
import { createKey, createKeyVerifier, keyDigest, parseKeyEntries, parseScopes } from '#src/api/auth/keys.js';

describe('API keys', () => {
  it('should accept a key made by createKey when its entry is configured, with the entry name and scopes', () => {
    const { key, entry } = createKey('ci', new Set(['write', 'read']));
    expect(entry).toBe(`ci:read+write:${keyDigest(key).toString('hex')}`);
    const found = createKeyVerifier(parseKeyEntries([entry]))(key);
    expect(found?.name).toBe('ci');
    expect([...found!.scopes].sort()).toEqual(['read', 'write']);
  });

  it('should carry the secrets scope through createKey, the entry and the config when a key is made with it', async () => {
    const { key, entry } = createKey('ci-secrets', new Set(['secrets', 'read']));
    expect(entry).toBe(`ci-secrets:read+secrets:${keyDigest(key).toString('hex')}`);
    expect([...createKeyVerifier(parseKeyEntries([entry]))(key)!.scopes].sort()).toEqual(['read', 'secrets']);
    expect([...parseScopes('secrets+admin')]).toEqual(['secrets', 'admin']);
    expect(() => parseScopes('read+secret')).toThrow(/expected read, write, secrets or admin/);
    const { loadConfig } = await import('#src/config/load-config.js');
    expect(loadConfig({ env: { AUTH_MODE: 'api-keys', API_KEYS: entry } }).auth.apiKeys).toEqual([entry]);
  });

  it('should refuse a key that differs from a configured one when one character changes', () => {
    const { key, entry } = createKey('ci', new Set(['read']));
    const verify = createKeyVerifier(parseKeyEntries([entry]));
    const last = key.at(-1) === 'A' ? 'B' : 'A';
    expect(verify(key.slice(0, -1) + last)).toBeUndefined();
    expect(verify('')).toBeUndefined();
    // The entry's hash itself is not a key.
    expect(verify(entry.split(':')[2])).toBeUndefined();
  });

  it('should accept both keys of one name when two entries rotate it', () => {
    const old = createKey('dash', new Set(['read']));
    const fresh = createKey('dash', new Set(['read']));
    expect(old.key).not.toBe(fresh.key);
    const verify = createKeyVerifier(parseKeyEntries([old.entry, fresh.entry]));
    expect(verify(old.key)?.name).toBe('dash');
    expect(verify(fresh.key)?.name).toBe('dash');
  });

  it('should keep each key to its own entry when several names are configured', () => {
    const reader = createKey('reader', new Set(['read']));
    const admin = createKey('ops', new Set(['admin']));
    const verify = createKeyVerifier(parseKeyEntries([reader.entry, admin.entry]));
    expect(verify(reader.key)?.scopes.has('write')).toBe(false);
    expect(verify(admin.key)?.name).toBe('ops');
  });

  it('should refuse unknown scopes, empty scope lists and odd names when creating or parsing', () => {
    expect(() => parseScopes('read+delete')).toThrow(/unknown scope "delete"/);
    expect(() => createKey('ci', new Set())).toThrow(/at least one scope/);
    expect(() => createKey('c:i', new Set(['read']))).toThrow(/letters, digits/);
    expect(() => parseKeyEntries(['ci:read:abc'])).toThrow(/name:scopes:sha256hex/);
  });
});
