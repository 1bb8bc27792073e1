import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
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

describe('npm start on a busy port', () => {
  it('should exit non-zero and say to set PORT when the port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as { port: number };
    try {
      const child = spawn(process.execPath, ['--enable-source-maps', 'dist/main.js'], {
        cwd: root,
        env: { PATH: process.env.PATH, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'silent' },
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code).not.toBe(0);
      expect(stderr).toContain(`port ${port} is already in use`);
      expect(stderr).toMatch(/set PORT to a free port/);
    } finally {
      taken.close();
    }
  }, 30_000);
});
