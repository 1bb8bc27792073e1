/**
 * Subscription results written to a graphql-ws socket without going through graphql-ws's per-socket
 * serialisation: see {@link directNext}.
 */
import type { Duplex } from 'node:stream';
import { WebSocket } from 'ws';
import type { DirectNext } from './plugins/shared-subscription-results.js';

/** Bytes a socket may have queued before a subscriber's next event waits for them to be written. */
const DIRECT_HIGH_WATER_BYTES = 256 * 1024;
const CLOSING_BRACE = Buffer.from('}');
const CLOSING_BRACE_BYTE = 0x7d;

/** Bytes of the header of a text frame of `length` payload bytes: 2, 4 or 10 (RFC 6455 §5.2). */
function headerSize(length: number): number {
  return length < 126 ? 2 : length < 0x10000 ? 4 : 10;
}

/** Writes the header of an unmasked, final text frame of `length` payload bytes at the start of `frame`. */
function putTextFrameHeader(frame: Buffer, length: number): void {
  frame[0] = 0x81;
  if (length < 126) {
    frame[1] = length;
  } else if (length < 0x10000) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
}

/** The header of an unmasked, final text frame of `length` payload bytes (a server never masks). */
export function textFrameHeader(length: number): Buffer {
  const header = Buffer.alloc(headerSize(length));
  putTextFrameHeader(header, length);
  return header;
}

/**
 * Gathers the frames written to a socket during one turn of the event loop into one system call. When events
 * queue (webhooks posted faster than the fan-out runs), the bus hands every pending event on in one synchronous
 * pass, so a socket gets several frames in a row; written one by one, each is a system call of its own, and on
 * loopback the kernel's TCP work runs in that call (the largest part of a fan-out's CPU). The first frame of a turn
 * corks the TCP socket; once the turn's synchronous work is done (a microtask, not a timer, so a lone event waits
 * for nothing), every corked socket is uncorked and writes what it gathered at once. Corked bytes count in the
 * socket's `writableLength`, so the high-water mark below still holds a slow client back.
 */
export class TurnBatcher {
  #corked: Duplex[] = [];
  readonly #uncork = (): void => {
    const corked = this.#corked;
    this.#corked = [];
    for (const tcp of corked) tcp.uncork();
  };

  /** Corks `tcp` until the end of this turn, unless it is corked already. */
  hold(tcp: Duplex): void {
    // Corked already: by us earlier in this turn, or by someone who uncorks it themselves (ws, framing a message).
    if (tcp.writableCorked > 0) return;
    tcp.cork();
    if (this.#corked.push(tcp) === 1) queueMicrotask(this.#uncork);
  }
}

/**
 * A `next` message for subscription `id`, written straight to the socket: the frame graphql-ws would send
 * (`{"id","type":"next","payload"}`), built around the shared result's bytes, which are encoded once per event for
 * every socket. Without a compression extension ws writes each frame to the TCP socket at once and queues nothing,
 * so a whole frame written to that socket here cannot interleave with one of ws's own; with one (never negotiated
 * by our server today) the message goes through ws. Like graphql-ws it waits for the write only when the socket is
 * behind, so a slow client holds back its own events (its bus buffer then overflows into a RESYNC), never anyone
 * else's.
 */
export function directNext(socket: WebSocket, id: string, batcher?: TurnBatcher): DirectNext {
  return new DirectSender(socket, Buffer.from(`{"id":${JSON.stringify(id)},"type":"next","payload":`), batcher);
}

/** {@link directNext}'s sender: a class, so each open subscription holds one small object, not five closures. */
class DirectSender implements DirectNext {
  readonly #socket: WebSocket;
  /** `{"id":…,"type":"next","payload":` for this subscription. */
  readonly #head: Buffer;
  /** Shared by the server's sockets: gathers each socket's frames of one turn into one write. */
  readonly #batcher: TurnBatcher | undefined;

  constructor(socket: WebSocket, head: Buffer, batcher: TurnBatcher | undefined) {
    this.#socket = socket;
    this.#head = head;
    this.#batcher = batcher;
  }

  /** The TCP socket to write frames to, or undefined when ws must frame them (an extension was negotiated). */
  #tcp(): Duplex | undefined {
    const tcp = (this.#socket as WebSocket & { _socket?: Duplex })._socket;
    return tcp && this.#socket.extensions === '' ? tcp : undefined;
  }

  #queued(tcp: Duplex | undefined): number {
    return tcp ? tcp.writableLength : this.#socket.bufferedAmount;
  }

  /** Writes one frame around `result`, on the TCP socket itself or (with an extension) through ws. */
  #write(tcp: Duplex | undefined, result: Buffer, done?: () => void): void {
    const head = this.#head;
    const length = head.length + result.length + 1;
    if (!tcp) {
      this.#socket.send(Buffer.concat([head, result, CLOSING_BRACE], length), { binary: false }, done);
      return;
    }
    // One buffer per frame, header included (small ones come from Node's shared pool): the fewest objects per delivery.
    const at = headerSize(length);
    const frame = Buffer.allocUnsafe(at + length);
    putTextFrameHeader(frame, length);
    head.copy(frame, at);
    result.copy(frame, at + head.length);
    frame[at + length - 1] = CLOSING_BRACE_BYTE;
    this.#batcher?.hold(tcp);
    tcp.write(frame, done);
  }

  send(result: Buffer): Promise<void> | void {
    if (this.#socket.readyState !== WebSocket.OPEN) return;
    const tcp = this.#tcp();
    if (this.#queued(tcp) < DIRECT_HIGH_WATER_BYTES) return this.#write(tcp, result);
    return new Promise<void>((resolve) => this.#write(tcp, result, () => resolve()));
  }

  trySend(result: Buffer): boolean {
    // A closed socket takes the event and drops it, as graphql-ws would; one that is behind gets it through send().
    if (this.#socket.readyState !== WebSocket.OPEN) return true;
    const tcp = this.#tcp();
    if (this.#queued(tcp) >= DIRECT_HIGH_WATER_BYTES) return false;
    // Pushed events come in bursts within one turn (one bus read of several events, a page of log lines): the
    // batcher makes their frames leave in one write when the turn ends, not one write each.
    this.#write(tcp, result);
    return true;
  }
}
