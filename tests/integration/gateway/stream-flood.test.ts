import { startDistMain } from '../../helpers/dist-main.js';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createEmulator, type Emulator } from '#src/emulator/emulator.js';

const APP = 'flood';
const LIVE = `query Live($app: String!) @live { app(name: $app) { name machines { nodes { machineId state } } } }`;

/**
 * `dist/main.js` (built by tests/global-setup.ts) with its heap capped as on a 512 MB Fly VM; resolves once it prints
 * its GraphQL URL. The default limits apply: the test proves what a deployed gateway does, not a tuned one.
 */
const startCapped = (env: Record<string, string>) => startDistMain(env, ['--max-old-space-size=384']);

/** Asks for a live query over SSE; resolves with the status and `extensions.code`, leaving an admitted stream open. */
async function sseLive(url: string, streams: AbortController[]): Promise<{ status: number; code?: string }> {
  const abort = new AbortController();
  streams.push(abort);
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ query: LIVE, variables: { app: APP } }),
    signal: abort.signal,
  });
  if (response.status === 200) return { status: 200 };
  const body = (await response.json()) as { errors: Array<{ extensions: { code: string } }> };
  return { status: response.status, code: body.errors[0]?.extensions.code };
}

/** Runs a live query over graphql-ws; resolves with 'data' or the refusal's code. */
function wsLive(client: Client): Promise<string> {
  return new Promise((resolve) => {
    client.subscribe(
      { query: LIVE, variables: { app: APP } },
      {
        next: (result) => resolve(result.errors ? String(result.errors[0]?.extensions?.code) : 'data'),
        error: (error) => resolve(Array.isArray(error) ? String(error[0]?.extensions?.code) : 'socket-error'),
        complete: () => undefined,
      },
    );
  });
}

const count = (values: string[]) => values.reduce<Record<string, number>>((acc, v) => ({ ...acc, [v]: (acc[v] ?? 0) + 1 }), {});

describe('one address flooding a gateway with a 384 MB heap', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = createEmulator({ seed: 'none' });
    await emulator.start();
    emulator.control.createApp(APP);
    for (let i = 0; i < 3; i++) emulator.control.createMachine(APP, { state: 'started', config: { image: 'x:1' } });
  });
  afterAll(() => emulator?.stop());

  it('should refuse SSE streams and live queries past the default caps with 429 / STREAM_LIMIT, stay up and keep answering /healthz', async () => {
    const gateway = await startCapped({
      ...{ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', FLY_API_TOKEN: emulator.token, FLY_API_BASE_URL: emulator.url },
      ...{ SYNC_ENABLED: 'false', FLY_RATE_LIMIT: 'false' },
    });
    const streams: AbortController[] = [];
    const clients: Client[] = [];
    try {
      // SSE has no socket cap of its own: 300 streams from one address, then graphql-ws on top (5 sockets x 100).
      const sse = await Promise.all(Array.from({ length: 300 }, () => sseLive(gateway.url, streams)));
      expect(count(sse.map((answer) => `${answer.status} ${answer.code ?? ''}`.trim()))).toEqual({ '200': 100, '429 STREAM_LIMIT': 200 });

      const wsUrl = gateway.url.replace(/^http/, 'ws');
      for (let i = 0; i < 5; i++) {
        clients.push(
          createClient({ url: wsUrl, webSocketImpl: WebSocket, retryAttempts: 0, lazy: false, onNonLazyError: () => undefined }),
        );
      }
      const ws = await Promise.all(clients.flatMap((client) => Array.from({ length: 100 }, () => wsLive(client))));
      // LIVE_MAX_PER_ADDRESS (200) counts the 100 SSE live queries already open.
      expect(count(ws)).toEqual({ data: 100, STREAM_LIMIT: 400 });

      const health = await fetch(`${gateway.url.replace(/\/graphql$/, '')}/healthz`);
      expect(health.status).toBe(200);
      expect(gateway.child.exitCode).toBeNull();
    } finally {
      for (const stream of streams) stream.abort();
      await Promise.all(clients.map((client) => client.dispose()));
      gateway.child.kill('SIGKILL');
      await gateway.exited;
    }
  }, 30_000);
});
