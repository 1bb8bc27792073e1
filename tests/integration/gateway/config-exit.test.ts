import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');

describe('npm start with bad configuration', () => {
  it('should exit with a one-screen message naming every bad key and no stack trace when values are invalid', () => {
    const result = spawnSync(process.execPath, ['--enable-source-maps', 'dist/main.js'], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        PORT: 'abc',
        LOG_LEVEL: 'chatty',
        FLY_API_TOKEN: 'tok_secret_value_123',
        WEBHOOK_SECRET: 'not-a-secret-format',
      },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Invalid configuration');
    expect(result.stderr).toMatch(/PORT: expected a whole number/);
    expect(result.stderr).toMatch(/LOG_LEVEL:/);
    expect(result.stderr).toMatch(/WEBHOOK_SECRET:/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stderr).not.toContain('not-a-secret-format');
    expect(result.stderr.split('\n').length).toBeLessThan(25);
  });

  it('should refuse to start and name FLY_API_TOKEN when a production gateway has no Fly token', () => {
    const result = spawnSync(process.execPath, ['--enable-source-maps', 'dist/main.js'], {
      cwd: root,
      // Open access allowed on purpose: the token must be the only thing missing.
      env: { PATH: process.env.PATH, APP_ENV: 'production', AUTH_ALLOW_NONE: 'true', PORT: '0', HOST: '127.0.0.1' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/FLY_API_TOKEN: a production gateway needs a Fly API token/);
    expect(result.stdout).not.toContain('DEMO MODE');
  });
});
