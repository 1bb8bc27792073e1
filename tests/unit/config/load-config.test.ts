import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '#src/config/load-config.js';

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
      const config = loadConfig({ env: { APP_ENV, AUTH_ALLOW_NONE: 'true', FLY_API_TOKEN: 'fo1_test' } });
      expect(config.server).toMatchObject({
        headersTimeoutMs: 10_000,
        requestTimeoutMs: 30_000,
        keepAliveTimeoutMs: 5_000,
        maxConnections: 10_000,
      });
      expect(config.ws).toEqual({ maxSubscriptionsPerSocket: 100, maxSocketsPerAddress: 50 });
      expect(config.sse).toEqual({ maxStreamsPerAddress: 100 });
      expect(config.streams).toEqual({ maxPerProcess: 10000, shedHeapRatio: 0.75 });
      expect(config.health).toEqual({ probeIntervalMs: 5_000 });
    }
  });

  it('should reject a headers timeout longer than the request timeout when both are set', () => {
    const issues = issuesOf({ SERVER_HEADERS_TIMEOUT_MS: '40000', SERVER_REQUEST_TIMEOUT_MS: '30000' });
    expect(issues).toEqual([
      { key: 'SERVER_HEADERS_TIMEOUT_MS', message: expect.stringContaining('must not exceed SERVER_REQUEST_TIMEOUT_MS') },
    ]);
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
    const production = loadConfig({ env: { APP_ENV: 'production', AUTH_ALLOW_NONE: 'true', FLY_API_TOKEN: 'fo1_test' } });
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
    delete file.auth.apiKeys;
    writeFileSync(path.join(dir, 'development.json'), JSON.stringify(file));
    const issues = issuesOf({}, dir);
    expect(issues).toEqual([{ key: 'development.json: fly.token', message: expect.stringMatching(/environment only/) }]);
  });

  it('should read CORS_ORIGINS as a list and allow localhost only in development when nothing is set', () => {
    expect(loadConfig({ env: {} }).server).toMatchObject({ corsOrigins: [], corsAllowLocalhost: true });
    expect(loadConfig({ env: { APP_ENV: 'production', AUTH_ALLOW_NONE: 'true', FLY_API_TOKEN: 'fo1_test' } }).server).toMatchObject({
      corsOrigins: [],
      corsAllowLocalhost: false,
    });
    expect(loadConfig({ env: { APP_ENV: 'staging' } }).server.corsAllowLocalhost).toBe(false);
    const config = loadConfig({
      env: {
        APP_ENV: 'production',
        AUTH_ALLOW_NONE: 'true',
        FLY_API_TOKEN: 'fo1_test',
        CORS_ORIGINS: 'https://a.example.com, http://b.example.com:8080',
      },
    });
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

/** A temporary config folder holding `development.json` with the given text (the real file when omitted). */
function configDirWith(text?: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'flygate-config-'));
  writeFileSync(path.join(dir, 'development.json'), text ?? readFileSync(path.resolve('config/development.json'), 'utf8'));
  return dir;
}

/** The repository's development file as an object, changed by `edit`. */
function developmentFile(edit: (file: Record<string, any>) => void): string {
  const file = JSON.parse(readFileSync(path.resolve('config/development.json'), 'utf8'));
  edit(file);
  return JSON.stringify(file);
}

describe('loadConfig file problems', () => {
  it('should report a missing file once, without listing every key as missing', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'flygate-config-'));
    const issues = issuesOf({}, dir);
    expect(issues).toEqual([{ key: 'development.json', message: expect.stringMatching(/^cannot read: ENOENT/) }]);
  });

  it.each(['[1, 2]', 'null', '42', '"text"', 'true', '[]'])(
    'should report a file holding %s as not an object, and nothing else',
    (text) => {
      expect(issuesOf({}, configDirWith(text))).toEqual([{ key: 'development.json', message: 'expected a JSON object' }]);
    },
  );

  it('should report a file that is not JSON without quoting its text', () => {
    const issues = issuesOf({}, configDirWith('{"fly": {"token": fm2_do_not_echo_me}}'));
    expect(issues).toEqual([{ key: 'development.json', message: 'is not valid JSON' }]);
    expect(issuesOf({}, configDirWith(''))).toEqual([{ key: 'development.json', message: 'is not valid JSON' }]);
  });

  it('should read the file of the APP_ENV in effect', () => {
    const dir = configDirWith();
    expect(issuesOf({ APP_ENV: 'staging' }, dir)).toEqual([{ key: 'staging.json', message: expect.stringMatching(/^cannot read/) }]);
  });

  it('should name the file and path of a bad value in the file, and show the value', () => {
    const dir = configDirWith(developmentFile((f) => (f.server.port = 'abc')));
    expect(issuesOf({}, dir)).toEqual([
      { key: 'development.json: server.port', message: 'expected a whole number from 0 to 65535, got "abc"' },
    ]);
  });

  it('should say a key is required when the file lacks it', () => {
    const dir = configDirWith(developmentFile((f) => delete f.fly.org));
    expect(issuesOf({}, dir)).toEqual([{ key: 'development.json: fly.org', message: 'is required' }]);
  });

  it('should credit a bad value to the variable that set it, even when the file has the same key', () => {
    expect(issuesOf({ HOST: '', PORT: '70000' })).toEqual([
      { key: 'PORT', message: 'expected a whole number from 0 to 65535, got "70000"' },
    ]);
  });

  it('should report every secret committed to the file', () => {
    const dir = configDirWith(
      developmentFile((f) => {
        f.fly.token = 'tok_x';
        f.redis.url = 'redis://127.0.0.1:6379';
        f.webhooks.secrets = [];
      }),
    );
    const issues = issuesOf({}, dir);
    expect(issues.map((i) => i.key)).toEqual([
      'development.json: fly.token',
      'development.json: redis.url',
      'development.json: webhooks.secrets',
    ]);
    expect(JSON.stringify(issues)).not.toContain('tok_x');
  });

  it('should not echo a secret variable when the variable is the one at fault', () => {
    const issues = issuesOf({ FLY_API_TOKEN: ' ', WEBHOOK_SECRET: 'whsec_ok= not-a-secret-SHOWME' });
    expect(issues).toEqual([{ key: 'WEBHOOK_SECRET', message: 'expected whsec_<base64>' }]);
  });

  it('should format every issue in the error message', () => {
    let error: unknown;
    try {
      loadConfig({ env: { PORT: 'x', LOG_LEVEL: 'loud' } });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).name).toBe('ConfigError');
    expect((error as ConfigError).message).toMatch(/^Invalid configuration:\n {2}- PORT: .+\n {2}- LOG_LEVEL: .+$/);
  });
});

