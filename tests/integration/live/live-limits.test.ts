import { createClient } from 'graphql-ws';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestGateway, uniqueApp, type TestGateway } from '../events/harness.js';
import { liveWs, openWs } from './live-clients.js';

const LIVE_APP = 'query Live($app: String!) @live { app(name: $app) { name } }';
const SLOW_HEALTH = 'subscription { health(intervalSeconds: 300) { ok } }';

interface SseAnswer {
  status: number;
  retryAfter: string | null;
  /** The JSON body of a refusal (a stream's body is left unread). */
  body?: { errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
  close(): void;
}

/** POSTs an operation asking for an event stream and reads the body only when it is not one. */
async function sse(graphqlUrl: string, query: string, variables: Record<string, unknown> = {}): Promise<SseAnswer> {
  const abort = new AbortController();
  const response = await fetch(graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ query, variables }),
    signal: abort.signal,
  });
  const streaming = response.headers.get('content-type')?.startsWith('text/event-stream') === true;
  let body: SseAnswer['body'];
  if (!streaming) body = (await response.json()) as SseAnswer['body'];
  else if (response.status !== 200) body = parseFirstEvent(await readUntilEvent(response));
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body, close: () => abort.abort() };
}

async function readUntilEvent(response: Response): Promise<string> {
  const reader = response.body!.getReader();
  let text = '';
  while (!text.includes('\n\n', text.indexOf('data:'))) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  await reader.cancel().catch(() => undefined);
  return text;
}

function parseFirstEvent(text: string): SseAnswer['body'] {
  const line = text.split('\n').find((l) => l.startsWith('data:'));
  return line ? (JSON.parse(line.slice(5)) as SseAnswer['body']) : undefined;
}

/** Subscribes over graphql-ws and resolves with the first result, or the `error` message the server sent (a refusal). */
function firstOf(client: ReturnType<typeof openWs>['client'], query: string, variables: Record<string, unknown> = {}) {
  let stop!: () => void;
  const first = new Promise<{ data?: unknown; errors?: unknown; error?: unknown }>((resolve) => {
    stop = client.subscribe(
      { query, variables },
      {
        next: (result) => resolve({ data: result.data, errors: result.errors }),
        error: (error) => resolve({ error }),
        complete: () => undefined,
      },
    );
  });
  return { first, stop };
}

