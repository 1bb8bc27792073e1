import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '#src/emulator/emulator.js';
import { execForm, readDockerfile, readFlyToml, repoRoot, STAND_IN_API_KEYS, stageEnv } from '../../helpers/packaging-files.js';

const run = promisify(execFile);
const runtime = readDockerfile().stages.at(-1)!;
const imageEnv = stageEnv(runtime);
const cmd = execForm(runtime.instructions.find((i) => i.keyword === 'CMD')!.args);
const healthcheck = execForm(runtime.instructions.find((i) => i.keyword === 'HEALTHCHECK')!.args);
const fly = readFlyToml() as {
  http_service: { checks: { path: string }[] };
  checks: Record<string, { path: string }>;
  metrics: { path: string };
};
/** Access control as fly.toml sets it (production refuses to start without it once that part is in). */
const ACCESS = { AUTH_MODE: 'api-keys', API_KEYS: STAND_IN_API_KEYS };
const flyPaths = [...fly.http_service.checks.map((c) => c.path), ...Object.values(fly.checks).map((c) => c.path), fly.metrics.path];

/** Whether a Docker daemon answers, and why not. */
function dockerStatus(): { ok: true } | { ok: false; reason: string } {
  const info = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { encoding: 'utf8', timeout: 10_000 });
  if (info.error) return { ok: false, reason: `no docker CLI (${(info.error as NodeJS.ErrnoException).code})` };
  if (info.status !== 0)
    return { ok: false, reason: `docker info failed: ${(info.stderr || info.stdout).trim().split('\n').at(-1)?.replace(/\.$/, '')}` };
  return { ok: true };
}

/** Polls `url` until it answers `status`; fails after `timeoutMs` with the last thing seen. */
async function untilAnswers(url: string, status: number, timeoutMs: number): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  let last: string;
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.status === status) return response;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer ${status} within ${timeoutMs} ms (last: ${last})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("the image's command, run on this machine", () => {
  let child: ChildProcess | undefined;
  let emulator: Emulator | undefined;
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await emulator?.stop();
  });

  it('should serve fly.toml health and metrics paths, pass the HEALTHCHECK and exit 0 on SIGTERM when started like the container', async () => {
    // The container's CMD and ENV, with a free port instead of 4000 (this machine is shared). Production refuses to
    // run without a Fly token, so an emulator on loopback stands in for Fly.
    emulator = createEmulator({ seed: 'demo' });
    await emulator.start({ port: 0, host: '127.0.0.1' });
    const fly = { FLY_API_TOKEN: emulator.token, FLY_API_BASE_URL: emulator.url };
    child = spawn(cmd[0] === 'node' ? process.execPath : cmd[0], cmd.slice(1), {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', ...imageEnv, ...ACCESS, ...fly, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    const base = await new Promise<string>((resolve, reject) => {
      child!.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /GraphQL (?:and GraphiQL )?at http:\/\/[^:]+:(\d+)\/graphql/.exec(output);
        if (match) resolve(`http://127.0.0.1:${match[1]}`);
      });
      void exited.then((code) => reject(new Error(`exited with ${code}: ${output}`)));
    });
    expect(output).toContain('LIVE MODE');
    // The production config serves no GraphiQL, and the banner says so.
    expect(output).toMatch(/GraphQL at \S+ \(no GraphiQL: the production config turns it off/);

    const ready = await untilAnswers(`${base}/readyz`, 200, 15_000);
    expect(((await ready.json()) as { status: string }).status).toBe('pass');
    expect(flyPaths.sort()).toEqual(['/healthz', '/metrics', '/readyz']);
    for (const route of flyPaths) expect((await fetch(`${base}${route}`)).status, route).toBe(200);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('# TYPE flygate_subscriptions_active gauge');

    // Docker runs the HEALTHCHECK inside the container, where PORT is the real port.
    const port = new URL(base).port;
    const healthy = spawnSync(healthcheck[0] === 'node' ? process.execPath : healthcheck[0], healthcheck.slice(1), {
      env: { PATH: process.env.PATH ?? '', PORT: port },
      timeout: 10_000,
    });
    expect(healthy.status).toBe(0);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const unhealthy = spawnSync(process.execPath, healthcheck.slice(1), {
      env: { PATH: process.env.PATH ?? '', PORT: port },
      timeout: 10_000,
    });
    expect(unhealthy.status).toBe(1);
  });
});

