import { startDistMain } from '../../helpers/dist-main.js';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createEmulator, type Emulator } from '#src/emulator/emulator.js';

const startMain = (env: Record<string, string>) => startDistMain(env);

/** Polls `condition` every 10 ms; fails after `timeoutMs` naming what it waited for. */
async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('npm start on SIGTERM', () => {
  let emulator: Emulator;

  beforeAll(async () => {
    emulator = createEmulator({ seed: 'demo' });
    await emulator.start();
  });
  afterAll(() => emulator?.stop());

  it('should close subscriptions with 1001, finish the request in flight and exit 0 when it receives SIGTERM', async () => {
    const gateway = await startMain({
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      FLY_API_TOKEN: emulator.token,
      FLY_API_BASE_URL: emulator.url,
      SYNC_ENABLED: 'false',
    });
    try {
      const client = createClient({
        url: gateway.url.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        lazy: false,
        onNonLazyError: () => undefined,
      });
      const closed = new Promise<number>((resolve) => client.on('closed', (event) => resolve((event as { code: number }).code)));
      await new Promise<void>((resolve) => client.on('connected', () => resolve()));
      client.subscribe(
        { query: 'subscription { machineStateChanged(app: "demo-web") { kind } }' },
        { next: () => {}, error: () => {}, complete: () => {} },
      );

      // A query that is still waiting on Fly when the signal arrives must get its answer.
      emulator.faults.add({ route: 'apps.list', latencyMs: 800, times: 1 });
      const listsBefore = emulator.requestCounts()['apps.list'] ?? 0;
      const inFlight = fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ apps { nodes { name } } }' }),
      });
      // Signal only once the emulator holds the request (inside its 800 ms latency), not after a guessed sleep.
      await until(() => (emulator.requestCounts()['apps.list'] ?? 0) > listsBefore, 'the emulator to receive apps.list');
      gateway.child.kill('SIGTERM');

      expect(await closed).toBe(1001);
      const response = await inFlight;
      expect(response.status).toBe(200);
      const body = (await response.json()) as { data?: { apps: { nodes: unknown[] } }; errors?: unknown[] };
      expect(body.errors).toBeUndefined();
      expect(body.data?.apps.nodes.length).toBeGreaterThan(0);
      expect(await gateway.exited).toBe(0);
      await client.dispose();
    } finally {
      gateway.child.kill('SIGKILL');
    }
  }, 60_000);
});
