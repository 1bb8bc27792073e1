import { mkdtempSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/load-config.js';

function issuesOf(env: Record<string, string>, configDir?: string) {
  try {
    loadConfig({ env, configDir });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues;
  }
  throw new Error('expected loadConfig to throw');
}

describe('loadConfig', () => {
  it('should use development defaults when the environment is empty', () => {
    const config = loadConfig({ env: {} });
    expect(config.env).toBe('development');
    expect(config.server.port).toBe(4000);
    expect(config.fly.baseUrl).toBe('https://api.machines.dev');
    expect(config.fly.org).toBe('personal');
    expect(config.fly.token).toBeUndefined();
    expect(config.redis.url).toBeUndefined();
    expect(config.webhooks.secrets).toEqual([]);
  });

  it('should carry the connection limits and timeouts with the same defaults in every environment', () => {
    for (const APP_ENV of ['development', 'staging', 'production']) {
      const config = loadConfig({ env: { APP_ENV } });
      expect(config.server).toMatchObject({ headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5_000, maxConnections: 10_000 });
      expect(config.ws).toEqual({ maxSubscriptionsPerSocket: 100, maxSocketsPerAddress: 50 });
      expect(config.health).toEqual({ probeIntervalMs: 5_000 });
    }
  });

  it('should reject a headers timeout longer than the request timeout when both are set', () => {
    const issues = issuesOf({ SERVER_HEADERS_TIMEOUT_MS: '40000', SERVER_REQUEST_TIMEOUT_MS: '30000' });
    expect(issues).toEqual([{ key: 'SERVER_HEADERS_TIMEOUT_MS', message: expect.stringContaining('must not exceed SERVER_REQUEST_TIMEOUT_MS') }]);
  });

  it('should overlay environment variables with coercion when they are set', () => {
    const config = loadConfig({
      env: { PORT: '8080', HOST: '127.0.0.1', FLY_ORG: 'acme', FLY_API_TOKEN: 'tok_123456', LOG_LEVEL: 'debug', GRAPHIQL: 'false' },
    });
    expect(config.server.port).toBe(8080);
    expect(config.server.host).toBe('127.0.0.1');
    expect(config.fly.org).toBe('acme');
    expect(config.fly.token).toBe('tok_123456');
    expect(config.log.level).toBe('debug');
    expect(config.graphql.graphiql).toBe(false);
  });

  it('should pick the file named by APP_ENV when it is set', () => {
    const production = loadConfig({ env: { APP_ENV: 'production' } });
    expect(production.env).toBe('production');
    expect(production.graphql.introspection).toBe(false);
    expect(production.graphql.maskSuggestions).toBe(true);
  });

  it('should split several webhook secrets when WEBHOOK_SECRET holds a list', () => {
    const config = loadConfig({ env: { WEBHOOK_SECRET: 'whsec_aGVsbG8= whsec_d29ybGQ=,whsec_Zm9v' } });
    expect(config.webhooks.secrets).toEqual(['whsec_aGVsbG8=', 'whsec_d29ybGQ=', 'whsec_Zm9v']);
  });

  it('should report every problem at once with the variable name when several values are bad', () => {
    const issues = issuesOf({ PORT: 'abc', FLY_API_BASE_URL: 'not a url', LOG_LEVEL: 'loud', REDIS_URL: 'http://x' });
    expect(issues.map((i) => i.key).sort()).toEqual(['FLY_API_BASE_URL', 'LOG_LEVEL', 'PORT', 'REDIS_URL']);
    expect(issues.find((i) => i.key === 'PORT')?.message).toMatch(/whole number/);
  });

  it('should reject an unknown APP_ENV when it is not one of the three environments', () => {
    expect(issuesOf({ APP_ENV: 'qa' })).toEqual([{ key: 'APP_ENV', message: expect.stringMatching(/development, staging or production/) }]);
  });

  it('should never echo a secret value when the secret is malformed', () => {
    const issues = issuesOf({ WEBHOOK_SECRET: 'supersecretvalue', REDIS_URL: 'ftp://user:hunter2@host' });
    const text = JSON.stringify(issues);
    expect(text).not.toContain('supersecretvalue');
    expect(text).not.toContain('hunter2');
    expect(issues.map((i) => i.key).sort()).toEqual(['REDIS_URL', 'WEBHOOK_SECRET']);
  });

  it('should refuse secrets in a config file when one is committed there', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'flygate-config-'));
    cpSync(path.resolve('config/development.json'), path.join(dir, 'development.json'));
    const file = JSON.parse(JSON.stringify(loadConfig({ env: {} })));
    file.fly.token = 'tok_from_file';
    delete file.env;
    delete file.webhooks.secrets;
    writeFileSync(path.join(dir, 'development.json'), JSON.stringify(file));
    const issues = issuesOf({}, dir);
    expect(issues).toEqual([{ key: 'development.json: fly.token', message: expect.stringMatching(/environment only/) }]);
  });

  it('should read CORS_ORIGINS as a list and allow localhost only in development when nothing is set', () => {
    expect(loadConfig({ env: {} }).server).toMatchObject({ corsOrigins: [], corsAllowLocalhost: true });
    expect(loadConfig({ env: { APP_ENV: 'production' } }).server).toMatchObject({ corsOrigins: [], corsAllowLocalhost: false });
    expect(loadConfig({ env: { APP_ENV: 'staging' } }).server.corsAllowLocalhost).toBe(false);
    const config = loadConfig({ env: { APP_ENV: 'production', CORS_ORIGINS: 'https://a.example.com, http://b.example.com:8080' } });
    expect(config.server.corsOrigins).toEqual(['https://a.example.com', 'http://b.example.com:8080']);
  });

  it('should refuse a CORS origin that is not an exact origin when one has a path, a slash or a wildcard', () => {
    for (const bad of ['https://a.example.com/', 'https://a.example.com/app', '*', 'a.example.com', 'ftp://a.example.com']) {
      const issues = issuesOf({ CORS_ORIGINS: bad });
      expect(issues, bad).toEqual([{ key: 'CORS_ORIGINS', message: expect.stringMatching(/exact origin/) }]);
    }
  });

  it('should return a frozen object when loading succeeds', () => {
    const config = loadConfig({ env: {} });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.server)).toBe(true);
  });
});