/**
 * The base image the Dockerfile starts from (its NODE_IMAGE argument). DOCKER_BASE_IMAGE replaces it for machines
 * that cannot pull from Docker Hub but hold an equivalent image locally (same Node major, a `node` user).
 */
const baseOverride = process.env.DOCKER_BASE_IMAGE;
const baseImage = baseOverride ?? readDockerfile().args.NODE_IMAGE;

/** Whether images can be built here: a daemon that answers and the base image present or pullable. */
function dockerReadiness(): { ok: true } | { ok: false; reason: string } {
  const daemon = dockerStatus();
  if (!daemon.ok) return { ok: false, reason: `no Docker daemon here [${daemon.reason}]` };
  const present = spawnSync('docker', ['image', 'inspect', baseImage], { timeout: 10_000 });
  if (present.status === 0) return { ok: true };
  const pull = spawnSync('docker', ['pull', baseImage], { encoding: 'utf8', timeout: 120_000 });
  if (pull.status === 0) return { ok: true };
  return {
    ok: false,
    reason: `the base image ${baseImage} is not here and cannot be pulled [${(pull.stderr || '').trim().split('\n').at(-1)}]`,
  };
}

const docker = dockerReadiness();
if (!docker.ok) console.warn(`Docker image test skipped: ${docker.reason}; it builds and runs the image where that works.`);

describe.runIf(docker.ok)('the Docker image', () => {
  const tag = `flygate-test:${randomUUID().slice(0, 8)}`;
  let container: string | undefined;
  afterAll(async () => {
    if (container) await run('docker', ['rm', '-f', container]).catch(() => undefined);
    await run('docker', ['rmi', '-f', tag]).catch(() => undefined);
  });

  it('should build, run as node and answer /readyz, then stop cleanly when docker stops it', { timeout: 900_000 }, async () => {
    await run('docker', ['build', '--tag', tag, ...(baseOverride ? ['--build-arg', `NODE_IMAGE=${baseOverride}`] : []), repoRoot], {
      maxBuffer: 64 * 1024 * 1024,
      timeout: 840_000,
    });
    const { stdout: user } = await run('docker', ['image', 'inspect', '--format', '{{.Config.User}}', tag]);
    expect(user.trim()).toBe('node');
    // The image must hold no tests, docs, git data or dev tooling.
    const { stdout: listing } = await run('docker', [
      'run',
      '--rm',
      '--entrypoint',
      'sh',
      tag,
      '-c',
      'ls -A /app; ls /app/node_modules/.bin',
    ]);
    expect(listing).not.toMatch(/^(tests|docs|\.git|\.env)$/m);
    expect(listing).not.toMatch(/^(vitest|eslint|tsc)$/m);

    const { stdout: id } = await run('docker', [
      'run',
      '--detach',
      '--publish',
      '127.0.0.1::4000',
      ...Object.entries(ACCESS).flatMap(([k, v]) => ['--env', `${k}=${v}`]),
      tag,
    ]);
    container = id.trim();
    const { stdout: mapped } = await run('docker', ['port', container, '4000/tcp']);
    const base = `http://${mapped.trim().split('\n')[0]}`;
    const ready = await untilAnswers(`${base}/readyz`, 200, 60_000);
    expect(((await ready.json()) as { status: string }).status).toBe('pass');

    await run('docker', ['stop', '--time', '30', container]);
    const { stdout: exitCode } = await run('docker', ['inspect', '--format', '{{.State.ExitCode}}', container]);
    expect(exitCode.trim()).toBe('0');
  });
});
