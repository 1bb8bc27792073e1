/**
 * One graphql-transport-ws subscription on its own socket, spoken directly over ws: connection_init, wait for the
 * ack, one subscribe, `next` payloads to the caller, pong for a protocol ping. It is the same protocol the
 * graphql-ws client speaks, minus its per-message EventTarget events and validation, so that with ten thousand
 * sockets on one core the load generator is not slower than the gateway it measures (the graphql-ws client costs
 * about as much CPU per delivery as the gateway itself; bench/fanout.ts --client graphql-ws runs it instead).
 */
import WebSocket from 'ws';

export interface LeanHandlers {
  /** The socket is acknowledged and the subscription sent. */
  connected(): void;
  next(payload: { data?: unknown; errors?: unknown }): void;
  error(error: unknown): void;
}

export interface LeanSubscriber {
  dispose(): Promise<void>;
}

export function leanSubscribe(url: string, payload: { query: string; variables?: object }, on: LeanHandlers): LeanSubscriber {
  const socket = new WebSocket(url, 'graphql-transport-ws', { perMessageDeflate: false });
  socket.on('open', () => socket.send('{"type":"connection_init"}'));
  socket.on('message', (data: Buffer) => {
    const message = JSON.parse(data.toString()) as { type: string; payload?: never };
    if (message.type === 'next') on.next(message.payload!);
    else if (message.type === 'connection_ack') {
      socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload }));
      on.connected();
    } else if (message.type === 'ping') socket.send('{"type":"pong"}');
    else if (message.type === 'error') on.error(message.payload);
  });
  socket.on('error', (error) => on.error(error.message));
  socket.on('close', (code, reason) => {
    if (code !== 1000) on.error(`closed ${code} ${String(reason)}`);
  });
  return {
    dispose: () =>
      new Promise<void>((resolve) => {
        if (socket.readyState === WebSocket.CLOSED) return resolve();
        socket.once('close', () => resolve());
        socket.close(1000);
      }),
  };
}
