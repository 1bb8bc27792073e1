import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '#src/api/auth/keys.js';
import { createEmulator, type Emulator } from '#src/emulator/emulator.js';
import { startDistMain, type DistMain } from '../../helpers/dist-main.js';

/** Polls `condition` every 20 ms; fails after `timeoutMs` naming what it waited for. */
async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('npm start with API_KEYS_FILE on SIGHUP', () => {
  let emulator: Emulator;
  let gateway: DistMain;
  let dir: string;
  const first = createKey('first', new Set(['read']));

  beforeAll(async () => {
    emulator = createEmulator({ seed: 'demo' });
    await emulator.start();
    dir = mkdtempSync(join(tmpdir(), 'flygate-sighup-'));
    writeFileSync(join(dir, 'keys'), `${first.entry}\n`);
    gateway = await startDistMain({
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      FLY_API_TOKEN: emulator.token,
      FLY_API_BASE_URL: emulator.url,
      SYNC_ENABLED: 'false',
      AUTH_MODE: 'api-keys',
      API_KEYS_FILE: join(dir, 'keys'),
    });
  });
  afterAll(async () => {
    gateway?.child.kill('SIGTERM');
    await gateway?.exited;
    await emulator?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should re-read the keys file when the process gets SIGHUP, and log counts but never a key or hash', async () => {
    const status = async (key: string) =>
      (
        await fetch(gateway.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
          body: JSON.stringify({ query: '{ apps { nodes { name } } }' }),
        })
      ).status;
    expect(await status(first.key)).toBe(200);
    // Nothing changed on disk, so only the signal can cause this reload.
    gateway.child.kill('SIGHUP');
    await until(() => gateway.output().includes('API keys reloaded'), 'the reload log line');
    const line = gateway
      .output()
      .split('\n')
      .find((l) => l.includes('API keys reloaded'))!;
    expect(JSON.parse(line)).toMatchObject({ kept: 1, added: 0, removed: 0, keys: 1 });
    expect(gateway.output()).not.toContain(first.entry.split(':')[2]);
    expect(gateway.output()).not.toContain(first.key);
    // The process is still serving after the signal.
    expect(await status(first.key)).toBe(200);
    expect(gateway.child.exitCode).toBeNull();
  });
});
