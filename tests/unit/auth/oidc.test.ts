import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '#src/api/auth/caller.js';
import { appsOf, createOidcVerifier, scopesOf, type OidcSettings } from '#src/api/auth/oidc.js';
import { createManualClock } from '#src/lib/clock.js';

describe('OIDC verifier', () => {
  let server: Server;
  let issuer: string;
  let privateKey: CryptoKey;
  let up = true;

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256', { extractable: true });
    privateKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256' };
    server = createServer((req, res) => {
      if (!up) {
        res.statusCode = 503;
        res.end();
        return;
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server?.close(resolve)));

  const settings = (): OidcSettings => ({
    issuer,
    audience: 'flygate',
    jwksUrl: `${issuer}/jwks`,
    clockSkewSeconds: 5,
    algorithms: ['ES256', 'HS256'],
    scopesClaim: 'scope',
    scopePrefix: 'flygate:',
    appsClaim: 'flygate:apps',
    jwksCooldownMs: 1_000,
  });
  const sign = (nowMs: number, expInS: number, claims: Record<string, unknown> = {}) =>
    new SignJWT({ scope: 'flygate:read', 'flygate:apps': 'web|api-*', ...claims })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer(issuer)
      .setAudience('flygate')
      .setSubject('bob')
      .setExpirationTime(Math.floor(nowMs / 1000) + expInS)
      .sign(privateKey);

  it('should end the caller at expiry (plus skew) and refuse its token from memory afterwards, on the gateway clock', async () => {
    const clock = createManualClock();
    const verifier = createOidcVerifier({ settings: settings(), clock, gatewayTenant: 'gw' });
    const token = await sign(clock.now(), 60);
    const caller = (await verifier.identify(token)) as Caller;
    expect(caller).toMatchObject({ name: 'oidc:bob', tenant: expect.stringMatching(/^gw~/) });
    expect([...caller.scopes]).toEqual(['read']);
    expect(caller.apps?.text).toBe('api-*|web');
    // Answered from memory now: no promise.
    expect(verifier.identify(token)).toBe(caller);
    await clock.advance(64_000);
    expect(caller.revoked?.aborted).toBe(false);
    await clock.advance(2_000);
    expect(caller.revoked?.aborted).toBe(true);
    expect(verifier.identify(token)).toBe('invalid-token');
  });

  it('should answer unverifiable, not invalid, while the issuer cannot hand out its keys', async () => {
    up = false;
    try {
      const clock = createManualClock();
      const verifier = createOidcVerifier({ settings: settings(), clock, gatewayTenant: 'gw' });
      expect(await verifier.identify(await sign(clock.now(), 60))).toBe('unverifiable');
    } finally {
      up = true;
    }
  });

  it('should refuse what is not a compact JWS without looking further', () => {
    const verifier = createOidcVerifier({ settings: settings(), clock: createManualClock(), gatewayTenant: 'gw' });
    expect(verifier.identify('fgk_not_a_jwt')).toBe('malformed');
    expect(verifier.identify('a.b.')).toBe('malformed');
  });

  it('should map only prefixed known scopes and only valid app words from claims', () => {
    const claimSettings = { scopesClaim: 'scp', scopePrefix: 'flygate:' };
    expect([...scopesOf({ scp: ['flygate:write', 'flygate:root', 'write', 'openid'] }, claimSettings)]).toEqual(['write']);
    expect([...scopesOf({ scp: 'openid flygate:admin' }, claimSettings)]).toEqual(['admin']);
    expect(appsOf({ apps: ['web', 'Bad App', 'team-*'] }, 'apps').text).toBe('team-*|web');
    expect(appsOf({ apps: 'web, db' }, 'apps').text).toBe('db|web');
    expect(appsOf({}, 'apps').names.size + appsOf({}, 'apps').prefixes.length).toBe(0);
  });
});
