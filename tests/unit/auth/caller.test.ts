import { describe, expect, it } from 'vitest';
import { allows, createCallerResolver, flyTokenFingerprint, type Caller } from '#src/api/auth/caller.js';
import { createKey } from '#src/api/auth/keys.js';

const gatewayTenant = 'gw-tenant';

describe('caller resolution', () => {
  it('should make everyone anonymous with every scope on the gateway token when AUTH_MODE is none', () => {
    const resolve = createCallerResolver({ mode: 'none', apiKeys: [], gatewayTenant });
    const caller = resolve(undefined) as Caller;
    expect(caller).toMatchObject({ name: 'anonymous', tenant: gatewayTenant });
    expect(allows(caller, 'write')).toBe(true);
    expect(caller.flyAuthorization).toBeUndefined();
  });

  it('should resolve a Bearer key to its entry and refuse missing, malformed and unknown ones when AUTH_MODE is api-keys', () => {
    const { key, entry } = createKey('reader', new Set(['read']));
    const resolve = createCallerResolver({ mode: 'api-keys', apiKeys: [entry], gatewayTenant });
    const caller = resolve(`Bearer ${key}`) as Caller;
    expect(caller).toMatchObject({ name: 'reader', tenant: gatewayTenant });
    expect(allows(caller, 'read')).toBe(true);
    expect(allows(caller, 'write')).toBe(false);
    expect(resolve(`bearer  ${key} `)).toMatchObject({ name: 'reader' });
    expect(resolve(undefined)).toBe('missing');
    expect(resolve('  ')).toBe('missing');
    expect(resolve(key)).toBe('malformed');
    expect(resolve('Bearer fgk_nope')).toBe('unknown');
  });

  it('should let admin do everything when a key has only the admin scope', () => {
    const { key, entry } = createKey('ops', new Set(['admin']));
    const caller = createCallerResolver({ mode: 'api-keys', apiKeys: [entry], gatewayTenant })(`Bearer ${key}`) as Caller;
    expect(allows(caller, 'read') && allows(caller, 'write')).toBe(true);
  });

  it("should partition by the token's fingerprint and keep the token for Fly when AUTH_MODE is fly-token", () => {
    const resolve = createCallerResolver({ mode: 'fly-token', apiKeys: [], gatewayTenant });
    const a = resolve('Bearer tok_a') as Caller;
    const b = resolve('FlyV1 fm2_b1,fm2_b2') as Caller;
    expect(a).toMatchObject({ tenant: flyTokenFingerprint('tok_a'), flyAuthorization: 'tok_a' });
    expect(b).toMatchObject({ tenant: flyTokenFingerprint('fm2_b1,fm2_b2'), flyAuthorization: 'fm2_b1,fm2_b2' });
    expect(a.tenant).not.toBe(b.tenant);
    expect(a.tenant).not.toBe(gatewayTenant);
    expect(a.name).not.toContain('tok_a');
    expect(resolve(undefined)).toBe('missing');
    expect(resolve('Basic dXNlcjpwdw==')).toBe('malformed');
    expect(resolve('Bearer a\r\nx: y')).toBe('malformed');
  });
});
