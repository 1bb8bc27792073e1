import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Writable } from 'node:stream';
import * as ws from 'ws';
import { WebSocket, WebSocketServer } from 'ws';
import { directNext, textFrameHeader } from '#src/api/ws-direct.js';

/** ws's frame parser: exported by the package, left out of its type declarations. */
const { Receiver } = ws as unknown as { Receiver: new (options: { isServer: boolean }) => Writable };

/** Decodes server frames with ws's own parser, as a client would. */
function decode(frames: Buffer): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const receiver = new Receiver({ isServer: false });
    const messages: string[] = [];
    receiver.on('message', (data: Buffer, isBinary: boolean) => messages.push(isBinary ? 'binary!' : data.toString('utf8')));
    receiver.on('error', reject);
    receiver.write(frames, () => resolve(messages));
  });
}

describe('textFrameHeader', () => {
  it.each([0, 1, 125, 126, 127, 65_535, 65_536, 70_000])('should frame a %i-byte text message the way ws reads it', async (length) => {
    const payload = Buffer.alloc(length, 'x');
    const messages = await decode(Buffer.concat([textFrameHeader(length), payload]));
    expect(messages).toEqual([payload.toString('utf8')]);
  });
});

describe('directNext', () => {
  let server: WebSocketServer | undefined;
  afterEach(async () => {
    for (const client of server?.clients ?? []) client.terminate();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  async function pair() {
    server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => server!.once('listening', () => resolve()));
    const accepted = new Promise<WebSocket>((resolve) => server!.once('connection', resolve));
    const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
    const received: unknown[] = [];
    client.on('message', (data) => received.push(JSON.parse(String(data))));
    await new Promise((resolve) => client.once('open', resolve));
    return { client, socket: await accepted, received };
  }

  it('should send graphql-ws next messages around the shared bytes, in order, for any id', async () => {
    const { socket, received } = await pair();
    const id = 'sub "1" \u00e9';
    const direct = directNext(socket, id);
    const shared = Buffer.from(JSON.stringify({ data: { tick: { n: 1, label: 'caf\u00e9' } } }));
    const big = Buffer.from(JSON.stringify({ data: { blob: 'y'.repeat(70_000) } }));
    expect(direct.send(shared)).toBeUndefined();
    expect(direct.trySend(big)).toBe(true);
    socket.send(JSON.stringify({ id, type: 'complete' }));
    await expect.poll(() => received.length).toBe(3);
    expect(received).toEqual([
      { id, type: 'next', payload: { data: { tick: { n: 1, label: 'caf\u00e9' } } } },
      { id, type: 'next', payload: { data: { blob: 'y'.repeat(70_000) } } },
      { id, type: 'complete' },
    ]);
  });

  it('should hold the frames pushed in one turn until the turn ends, then send them all in order', async () => {
    const { socket, received } = await pair();
    const tcp = (socket as unknown as { _socket: { writableCorked: number } })._socket;
    const direct = directNext(socket, 'burst');
    for (let n = 1; n <= 50; n++) expect(direct.trySend(Buffer.from(JSON.stringify({ data: { n } })))).toBe(true);
    // Corked once for the whole burst, not once per frame.
    expect(tcp.writableCorked).toBe(1);
    await new Promise((resolve) => process.nextTick(resolve));
    expect(tcp.writableCorked).toBe(0);
    await expect.poll(() => received.length).toBe(50);
    expect(received).toEqual(Array.from({ length: 50 }, (_, i) => ({ id: 'burst', type: 'next', payload: { data: { n: i + 1 } } })));
  });

  it('should send nothing once the socket is no longer open', async () => {
    const { socket, client, received } = await pair();
    const tcp = (socket as unknown as { _socket: { write: (...args: unknown[]) => boolean } })._socket;
    const closed = new Promise((resolve) => client.once('close', resolve));
    socket.close(1000, 'bye');
    let writes = 0;
    const write = tcp.write.bind(tcp);
    tcp.write = (...args: unknown[]) => {
      writes += 1;
      return write(...args);
    };
    expect(directNext(socket, 'a').send(Buffer.from('{"data":null}'))).toBeUndefined();
    // Taken (so the event does not wait for a socket that is gone) and dropped.
    expect(directNext(socket, 'a').trySend(Buffer.from('{"data":null}'))).toBe(true);
    expect(writes).toBe(0);
    await closed;
    expect(received).toEqual([]);
  });

  it('should make the next event wait while the client is not reading, and deliver everything once it reads again', async () => {
    const { socket, client, received } = await pair();
    const clientTcp = (client as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    clientTcp.pause();
    const direct = directNext(socket, 'slow');
    const chunk = Buffer.from(JSON.stringify({ data: { blob: 'z'.repeat(64 * 1024) } }));
    let sent = 0;
    let waiting: Promise<void> | void = undefined;
    // Kernel buffers take a few MiB on loopback; past them the socket's own queue grows until it is behind.
    while (!waiting && sent < 2_000) {
      waiting = direct.send(chunk);
      sent += 1;
    }
    expect(waiting).toBeInstanceOf(Promise);
    // Behind: the pushing path declines the event (and writes nothing), so it waits its turn in next().
    const queued = (socket as unknown as { _socket: { writableLength: number } })._socket.writableLength;
    expect(direct.trySend(chunk)).toBe(false);
    expect((socket as unknown as { _socket: { writableLength: number } })._socket.writableLength).toBe(queued);
    let flushed = false;
    void (waiting as Promise<void>).then(() => (flushed = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(flushed).toBe(false);
    clientTcp.resume();
    await waiting;
    await expect.poll(() => received.length, { timeout: 10_000 }).toBe(sent);
  });
});
