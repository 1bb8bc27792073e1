import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '#src/config/load-config.js';
import { createKey } from '#src/api/auth/keys.js';

function issuesOf(env: Record<string, string>): { key: string; message: string }[] {
  try {
    loadConfig({ env });
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  return [];
}

describe('access settings', () => {
  it('should default to open access in development so npm start needs no key', () => {
    const config = loadConfig({ env: {} });
    expect(config.auth).toMatchObject({ mode: 'none', apiKeys: [], recheckMs: 60_000 });
  });

  it('should refuse a production gateway with AUTH_MODE=none unless AUTH_ALLOW_NONE=true', () => {
    const token = { FLY_API_TOKEN: 'fo1_test' };
    expect(issuesOf({ APP_ENV: 'production', ...token })).toEqual([
      { key: 'AUTH_MODE', message: expect.stringMatching(/AUTH_ALLOW_NONE=true/) },
    ]);
    expect(loadConfig({ env: { APP_ENV: 'production', AUTH_ALLOW_NONE: 'true', ...token } }).auth.mode).toBe('none');
    const { entry } = createKey('ci', new Set(['read']));
    expect(loadConfig({ env: { APP_ENV: 'production', AUTH_MODE: 'api-keys', API_KEYS: entry, ...token } }).auth.apiKeys).toEqual([entry]);
  });

  it('should refuse a production gateway without FLY_API_TOKEN when it would otherwise run the demo emulator', () => {
    const { entry } = createKey('ci', new Set(['read']));
    const accesses: Record<string, string>[] = [
      { AUTH_ALLOW_NONE: 'true' },
      { AUTH_MODE: 'api-keys', API_KEYS: entry },
      { AUTH_MODE: 'fly-token' },
    ];
    for (const access of accesses) {
      expect(issuesOf({ APP_ENV: 'production', ...access })).toEqual([{ key: 'FLY_API_TOKEN', message: expect.stringMatching(/demo/) }]);
    }
    // Staging and development may still run the demo.
    expect(loadConfig({ env: { APP_ENV: 'staging' } }).fly.token).toBeUndefined();
  });

  it('should ask for at least one entry when AUTH_MODE is api-keys', () => {
    expect(issuesOf({ AUTH_MODE: 'api-keys' })).toEqual([{ key: 'API_KEYS', message: expect.stringMatching(/key:create/) }]);
  });

  it('should report a malformed API_KEYS entry without echoing it', () => {
    const issues = issuesOf({ AUTH_MODE: 'api-keys', API_KEYS: 'ci:read:not-a-hash-s3cr3t' });
    expect(issues.map((i) => i.key)).toEqual(['API_KEYS']);
    expect(JSON.stringify(issues)).not.toContain('s3cr3t');
  });

  it("should need the gateway's own token outside development when AUTH_MODE is fly-token", () => {
    expect(issuesOf({ APP_ENV: 'staging', AUTH_MODE: 'fly-token' })).toEqual([
      { key: 'FLY_API_TOKEN', message: expect.stringMatching(/sync job/) },
    ]);
    expect(loadConfig({ env: { APP_ENV: 'staging', AUTH_MODE: 'fly-token', FLY_API_TOKEN: 'fo1_x' } }).auth.mode).toBe('fly-token');
  });

  it('should name AUTH_MODE when its value is not a mode', () => {
    expect(issuesOf({ AUTH_MODE: 'bogus' }).map((i) => i.key)).toEqual(['AUTH_MODE']);
  });
});