describe('loadConfig environment handling', () => {
  it('should trim APP_ENV and fall back to development when it is blank', () => {
    expect(loadConfig({ env: { APP_ENV: ' staging ' } }).env).toBe('staging');
    expect(loadConfig({ env: { APP_ENV: '   ' } }).env).toBe('development');
    expect(issuesOf({ APP_ENV: 'Production' })).toEqual([
      { key: 'APP_ENV', message: 'expected development, staging or production, got "Production"' },
    ]);
  });

  it('should ignore blank variables and trim the others', () => {
    const config = loadConfig({ env: { HOST: '  ', FLY_ORG: '  acme  ', PORT: '' } });
    expect(config.server.host).toBe('0.0.0.0');
    expect(config.server.port).toBe(4000);
    expect(config.fly.org).toBe('acme');
  });

  it('should read only the variables it binds', () => {
    const config = loadConfig({ env: { FLY_TOKEN: 'tok_wrong_name', port: '1' } });
    expect(config.fly.token).toBeUndefined();
    expect(config.server.port).toBe(4000);
  });

  it('should keep the other keys of a section when one variable overrides a key in it', () => {
    const config = loadConfig({ env: { FLY_ORG: 'acme' } });
    expect(config.fly).toMatchObject({ org: 'acme', baseUrl: 'https://api.machines.dev', deadlineMs: 10000, rateLimit: true });
  });

  it('should freeze nested arrays too', () => {
    const config = loadConfig({ env: { WEBHOOK_SECRET: 'whsec_aGVsbG8=' } });
    expect(Object.isFrozen(config.webhooks.secrets)).toBe(true);
    expect(Object.isFrozen(config.graphql)).toBe(true);
  });
});

describe('loadConfig section and list edge cases', () => {
  it('should say a whole section is required when the file lacks it, or holds null', () => {
    expect(issuesOf({}, configDirWith(developmentFile((f) => delete f.redis)))).toEqual([
      { key: 'development.json: redis', message: 'is required' },
    ]);
    expect(issuesOf({}, configDirWith(developmentFile((f) => (f.redis = null))))).toEqual([
      { key: 'development.json: redis', message: 'expected object, received null, got null' },
    ]);
  });

  it('should drop zod\'s "Invalid input" prefix and show the wrong value', () => {
    expect(issuesOf({}, configDirWith(developmentFile((f) => (f.server.host = 5))))).toEqual([
      { key: 'development.json: server.host', message: 'expected string, received number, got 5' },
    ]);
  });

  it('should name the accepted values of a switch and of REDIS_URL when they are wrong', () => {
    expect(issuesOf({ CACHE_ENABLED: 'maybe', GRAPHIQL: 'yes', REDIS_URL: 'http://cache.internal:6379' })).toEqual([
      { key: 'REDIS_URL', message: 'expected a redis:// or rediss:// URL' },
      { key: 'GRAPHIQL', message: 'expected true, false, 1 or 0, got "yes"' },
      { key: 'CACHE_ENABLED', message: 'expected true, false, 1 or 0, got "maybe"' },
    ]);
  });

  it('should ignore empty entries around and between webhook secrets', () => {
    const config = loadConfig({ env: { WEBHOOK_SECRET: ' ,whsec_aGVsbG8=,, \twhsec_d29ybGQ=, ' } });
    expect(config.webhooks.secrets).toEqual(['whsec_aGVsbG8=', 'whsec_d29ybGQ=']);
  });
});
