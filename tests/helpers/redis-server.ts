import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer, connect } from 'node:net';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { createRedis } from '#src/infra/redis/client.js';

/** A private redis-server for tests that kill, freeze, restart or flush Redis. */
export interface TestRedisServer {
  url: string;
  port: number;
  /** Stops the server (SIGTERM) and waits for it to exit. */
  stop(): Promise<void>;
  /** Sends `signal` and, for terminating signals, waits for the exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Freezes the process (SIGSTOP): connections stay open, nothing answers. */
  pause(): void;
  /** Thaws a paused server (SIGCONT). */
  resume(): void;
  /** Stops and starts again on the same port, with empty data (persistence is off). */
  restart(): Promise<void>;
}

/** Finds a free loopback port by letting the OS pick one. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** True when a Redis server answers PING on 127.0.0.1:`port` within half a second. */
export async function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(500);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

function launch(port: number): ChildProcess {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  child.unref();
  return child;
}

async function waitUntilUp(port: number, child: ChildProcess): Promise<void> {
  // Polls readiness (a connect attempt every 20 ms, up to 10 s); the server takes a few ms to bind.
  for (let attempt = 0; attempt < 500; attempt++) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode} on port ${port}`);
    if (await answersPing(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`redis-server did not come up on port ${port}`);
}

/**
 * Resolves once `child` has exited. If it has not after 3 s (a server that was frozen and thawed does not always
 * act on SIGTERM at once), it is killed outright; either way the wait is bounded, so a teardown never hangs.
 */
function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      setTimeout(resolve, 200);
    }, 3_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Starts `redis-server` on a free loopback port with persistence off. Stop it in `afterAll`. */
export async function startRedisServer(): Promise<TestRedisServer> {
  const port = await freePort();
  let child = launch(port);
  // A test file that crashes before its afterAll must not leave a server behind.
  const reap = () => child.kill('SIGKILL');
  process.once('exit', reap);
  await waitUntilUp(port, child);

  const kill = async (signal: NodeJS.Signals = 'SIGTERM') => {
    const current = child;
    if (current.exitCode !== null || current.signalCode !== null) return;
    if (signal === 'SIGSTOP' || signal === 'SIGCONT') {
      current.kill(signal);
      return;
    }
    // A frozen process would ignore SIGTERM until thawed.
    current.kill('SIGCONT');
    current.kill(signal);
    await exited(current);
  };

  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      await kill('SIGTERM');
      process.off('exit', reap);
    },
    kill,
    pause: () => child.kill('SIGSTOP'),
    resume: () => child.kill('SIGCONT'),
    async restart() {
      await kill('SIGTERM');
      child = launch(port);
      await waitUntilUp(port, child);
    },
  };
}

/**
 * Two `bus` connections to the shared Redis on 127.0.0.1:6379 for one test file, opened before its tests and closed
 * after them, once the keys matching `cleanupPattern` (what the file wrote) are deleted.
 */
export function useSharedRedisPair(cleanupPattern: string): { a: () => Redis; b: () => Redis } {
  let a: Redis;
  let b: Redis;
  beforeAll(() => {
    a = createRedis('redis://127.0.0.1:6379', { role: 'bus' });
    b = createRedis('redis://127.0.0.1:6379', { role: 'bus' });
  });
  afterAll(async () => {
    const keys: string[] = [];
    for await (const batch of a.scanStream({ match: cleanupPattern })) keys.push(...(batch as string[]));
    if (keys.length > 0) await a.del(...keys);
    await Promise.all([a.quit(), b.quit()]);
  });
  return { a: () => a, b: () => b };
}

/**
 * A private redis-server for one test file, started before its tests and stopped after them, with an admin
 * connection (role `bus`) for the checks the test makes: counters, ACLs, script cache, restarts.
 */
export function usePrivateRedis(): { server: () => TestRedisServer; admin: () => Redis } {
  let server: TestRedisServer;
  let admin: Redis;
  beforeAll(async () => {
    server = await startRedisServer();
    admin = createRedis(server.url, { role: 'bus' });
  });
  afterAll(async () => {
    admin?.disconnect();
    await server?.stop();
  });
  return { server: () => server, admin: () => admin };
}

/** Calls of `command` (e.g. `eval`, `evalsha`) Redis counted since its last `CONFIG RESETSTAT`. */
export async function commandCalls(admin: Redis, command: string): Promise<number> {
  const stats = await admin.info('commandstats');
  const line = stats.split('\r\n').find((entry) => entry.startsWith(`cmdstat_${command}:`));
  return line ? Number(/calls=(\d+)/.exec(line)?.[1]) : 0;
}

/** A private 3-master Redis Cluster on loopback, for tests of the cluster mode. */
export interface TestRedisCluster {
  /** One node's URL: the seed a gateway is given (`REDIS_URL` with `REDIS_CLUSTER=true`). */
  url: string;
  ports: number[];
  /** Kills the node on `port` (SIGKILL) and waits for it to exit; its slots stay assigned to it. */
  kill(port: number): Promise<void>;
  /** Stops every node and removes their cluster config files. */
  stop(): Promise<void>;
}

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`${command} ${args.join(' ')} exited with ${code}: ${output}`)),
    );
  });
}

/**
 * Starts three `redis-server --cluster-enabled yes` on free loopback ports, joins them with
 * `redis-cli --cluster create` (no replicas) and waits until every node reports `cluster_state:ok`.
 */
export async function startRedisCluster(): Promise<TestRedisCluster> {
  const dir = mkdtempSync(path.join(tmpdir(), 'flygate-cluster-'));
  const ports = await Promise.all([freePort(), freePort(), freePort()]);
  const children = ports.map((port) =>
    spawn(
      'redis-server',
      // prettier-ignore
      ['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-config-file', path.join(dir, `nodes-${port}.conf`),
        '--save', '', '--appendonly', 'no', '--dir', dir],
      { stdio: 'ignore' },
    ),
  );
  for (const child of children) child.unref();
  const reap = () => {
    for (const child of children) child.kill('SIGKILL');
  };
  process.once('exit', reap);
  const stop = async () => {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map(exited));
    process.off('exit', reap);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await Promise.all(ports.map((port, i) => waitUntilUp(port, children[i]!)));
    await run('redis-cli', [
      '--cluster',
      'create',
      ...ports.map((port) => `127.0.0.1:${port}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    // `--cluster create` returns once slots are assigned; every node must also agree the cluster is up.
    for (let attempt = 0; ; attempt++) {
      const states = await Promise.all(ports.map((port) => run('redis-cli', ['-p', String(port), 'cluster', 'info'])));
      if (states.every((info) => info.includes('cluster_state:ok'))) break;
      if (attempt >= 200) throw new Error(`redis cluster did not reach cluster_state:ok: ${states.join(' | ')}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const kill = async (port: number) => {
    const child = children[ports.indexOf(port)];
    if (!child) throw new Error(`no cluster node on port ${port}`);
    child.kill('SIGKILL');
    await exited(child);
  };
  return { url: `redis://127.0.0.1:${ports[0]}`, ports, kill, stop };
}
