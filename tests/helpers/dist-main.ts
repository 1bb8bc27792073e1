import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

/** A gateway process started from `dist/main.js`, as `npm start` and the image run it. */
export interface DistMain {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
}

/**
 * Runs `dist/main.js` (built by tests/global-setup.ts) with exactly `env` (plus PATH) and these node flags, and resolves
 * once it prints its GraphQL URL; rejects with its output if it exits first.
 */
export async function startDistMain(env: Record<string, string>, nodeFlags: string[] = ['--enable-source-maps']): Promise<DistMain> {
  const child = spawn(process.execPath, [...nodeFlags, 'dist/main.js'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /GraphQL (?:and GraphiQL )?at (http:\/\/\S+\/graphql)/.exec(output);
      if (match) resolve(match[1]!);
    });
    void exited.then((code) => reject(new Error(`gateway exited with ${code}: ${output}`)));
  });
  return { child, url, exited, output: () => output };
}
