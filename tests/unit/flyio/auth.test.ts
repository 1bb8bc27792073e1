import { afterEach, describe, expect, it } from 'vitest';
import { createRedactor, formatAuthorization, stripAuthScheme } from '#src/flyio/auth.js';
import { buildApp, createHarness, type Harness } from './helpers.js';

describe('formatAuthorization', () => {
  it('should use Bearer when the token is not a macaroon', () => {
    expect(formatAuthorization('abc123')).toBe('Bearer abc123');
  });

  it.each([['fm1r_abc'], ['fm1a_abc'], ['fm2_abc']])('should use FlyV1 when the token is a %s macaroon', (token) => {
    expect(formatAuthorization(token)).toBe(`FlyV1 ${token}`);
  });

  it('should keep every macaroon when the token is a comma-separated bundle', () => {
    expect(formatAuthorization('fm2_one,fm2_two')).toBe('FlyV1 fm2_one,fm2_two');
  });

  it('should send only the macaroons when a bundle mixes macaroons and other tokens', () => {
    expect(formatAuthorization('fm2_one, fo1_oauth')).toBe('FlyV1 fm2_one');
  });

  it('should strip nested schemes case-insensitively when the token already carries one', () => {
    expect(formatAuthorization('Bearer FlyV1 fm2_abc')).toBe('FlyV1 fm2_abc');
    expect(formatAuthorization('bearer bEaReR plain')).toBe('Bearer plain');
    expect(formatAuthorization('FLYV1 fm1r_x,fm1a_y')).toBe('FlyV1 fm1r_x,fm1a_y');
    expect(stripAuthScheme('  Bearer   FlyV1   tok ')).toBe('tok');
  });
});

describe('createRedactor', () => {
  it('should replace the whole token and each macaroon part when they appear in text', () => {
    const redact = createRedactor('FlyV1 fm2_partone,fm2_parttwo');
    expect(redact('saw fm2_partone,fm2_parttwo and fm2_parttwo')).toBe('saw [redacted] and [redacted]');
  });

  it('should replace a PEM private key when an upstream message quotes one, whole or cut off', () => {
    const redact = createRedactor('fm2_token');
    const key = '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIabc\n-----END EC PRIVATE KEY-----';
    expect(redact(`bad key ${key} given`)).toBe('bad key [redacted] given');
    expect(redact('bad key -----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMG')).toBe('bad key [redacted]');
  });
});

describe('client authorization header', () => {
  let h: Harness;
  afterEach(async () => {
    await h.agent.close();
  });

  it('should send FlyV1 on the wire when the client is given a Bearer-prefixed macaroon', async () => {
    h = createHarness({ token: 'Bearer fm2_wire' });
    let auth: unknown;
    h.pool.intercept({ path: '/v1/apps/a', method: 'GET' }).reply((opts) => {
      auth = (opts.headers as Record<string, string>).authorization;
      return { statusCode: 200, data: buildApp({ name: 'a' }) };
    });
    await h.client.apps.get('a');
    expect(auth).toBe('FlyV1 fm2_wire');
  });

  it('should send Bearer on the wire when the client is given a plain token', async () => {
    h = createHarness({ token: 'plain-token' });
    let headers: Record<string, string> = {};
    h.pool.intercept({ path: '/v1/apps/a', method: 'GET' }).reply((opts) => {
      headers = opts.headers as Record<string, string>;
      return { statusCode: 200, data: buildApp({ name: 'a' }) };
    });
    await h.client.apps.get('a');
    expect(headers.authorization).toBe('Bearer plain-token');
    expect(headers.accept).toBe('application/json');
    expect(headers['user-agent']).toMatch(/flygate/);
  });
});
