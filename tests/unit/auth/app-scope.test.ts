import { describe, expect, it } from 'vitest';
import { createKeyRing } from '#src/api/auth/key-ring.js';
import { createKey, parseKeyEntries, parseKeysFile } from '#src/api/auth/keys.js';
import { scopedTenant } from '#src/api/auth/caller.js';
import { appAllowed, appScopeOf, parseAppScope } from '#src/services/app-scope.js';

describe('app scopes', () => {
  it('should allow names exactly and prefixes by their start when a scope mixes both', () => {
    const scope = parseAppScope('web|team-a-*');
    expect(scope.text).toBe('team-a-*|web');
    expect(['web', 'team-a-api', 'team-a-'].map((app) => appAllowed(scope, app))).toEqual([true, true, true]);
    expect(['webx', 'team-b-api', 'team-a'].map((app) => appAllowed(scope, app))).toEqual([false, false, false]);
    expect(appAllowed(parseAppScope('*'), 'anything')).toBe(true);
  });

  it('should refuse an empty scope or a word that is no app name when parsing', () => {
    expect(() => parseAppScope('')).toThrow(/expected app names/);
    expect(() => parseAppScope('web|Bad_Name')).toThrow(/Bad_Name/);
    expect(() => parseAppScope('te*am')).toThrow(/prefix/);
  });

  it('should build the same scope from claims as from text, and none from empty lists', () => {
    expect(appScopeOf(['web'], ['team-a-'])?.text).toBe(parseAppScope('team-a-*|web').text);
    expect(appScopeOf([], [])).toBeUndefined();
  });

  it('should give each scope its own tenant and leave unscoped callers on the gateway tenant', () => {
    expect(scopedTenant('gw', undefined)).toBe('gw');
    const a = scopedTenant('gw', parseAppScope('a|b'));
    expect(a).toMatch(/^gw~[0-9a-f]{16}$/);
    expect(scopedTenant('gw', parseAppScope('b|a'))).toBe(a);
    expect(scopedTenant('gw', parseAppScope('a'))).not.toBe(a);
  });
});

describe('key entries and the key ring', () => {
  const reader = createKey('reader', new Set(['read']), 'web|api-*');
  const writer = createKey('writer', new Set(['write']));

  it('should carry the apps of an entry that names them, and none otherwise', () => {
    expect(reader.entry).toMatch(/:api-\*\|web$/);
    const [scoped, plain] = parseKeyEntries([reader.entry, writer.entry]);
    expect(scoped.apps?.text).toBe('api-*|web');
    expect(plain.apps).toBeUndefined();
  });

  it('should skip comments and blank lines and name the bad line by number when reading a keys file', () => {
    expect(parseKeysFile(`# keys\n\n${reader.entry}\n  ${writer.entry}  \n`)).toHaveLength(2);
    expect(() => parseKeysFile(`# keys\n${reader.entry}\nreader:read:zz\n`)).toThrow(/^line 3: /);
    expect(() => parseKeysFile(`${writer.entry}:`)).toThrow(/line 1/);
  });

  it('should keep the revocation signal of an unchanged entry and abort those of removed or changed ones on replace', () => {
    const changed = createKey('changed', new Set(['read']), 'web');
    const ring = createKeyRing([], parseKeyEntries([reader.entry, changed.entry]));
    const readerSignal = ring.verify(reader.key)!.revoked!;
    const changedSignal = ring.verify(changed.key)!.revoked!;
    const widened = changed.entry.replace(/:web$/, ':web|api');
    expect(ring.replace(parseKeyEntries([reader.entry, widened, writer.entry]))).toEqual({ kept: 1, added: 2, removed: 1 });
    expect(readerSignal.aborted).toBe(false);
    expect(changedSignal.aborted).toBe(true);
    expect(ring.verify(changed.key)!.entry.apps?.text).toBe('api|web');
    expect(ring.verify(changed.key)!.revoked!.aborted).toBe(false);
    ring.replace([]);
    expect(readerSignal.aborted).toBe(true);
    expect(ring.verify(reader.key)).toBeUndefined();
  });

  it('should never revoke the fixed entries, whatever the reloads say', () => {
    const ring = createKeyRing(parseKeyEntries([writer.entry]), parseKeyEntries([reader.entry]));
    expect(ring.verify(writer.key)?.revoked).toBeUndefined();
    ring.replace([]);
    expect(ring.verify(writer.key)?.entry.name).toBe('writer');
    expect(ring.size()).toBe(1);
  });
});
