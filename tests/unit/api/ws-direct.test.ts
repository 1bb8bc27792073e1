import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Writable } from 'node:stream';
import * as ws from 'ws';
import { WebSocket, WebSocketServer } from 'ws';
import { directNext, textFrameHeader, TurnBatcher } from '#src/api/ws-direct.js';

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
    expect(direct.trySend(Buffer.from(JSON.stringify({ data: { blob: 'x'.repeat(300) } })))).toBe(true);
    socket.send(JSON.stringify({ id, type: 'complete' }));
    await expect.poll(() => received.length).toBe(4);
    expect(received).toEqual([
      { id, type: 'next', payload: { data: { tick: { n: 1, label: 'caf\u00e9' } } } },
      { id, type: 'next', payload: { data: { blob: 'y'.repeat(70_000) } } },
      { id, type: 'next', payload: { data: { blob: 'x'.repeat(300) } } },
      { id, type: 'complete' },
    ]);
  });

  it('should hold the frames pushed in one turn until the turn ends, then send them all in order', async () => {
    const { socket, received } = await pair();
    const tcp = (socket as unknown as { _socket: { writableCorked: number } })._socket;
    const direct = directNext(socket, 'burst', new TurnBatcher());
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

  /** Pauses the client's reading and sends 64 KiB results until one has to wait for the socket (2,000 at most). */
  function fillUntilBehind(socket: WebSocket, client: WebSocket, batcher?: TurnBatcher) {
    const clientTcp = (client as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    clientTcp.pause();
    const direct = directNext(socket, 'slow', batcher);
    const chunk = Buffer.from(JSON.stringify({ data: { blob: 'z'.repeat(64 * 1024) } }));
    let sent = 0;
    let waiting: Promise<void> | void = undefined;
    while (!waiting && sent < 2_000) {
      waiting = direct.send(chunk);
      sent += 1;
    }
    expect(waiting).toBeInstanceOf(Promise);
    return { clientTcp, direct, chunk, sent, waiting: waiting as Promise<void> };
  }

  it('should make the next event wait while the client is not reading, and deliver everything once it reads again', async () => {
    const { socket, client, received } = await pair();
    // Kernel buffers take a few MiB on loopback; past them the socket's own queue grows until it is behind.
    const { clientTcp, direct, chunk, sent, waiting } = fillUntilBehind(socket, client);
    // Behind: the pushing path declines the event (and writes nothing), so it waits its turn in next().
    const queued = (socket as unknown as { _socket: { writableLength: number } })._socket.writableLength;
    expect(direct.trySend(chunk)).toBe(false);
    expect((socket as unknown as { _socket: { writableLength: number } })._socket.writableLength).toBe(queued);
    let flushed = false;
    void waiting.then(() => (flushed = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(flushed).toBe(false);
    clientTcp.resume();
    await waiting;
    await expect.poll(() => received.length, { timeout: 10_000 }).toBe(sent);
  });

  /** Counts the server socket's writes to the kernel: one per `_write`, one per `_writev` (a gathered write). */
  function countWrites(socket: WebSocket) {
    const tcp = (socket as unknown as { _socket: Writable & Record<'_write' | '_writev', (...args: unknown[]) => unknown> })._socket;
    const counts = { single: 0, gathered: 0, frames: 0 };
    const write = tcp._write.bind(tcp);
    const writev = tcp._writev.bind(tcp);
    tcp._write = (...args: unknown[]) => ((counts.single += 1), (counts.frames += 1), write(...args));
    tcp._writev = (chunks: unknown, ...rest: unknown[]) => {
      counts.gathered += 1;
      counts.frames += (chunks as unknown[]).length;
      return writev(chunks, ...rest);
    };
    return { counts, tcp };
  }

  it('should write the frames one socket gets in one turn in a single gathered write, complete and in order', async () => {
    const { socket, received } = await pair();
    const { counts } = countWrites(socket);
    const batcher = new TurnBatcher();
    const first = directNext(socket, 'a', batcher);
    const second = directNext(socket, 'b', batcher);
    for (let n = 1; n <= 3; n++) {
      expect(first.trySend(Buffer.from(`{"data":{"n":${n}}}`))).toBe(true);
      expect(second.send(Buffer.from(`{"data":{"n":${n}}}`))).toBeUndefined();
    }
    // ws's own messages in the same turn (graphql-ws's complete, a ping) join the same write, in their place.
    socket.send(JSON.stringify({ id: 'a', type: 'complete' }));
    expect(counts).toEqual({ single: 0, gathered: 0, frames: 0 });
    await expect.poll(() => received.length).toBe(7);
    expect(counts.gathered).toBe(1);
    expect(counts.single).toBe(0);
    expect(received).toEqual([
      ...[1, 2, 3].flatMap((n) => ['a', 'b'].map((id) => ({ id, type: 'next', payload: { data: { n } } }))),
      { id: 'a', type: 'complete' },
    ]);
  });

  it('should write a lone frame at the end of its turn, without waiting for a timer', async () => {
    const { socket, received } = await pair();
    const { counts, tcp } = countWrites(socket);
    const direct = directNext(socket, 'a', new TurnBatcher());
    expect(direct.trySend(Buffer.from('{"data":{"n":1}}'))).toBe(true);
    expect(tcp.writableCorked).toBe(1);
    await Promise.resolve();
    expect(tcp.writableCorked).toBe(0);
    expect(counts).toEqual({ single: 1, gathered: 0, frames: 1 });
    await expect.poll(() => received).toEqual([{ id: 'a', type: 'next', payload: { data: { n: 1 } } }]);
  });

  it('should hold a client that is not reading to the same limit when its frames are gathered, and deliver everything later', async () => {
    const { socket, client, received } = await pair();
    // All in one turn: nothing reaches the kernel yet, so the corked bytes alone must trip the limit.
    const { clientTcp, direct, chunk, sent, waiting } = fillUntilBehind(socket, client, new TurnBatcher());
    expect(sent).toBeLessThanOrEqual(Math.ceil((256 * 1024) / chunk.length) + 1);
    expect(direct.trySend(chunk)).toBe(false);
    clientTcp.resume();
    await waiting;
    await expect.poll(() => received.length, { timeout: 10_000 }).toBe(sent);
    expect(received.every((message) => (message as { id: string }).id === 'slow')).toBe(true);
  });
});
