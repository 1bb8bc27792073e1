import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '#src/api/auth/keys.js';
import { subscribeWs, STATE_CHANGES, type TestGateway, startTestGateway } from '../events/harness.js';

const AUDIENCE = 'flygate';
const LIST = '{ apps { nodes { name } } }';
const START = `mutation($app: String!, $id: String!) {
  startMachine(input: { app: $app, machineId: $id }) { __typename ... on Error { code } }
}`;
const ops = createKey('ops', new Set(['admin']));

/** A signing key the test issuer may or may not publish. */
interface TestKey {
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

async function makeKey(kid: string): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

const base64url = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

describe('OIDC tokens (AUTH_MODE=oidc)', () => {
  let issuerServer: Server;
  let issuer: string;
  let gw: TestGateway;
  let first: TestKey;
  let rotated: TestKey;
  let stranger: TestKey;
  let published: TestKey[] = [];
  let jwksFetches = 0;
  let machineId: string;

  const sign = (key: TestKey, claims: JWTPayload = {}, options: { iss?: string; aud?: string; expIn?: number; nbfIn?: number } = {}) => {
    const now = Math.floor(Date.now() / 1000);
    const jwt = new SignJWT({ scope: 'openid flygate:read', 'flygate:apps': ['team-a-*'], ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: key.kid })
      .setSubject('alice@example.com')
      .setIssuer(options.iss ?? issuer)
      .setAudience(options.aud ?? AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + (options.expIn ?? 300));
    if (options.nbfIn !== undefined) jwt.setNotBefore(now + options.nbfIn);
    return jwt.sign(key.privateKey);
  };
  const ask = async (token: string, query = LIST, variables: Record<string, unknown> = {}) => {
    const response = await fetch(gw.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, ...((await response.json()) as { data?: any; errors?: any[] }) };
  };
  const names = (answer: { data?: any }) => answer.data.apps.nodes.map((n: { name: string }) => n.name).sort();

  beforeAll(async () => {
    [first, rotated, stranger] = await Promise.all([makeKey('key-1'), makeKey('key-2'), makeKey('key-x')]);
    published = [first];
    issuerServer = createServer((req, res) => {
      if (req.url === '/.well-known/openid-configuration') {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks` }));
        return;
      }
      if (req.url === '/jwks') {
        jwksFetches += 1;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ keys: published.map((k) => k.jwk) }));
        return;
      }
      res.statusCode = 404;
      res.end();
    });
    await new Promise<void>((resolve) => issuerServer.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(issuerServer.address() as AddressInfo).port}`;
    gw = await startTestGateway({
      env: {
        AUTH_MODE: 'oidc',
        OIDC_ISSUER: issuer,
        OIDC_AUDIENCE: AUDIENCE,
        OIDC_CLOCK_SKEW_S: '5',
        OIDC_JWKS_COOLDOWN_MS: '1000',
        API_KEYS: ops.entry,
        CALLER_RATE_LIMIT: '0',
      },
    });
    for (const app of ['team-a-web', 'team-b-web']) gw.emu.control.createApp(app);
    machineId = gw.emu.control.createMachine('team-a-web', { state: 'stopped' }).id;
  });
  afterAll(async () => {
    await gw?.close();
    await new Promise((resolve) => issuerServer?.close(resolve));
  });

  it('should serve a good token the apps its claims name, and API keys beside it', async () => {
    const answer = await ask(await sign(first));
    expect(answer.status).toBe(200);
    expect(names(answer)).toEqual(['team-a-web']);
    expect(jwksFetches).toBe(1);
    expect(names(await ask(ops.key))).toEqual(['team-a-web', 'team-b-web']);
    // Within the clock skew an expired token still counts.
    expect((await ask(await sign(first, {}, { expIn: -2 }))).status).toBe(200);
  });

  it('should answer 401 to a wrong audience, wrong issuer, expired or not yet valid token', async () => {
    const tokens = [
      await sign(first, {}, { aud: 'someone-else' }),
      await sign(first, {}, { iss: 'https://evil.example.com' }),
      await sign(first, {}, { expIn: -60 }),
      await sign(first, {}, { nbfIn: 60 }),
    ];
    for (const token of tokens) {
      const answer = await ask(token);
      expect(answer.status).toBe(401);
      expect(answer.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(answer.data).toBeUndefined();
    }
  });

  it("should answer 401 to alg none and to an HS256 token keyed with the issuer's public key", async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: issuer, aud: AUDIENCE, sub: 'mallory', exp: now + 300, scope: 'flygate:admin', 'flygate:apps': ['*'] };
    const unsigned = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims)}.`;
    const unsignedWithTail = `${unsigned}AAAA`;
    // The confusion attack: the RSA public key (as published) used as an HMAC secret, with the RSA key's kid.
    const secret = new TextEncoder().encode(JSON.stringify(first.jwk));
    const confused = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: first.kid }).sign(secret);
    for (const token of [unsigned, unsignedWithTail, confused]) {
      const answer = await ask(token);
      expect(answer.status).toBe(401);
      expect(answer.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    }
  });

  it('should answer 401 to an unknown key id, and fetch the JWKS again at most once per cooldown', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const before = jwksFetches;
    for (let i = 0; i < 5; i++) {
      const answer = await ask(await sign(stranger, { jti: `t${i}` }));
      expect(answer.status).toBe(401);
    }
    expect(jwksFetches - before).toBe(1);
  });

  it('should accept tokens of a rotated key once the issuer publishes it', async () => {
    published = [first, rotated];
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const before = jwksFetches;
    const answer = await ask(await sign(rotated));
    expect(answer.status).toBe(200);
    expect(names(answer)).toEqual(['team-a-web']);
    expect(jwksFetches).toBe(before + 1);
    // The old key still works while it is published.
    expect((await ask(await sign(first, { jti: 'old' }))).status).toBe(200);
  });

  it('should map scopes and apps from claims: a read token cannot mutate, a writer only its apps', async () => {
    const reader = await sign(first, { jti: 'reader' });
    expect((await ask(reader, START, { app: 'team-a-web', id: machineId })).data.startMachine.__typename).toBe('ForbiddenError');
    const writer = await sign(first, { scope: 'flygate:read flygate:write', 'flygate:apps': 'team-b-web' });
    expect(names(await ask(writer))).toEqual(['team-b-web']);
    expect((await ask(writer, START, { app: 'team-a-web', id: machineId })).data.startMachine.__typename).toBe('ForbiddenError');
    expect(gw.emu.requestCounts()['machines.start'] ?? 0).toBe(0);
    const noApps = await sign(first, { 'flygate:apps': undefined, jti: 'none' });
    expect(names(await ask(noApps))).toEqual([]);
  });

  it('should take a token in connectionParams over WebSockets, and close 4401 on a bad one', async () => {
    const bad = subscribeWs(gw.wsUrl, STATE_CHANGES, { app: 'team-a-web' }, { connectionParams: { authorization: 'Bearer a.b.c' } });
    expect(await bad.closed).toBe(4401);
    await bad.close();
    const foreign = subscribeWs(
      gw.wsUrl,
      STATE_CHANGES,
      { app: 'team-b-web' },
      {
        connectionParams: { authorization: `Bearer ${await sign(first, { jti: 'ws' })}` },
      },
    );
    const failure = (await foreign.failed) as Array<{ extensions?: { code?: string } }>;
    expect(failure[0].extensions?.code).toBe('FORBIDDEN');
    await foreign.close();
  });
});
