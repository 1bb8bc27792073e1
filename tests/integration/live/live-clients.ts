import type { FormattedExecutionResult as ExecutionResult } from 'graphql';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import { createClient as createSseClient } from 'graphql-sse';
import WebSocket from 'ws';
import { applyJsonPatch, type JsonPatchOperation } from '#src/api/live/json-patch.js';
import { createPullQueue } from '../../helpers/pull-queue.js';

/** `extensions.live` as the gateway sends it. */
export interface LiveMeta {
  revision: number;
  patch?: JsonPatchOperation[];
}

/** One live message as received, with the data it leaves the client holding once any patch is applied. */
export interface LiveMessage {
  raw: ExecutionResult;
  live: LiveMeta;
  /** The result's data, or the previous data with this message's patch applied. */
  data: Record<string, unknown>;
  /** Bytes of the message's JSON. */
  bytes: number;
  /** `performance.now()` when it arrived. */
  at: number;
}

/** One live query seen from the client side. */
export interface LiveClient {
  /** The next message; rejects on an error or when nothing came within `waitMs`. */
  next(waitMs?: number): Promise<LiveMessage>;
  /** Messages received and not yet taken. */
  buffered(): number;
  /** Resolves with the WebSocket close code (WebSocket clients only). */
  readonly closed: Promise<number>;
  close(): Promise<void>;
}

/** Turns pushed results into a pull queue, applying patches to the data held so far. */
function createLiveQueue() {
  const queue = createPullQueue<LiveMessage>('live message');
  let held: Record<string, unknown> | undefined;
  return {
    push(raw: ExecutionResult) {
      if (raw.errors?.length) {
        queue.fail(new Error(JSON.stringify(raw.errors)));
        return;
      }
      const live = raw.extensions?.live as LiveMeta;
      held = live?.patch ? applyJsonPatch(held, live.patch) : (raw.data as Record<string, unknown>);
      queue.push({ raw, live, data: held!, bytes: Buffer.byteLength(JSON.stringify(raw)), at: performance.now() });
    },
    fail: queue.fail,
    buffered: queue.buffered,
    next: queue.next,
  };
}

/** A graphql-ws client on a real WebSocket (no reconnects), reporting its close code. */
export function openWs(wsUrl: string): { client: WsClient; closed: Promise<number> } {
  let onClosed!: (code: number) => void;
  const closed = new Promise<number>((resolve) => (onClosed = resolve));
  const client = createWsClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: false,
    // Failures reach the subscriptions' error callbacks; graphql-ws would also print them.
    onNonLazyError: () => undefined,
    on: { closed: (event) => onClosed((event as { code: number }).code) },
  });
  return { client, closed };
}

/** Runs a live query over graphql-ws; on `shared` (a client from {@link openWs}) when given, else on its own socket. */
export function liveWs(wsUrl: string, query: string, variables: Record<string, unknown>, shared?: ReturnType<typeof openWs>): LiveClient {
  const queue = createLiveQueue();
  const { client, closed } = shared ?? openWs(wsUrl);
  const dispose = client.subscribe(
    { query, variables },
    {
      next: (result) => queue.push(result as ExecutionResult),
      error: (error) => queue.fail(error),
      complete: () => queue.fail(new Error('live query completed')),
    },
  );
  return {
    next: queue.next,
    buffered: queue.buffered,
    closed,
    async close() {
      dispose();
      if (!shared) await client.dispose();
    },
  };
}

/** Runs a live query over Server-Sent Events (graphql-sse, one POST per operation). */
export function liveSse(graphqlUrl: string, query: string, variables: Record<string, unknown>): LiveClient & { completed: Promise<void> } {
  const queue = createLiveQueue();
  let onCompleted!: () => void;
  const completed = new Promise<void>((resolve) => (onCompleted = resolve));
  const client = createSseClient({ url: graphqlUrl, retryAttempts: 0 });
  const dispose = client.subscribe(
    { query, variables },
    {
      next: (result) => queue.push(result as ExecutionResult),
      error: (error) => queue.fail(error),
      complete: () => {
        onCompleted();
        queue.fail(new Error('live query completed'));
      },
    },
  );
  return {
    next: queue.next,
    buffered: queue.buffered,
    closed: new Promise<number>(() => undefined),
    completed,
    async close() {
      dispose();
      client.dispose();
    },
  };
}
