import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { answersPing } from './helpers/redis-server.js';
import { hasNatsServer, hasRedisServer } from './redis-availability.js';

const answersOn6379 = () => answersPing(6379);

/** Whether a NATS server greets on 127.0.0.1:4222. */
function natsOn4222(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port: 4222 });
    socket.setTimeout(1_000, () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('INFO'));
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Builds dist/ once (what `npm start` runs; the tests that start the gateway as a process start that). Tests that
 * share a Redis use 127.0.0.1:6379 (CI and this project's dev machines run one there). When nothing
 * answers there but `redis-server` is installed, one is started for the run (keeping nothing on disk) and stopped after.
 * Likewise a `nats-server` on 127.0.0.1:4222 for the live-logs tests that follow Fly's NATS log stream.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const built = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: new URL('..', import.meta.url), encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`npm run build failed: ${built.stderr}`);
  const started: ChildProcess[] = [];
  if (hasRedisServer() && !(await answersOn6379())) {
    started.push(spawn('redis-server', ['--port', '6379', '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' }));
    for (let i = 0; i < 50 && !(await answersOn6379()); i++) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (hasNatsServer() && !(await natsOn4222())) {
    const bin = spawnSync('nats-server', ['--version'], { stdio: 'ignore' }).status === 0 ? 'nats-server' : '/usr/sbin/nats-server';
    started.push(spawn(bin, ['-a', '127.0.0.1', '-p', '4222'], { stdio: 'ignore' }));
    for (let i = 0; i < 50 && !(await natsOn4222()); i++) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return async () => {
    for (const child of started) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  };
}
