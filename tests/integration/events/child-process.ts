import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A gateway running in a child process (see fixtures/child-gateway.ts). */
export interface ChildGateway {
  pid: number;
  url: string;
  /** SIGKILL: the process dies holding whatever it held. Resolves once it has exited. */
  kill(): Promise<void>;
}

/** Starts fixtures/child-gateway.ts under `node --import tsx` with exactly `env` (plus PATH). */
export async function spawnChildGateway(env: Record<string, string>): Promise<ChildGateway> {
  const script = fileURLToPath(new URL('./fixtures/child-gateway.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const reap = () => child.kill('SIGKILL');
  process.once('exit', reap);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const line = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) resolve(text.slice(0, text.indexOf('\n')));
    });
    child.once('exit', (code) => reject(new Error(`child gateway exited with ${code} before listening`)));
  });
  const { url, pid } = JSON.parse(line) as { url: string; pid: number };
  return {
    pid,
    url,
    async kill() {
      child.kill('SIGKILL');
      await exited;
      process.off('exit', reap);
    },
  };
}
