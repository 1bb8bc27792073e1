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

/** The header of an unmasked, final text frame of `length` payload bytes (RFC 6455 §5.2; a server never masks). */
export function textFrameHeader(length: number): Buffer {
  if (length < 126) return Buffer.from([0x81, length]);
  if (length < 0x10000) return Buffer.from([0x81, 126, length >> 8, length & 0xff]);
  const header = Buffer.alloc(10);
  header[0] = 0x81;
  header[1] = 127;
  header.writeBigUInt64BE(BigInt(length), 2);
  return header;
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
export function directNext(socket: WebSocket, id: string): DirectNext {
  const head = Buffer.from(`{"id":${JSON.stringify(id)},"type":"next","payload":`);
  const tcpOf = () => {
    const tcp = (socket as WebSocket & { _socket?: Duplex })._socket;
    return tcp && socket.extensions === '' ? tcp : undefined;
  };
  const queued = (tcp: Duplex | undefined) => (tcp ? tcp.writableLength : socket.bufferedAmount);
  /** Writes one frame around `result`, on the TCP socket itself or (with an extension) through ws. */
  const write = (tcp: Duplex | undefined, result: Buffer, done?: () => void) => {
    const length = head.length + result.length + 1;
    if (!tcp) {
      socket.send(Buffer.concat([head, result, CLOSING_BRACE], length), { binary: false }, done);
      return;
    }
    const header = textFrameHeader(length);
    tcp.write(Buffer.concat([header, head, result, CLOSING_BRACE], header.length + length), done);
  };
  return {
    send(result) {
      if (socket.readyState !== WebSocket.OPEN) return;
      const tcp = tcpOf();
      if (queued(tcp) < DIRECT_HIGH_WATER_BYTES) return void write(tcp, result);
      return new Promise<void>((resolve) => write(tcp, result, () => resolve()));
    },
    trySend(result) {
      // A closed socket takes the event and drops it, as graphql-ws would; one that is behind gets it through send().
      if (socket.readyState !== WebSocket.OPEN) return true;
      const tcp = tcpOf();
      if (queued(tcp) >= DIRECT_HIGH_WATER_BYTES) return false;
      write(tcp, result);
      return true;
    },
  };
}
