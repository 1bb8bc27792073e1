import type { ChildProcess } from 'node:child_process';

/** A gateway running in a child process that answers the bench over IPC (its first message is `{ url }`). */
export interface GatewayChild {
  base: string;
  wsUrl: string;
  /** Sends `message` (or nothing) and resolves with the child's next answer. */
  ask<T>(message?: string): Promise<T>;
  /** Asks the child to stop and waits for it (at most `graceMs`, then kills it). */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Wraps a spawned gateway child (stdio with an `ipc` channel): waits for its URL, and kills it when the bench exits,
 * however the bench ends. The benches that start one (fanout, subscribers-fanout, live-flood) share this.
 */
export async function attachGatewayChild(child: ChildProcess): Promise<GatewayChild> {
  process.once('exit', () => child.kill('SIGKILL'));
  const ask = <T>(message?: string) =>
    new Promise<T>((resolve, reject) => {
      child.once('message', (answer) => resolve(answer as T));
      child.once('exit', (code) => reject(new Error(`gateway child exited with ${code}`)));
      if (message) child.send(message);
    });
  const { url } = await ask<{ url: string }>();
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    base: url.replace(/\/graphql$/, ''),
    wsUrl: url.replace(/^http/, 'ws'),
    ask,
    async stop(graceMs = Infinity) {
      child.send('stop');
      if (graceMs === Infinity) await exited;
      else await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, graceMs))]);
      child.kill('SIGKILL');
    },
  };
}
