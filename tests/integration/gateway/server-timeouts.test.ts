import net from 'node:net';
import { createClient } from 'graphql-ws';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestGateway, subscribeSse, type TestGateway } from '../events/harness.js';

/** Small timeouts so each case takes about a second; the checking interval follows from them. */
const SMALL = {
  SERVER_HEADERS_TIMEOUT_MS: '400',
  SERVER_REQUEST_TIMEOUT_MS: '800',
  SERVER_KEEPALIVE_TIMEOUT_MS: '300',
};

/** A raw TCP client: what it received, and when (ms after connecting) the server closed it. */
function rawSocket(base: string) {
  const { port } = new URL(base);
  const socket = net.connect(Number(port), '127.0.0.1');
  const started = Date.now();
  let received = '';
  socket.on('data', (chunk) => (received += chunk.toString('latin1')));
  socket.on('error', () => undefined);
  const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(Date.now() - started)));
  return { socket, closed, received: () => received };
}

/** Writes `text` one byte every `everyMs` while the socket is open. */
async function trickle(socket: net.Socket, text: string, everyMs: number): Promise<void> {
  for (const byte of text) {
    if (socket.destroyed || socket.writableEnded) return;
    socket.write(byte);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** Resolves with the close time, or -1 when the socket is still open after `ms` (a hang guard). */
function closedWithin(closed: Promise<number>, ms: number): Promise<number> {
  return Promise.race([closed, new Promise<number>((resolve) => setTimeout(() => resolve(-1), ms))]);
}

const BODY = JSON.stringify({ query: '{ health { ok } }' });

describe('HTTP server timeouts', () => {
  let gw: TestGateway | undefined;
  afterEach(async () => {
    await gw?.close();
    gw = undefined;
  });

  it('should answer 408 and close a client that sends its headers a byte at a time past SERVER_HEADERS_TIMEOUT_MS', async () => {
    gw = await startTestGateway({ env: SMALL });
    const client = rawSocket(gw.base);
    const request = `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${BODY.length}\r\n\r\n${BODY}`;
    void trickle(client.socket, request, 20);

    const after = await closedWithin(client.closed, 3_000);

    expect(after).toBeGreaterThan(0);
    expect(client.received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('should answer 408 and close a client whose body trickles in past SERVER_REQUEST_TIMEOUT_MS', async () => {
    gw = await startTestGateway({ env: SMALL });
    const client = rawSocket(gw.base);
    client.socket.write(
      `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${BODY.length}\r\n\r\n`,
    );
    void trickle(client.socket, BODY, 50);

    const after = await closedWithin(client.closed, 3_000);

    expect(after).toBeGreaterThan(0);
    expect(client.received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('should close a socket that connects and sends nothing once SERVER_HEADERS_TIMEOUT_MS has passed', async () => {
    gw = await startTestGateway({ env: SMALL });
    const client = rawSocket(gw.base);

    const after = await closedWithin(client.closed, 3_000);

    expect(after).toBeGreaterThanOrEqual(350);
    expect(client.socket.destroyed).toBe(true);
  });

  it('should close an idle keep-alive connection after SERVER_KEEPALIVE_TIMEOUT_MS once its response is sent', async () => {
    gw = await startTestGateway({ env: { ...SMALL, SERVER_HEADERS_TIMEOUT_MS: '5000', SERVER_REQUEST_TIMEOUT_MS: '5000' } });
    const client = rawSocket(gw.base);
    client.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');

    const after = await closedWithin(client.closed, 3_000);

    expect(client.received()).toMatch(/^HTTP\/1\.1 200 /);
    expect(after).toBeGreaterThan(0);
  });

  it('should drop connections over SERVER_MAX_CONNECTIONS at once and keep the ones it has', async () => {
    gw = await startTestGateway({ env: { SERVER_MAX_CONNECTIONS: '2' } });
    const held = [rawSocket(gw.base), rawSocket(gw.base)];
    await Promise.all(held.map((h) => new Promise((resolve) => h.socket.once('connect', resolve))));
    // The server counts a connection once it has accepted it; give it a turn to do so.
    await new Promise((resolve) => setTimeout(resolve, 100));

    const extra = rawSocket(gw.base);
    const after = await closedWithin(extra.closed, 2_000);

    expect(after).toBeGreaterThanOrEqual(0);
    held[0]!.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    await held[0]!.closed;
    expect(held[0]!.received()).toMatch(/^HTTP\/1\.1 200 /);
    held[1]!.socket.destroy();
  });

  it('should keep a graphql-ws socket and an SSE stream open well past SERVER_REQUEST_TIMEOUT_MS', async () => {
    gw = await startTestGateway({ env: SMALL });
    const sse = subscribeSse(gw.graphqlUrl, 'subscription { health(intervalSeconds: 1) { ok } }', {});
    const ws = createClient({ url: gw.wsUrl, webSocketImpl: WebSocket, retryAttempts: 0, lazy: false, onNonLazyError: () => undefined });
    let wsClosed = false;
    ws.on('closed', () => (wsClosed = true));
    const reports: unknown[] = [];
    const stop = ws.subscribe(
      { query: 'subscription { health(intervalSeconds: 1) { ok } }' },
      { next: (r) => reports.push(r.data), error: () => undefined, complete: () => undefined },
    );
    try {
      // Three request timeouts and more.
      for (let i = 0; i < 3; i++) await sse.next(3_000);
      await new Promise((resolve) => setTimeout(resolve, 300));

      expect(wsClosed).toBe(false);
      expect(reports.length).toBeGreaterThanOrEqual(3);
    } finally {
      stop();
      await ws.dispose();
      await sse.close();
    }
  });
});
