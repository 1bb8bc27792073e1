import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');

/** Runs the contract suite's spec file as `npm run test:contract` does, with the spec pointed at nothing. */
function contractRun(ci: string) {
  const vitest = path.join(root, 'node_modules/vitest/vitest.mjs');
  return spawnSync(process.execPath, [vitest, 'run', '--config', 'vitest.contract.config.ts', 'tests/contract/emulator-spec.test.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH, CI: ci, FLY_OPENAPI_SPEC: path.join(root, '.tmp/no-such-spec.json'), NO_COLOR: '1' },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('npm run test:contract without the shared spec', () => {
  it('should fail and say why when CI runs it', () => {
    const result = contractRun('true');
    expect(result.status).not.toBe(0);
    expect(result.stdout + result.stderr).toMatch(/Contract suite cannot run in CI: .*no-such-spec\.json is missing/);
  }, 60_000);

  it('should report the suite as skipped, with the reason, and pass nothing when run outside CI', () => {
    const result = contractRun('');
    expect(result.status).toBe(0);
    const output = result.stdout + result.stderr;
    expect(output).toMatch(/Contract suite skipped: .*no-such-spec\.json is missing/);
    expect(output).toMatch(/Tests\s+1 skipped/);
    expect(output).not.toMatch(/Tests\s+\d+ passed/);
  }, 60_000);
});
