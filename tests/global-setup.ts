import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { answersPing } from './helpers/redis-server.js';
import { hasRedisServer } from './redis-availability.js';

const answersOn6379 = () => answersPing(6379);

/**
 * Builds dist/ once (what `npm start` runs; the tests that start the gateway as a process start that). Tests that
 * share a Redis use 127.0.0.1:6379 (CI and this project's dev machines run one there). When nothing
 * answers there but `redis-server` is installed, one is started for the run (keeping nothing on disk) and stopped after.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const built = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: new URL('..', import.meta.url), encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`npm run build failed: ${built.stderr}`);
  let started: ChildProcess | undefined;
  if (hasRedisServer() && !(await answersOn6379())) {
    started = spawn('redis-server', ['--port', '6379', '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    for (let i = 0; i < 50 && !(await answersOn6379()); i++) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return async () => {
    if (!started) return;
    started.kill('SIGTERM');
    await new Promise((resolve) => started!.once('exit', resolve));
  };
}