describe('stream and live-query limits', () => {
  let gw: TestGateway | undefined;
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
    await gw?.close();
    gw = undefined;
  });

  async function start(env: Record<string, string>): Promise<{ gw: TestGateway; app: string }> {
    gw = await startTestGateway({ env });
    const app = uniqueApp('limits');
    gw.emu.control.createApp(app);
    return { gw, app };
  }

  it('should answer 429 STREAM_LIMIT with Retry-After to the SSE stream over SSE_MAX_STREAMS_PER_ADDRESS, and admit again once one closes', async () => {
    const { gw, app } = await start({ SSE_MAX_STREAMS_PER_ADDRESS: '3' });
    const open = await Promise.all([0, 1, 2].map(() => sse(gw.graphqlUrl, LIVE_APP, { app })));
    cleanups.push(() => open.forEach((s) => s.close()));
    expect(open.map((s) => s.status)).toEqual([200, 200, 200]);

    const over = await sse(gw.graphqlUrl, LIVE_APP, { app });

    expect(over.status).toBe(429);
    expect(over.retryAfter).toBe('5');
    expect(over.body?.errors?.[0]?.extensions).toMatchObject({ code: 'STREAM_LIMIT', limit: 3 });
    open[0]!.close();
    await expect.poll(async () => (await sse(gw.graphqlUrl, LIVE_APP, { app })).status, { timeout: 5_000 }).toBe(200);
  });

  it('should refuse the live query over LIVE_MAX_PER_ADDRESS on graphql-ws with STREAM_LIMIT and keep the socket open for other operations', async () => {
    const { gw, app } = await start({ LIVE_MAX_PER_ADDRESS: '2' });
    const socket = openWs(gw.wsUrl);
    cleanups.push(() => socket.client.dispose());
    const lives = [liveWs(gw.wsUrl, LIVE_APP, { app }, socket), liveWs(gw.wsUrl, LIVE_APP, { app }, socket)];
    for (const live of lives) await live.next(5_000);

    const over = await firstOf(socket.client, LIVE_APP, { app }).first;

    expect(over.error).toEqual([expect.objectContaining({ extensions: { code: 'STREAM_LIMIT', limit: 2, retryAfterSeconds: 5 } })]);
    // Not a live query: only the live cap was reached, and the socket is still there.
    await expect(firstOf(socket.client, SLOW_HEALTH).first).resolves.toMatchObject({ data: { health: { ok: true } } });
    await lives[0]!.close();
    await expect
      .poll(async () => (await firstOf(socket.client, LIVE_APP, { app }).first).data, { timeout: 5_000 })
      .toEqual({ app: { name: app } });
  });

  it('should count live queries per client address apart and all of them against LIVE_MAX_PER_PROCESS when several addresses connect', async () => {
    const { gw, app } = await start({ LIVE_MAX_PER_ADDRESS: '3', LIVE_MAX_PER_PROCESS: '5' });
    // Every 127.x.y.z address is loopback on Linux: each client connects from an address of its own.
    const from = (localAddress: string) => {
      class FromAddress extends WebSocket {
        constructor(url: string | URL, protocols?: string | string[]) {
          super(url, protocols, { localAddress });
        }
      }
      const client = createClient({
        url: gw.wsUrl,
        webSocketImpl: FromAddress,
        retryAttempts: 0,
        lazy: false,
        onNonLazyError: () => undefined,
      });
      cleanups.push(() => client.dispose());
      return client;
    };
    const [a, b] = [from('127.0.0.2'), from('127.0.0.3')];
    const codeOf = (answer: { data?: unknown; error?: unknown }) =>
      answer.data ? 'data' : ((answer.error as Array<{ extensions?: { limit?: number } }>)[0]?.extensions?.limit ?? 'other');
    const firstFour = await Promise.all([0, 1, 2, 3].map(() => firstOf(a, LIVE_APP, { app }).first));
    // 127.0.0.2 is over its own cap (3) only.
    expect(firstFour.map(codeOf).sort()).toEqual([3, 'data', 'data', 'data']);
    const fromB = await Promise.all([0, 1, 2].map(() => firstOf(b, LIVE_APP, { app }).first));
    // 127.0.0.3 has room of its own, but the process holds 5 at most.
    expect(fromB.map(codeOf).sort()).toEqual([5, 'data', 'data']);
  });

  it('should answer 429 to an SSE live query over LIVE_MAX_PER_PROCESS, counted with graphql-ws live queries', async () => {
    const { gw, app } = await start({ LIVE_MAX_PER_PROCESS: '2' });
    const socket = openWs(gw.wsUrl);
    cleanups.push(() => socket.client.dispose());
    await liveWs(gw.wsUrl, LIVE_APP, { app }, socket).next(5_000);
    const first = await sse(gw.graphqlUrl, LIVE_APP, { app });
    cleanups.push(first.close);
    expect(first.status).toBe(200);

    const over = await sse(gw.graphqlUrl, LIVE_APP, { app });

    expect(over.status).toBe(429);
    expect(over.retryAfter).toBe('5');
    expect(over.body?.errors?.[0]?.extensions).toMatchObject({ code: 'STREAM_LIMIT', limit: 2 });
    expect((await firstOf(socket.client, LIVE_APP, { app }).first).error).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'STREAM_LIMIT', limit: 2 }) }),
    ]);
  });

  it('should count SSE streams and graphql-ws operations against STREAMS_MAX_PER_PROCESS together', async () => {
    const { gw } = await start({ STREAMS_MAX_PER_PROCESS: '3' });
    const socket = openWs(gw.wsUrl);
    cleanups.push(() => socket.client.dispose());
    const subs = [firstOf(socket.client, SLOW_HEALTH), firstOf(socket.client, SLOW_HEALTH)];
    for (const sub of subs) await expect(sub.first).resolves.toMatchObject({ data: { health: { ok: true } } });
    const stream = await sse(gw.graphqlUrl, SLOW_HEALTH);
    cleanups.push(stream.close);
    expect(stream.status).toBe(200);

    const overSse = await sse(gw.graphqlUrl, SLOW_HEALTH);
    const overWs = await firstOf(socket.client, SLOW_HEALTH).first;

    expect(overSse.status).toBe(429);
    expect(overSse.body?.errors?.[0]?.extensions).toMatchObject({ code: 'STREAM_LIMIT', limit: 3 });
    expect(overWs.error).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'STREAM_LIMIT', limit: 3 }) })]);
    // A completed operation gives its slot back.
    subs[0]!.stop();
    await expect
      .poll(async () => (await firstOf(socket.client, SLOW_HEALTH).first).data, { timeout: 5_000 })
      .toMatchObject({ health: { ok: true } });
  });

  it('should shed new streams with 503 OVERLOADED over SSE and an OVERLOADED error over graphql-ws when the heap is above the ratio', async () => {
    // Any gateway's heap is above 1 % of its limit: every new stream is shed.
    const { gw, app } = await start({ STREAMS_SHED_HEAP_RATIO: '0.01' });
    const socket = openWs(gw.wsUrl);
    cleanups.push(() => socket.client.dispose());

    const overSse = await sse(gw.graphqlUrl, LIVE_APP, { app });
    const overWs = await firstOf(socket.client, LIVE_APP, { app }).first;

    expect(overSse.status).toBe(503);
    expect(overSse.retryAfter).toBe('5');
    expect(overSse.body?.errors?.[0]?.extensions).toMatchObject({ code: 'OVERLOADED' });
    expect(overWs.error).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'OVERLOADED' }) })]);
    // Plain HTTP queries and health are not streams: they still answer.
    expect((await fetch(`${gw.base}/healthz`)).status).toBe(200);
    const metrics = await (await fetch(`${gw.base}/metrics`)).text();
    expect(metrics).toContain('flygate_streams_refused_total{kind="sse",code="OVERLOADED"} 1');
    expect(metrics).toContain('flygate_streams_refused_total{kind="ws",code="OVERLOADED"} 1');
  });
});
