import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import { createClient as createSseClient } from 'graphql-sse';
import WebSocket from 'ws';
import { createPullQueue } from '../../helpers/pull-queue.js';

/** What every delivery of the two machine subscriptions carries; the rest is per subscription. */
const DELIVERY = 'kind seq epoch resyncReason app machineId timestamp';

/** `machineStateChanged` with every filter and resume argument as a variable. */
export const STATE_CHANGES = `subscription States($app: String!, $machineId: String, $afterSeq: Int, $epoch: String) {
  machineStateChanged(app: $app, machineId: $machineId, afterSeq: $afterSeq, epoch: $epoch) { ${DELIVERY} from to }
}`;

/** `machineEvents` with every filter and resume argument as a variable. */
export const MACHINE_EVENTS = `subscription Events($app: String!, $machineId: String, $types: [String!], $afterSeq: Int, $epoch: String) {
  machineEvents(app: $app, machineId: $machineId, types: $types, afterSeq: $afterSeq, epoch: $epoch) { ${DELIVERY} event { id type status } }
}`;

/** A delivery as the event subscriptions return it (fields a query did not select are undefined). */
export interface Delivery {
  kind: 'EVENT' | 'RESYNC';
  seq: number | null;
  epoch: string | null;
  resyncReason: string | null;
  app: string | null;
  machineId: string | null;
  timestamp: string | null;
  from?: string | null;
  to?: string | null;
  event?: { id: string; type: string; status: string | null } | null;
  /** `appEvents` only. */
  type?: string | null;
  resourceKind?: string | null;
  resourceId?: string | null;
  state?: string | null;
  version?: string | null;
}

/** One subscription seen from the client side. */
export interface TestSubscriber {
  /** The next delivery; rejects if the server sent an error, or when nothing came within `waitMs` (a hang guard). */
  next(waitMs?: number): Promise<Delivery>;
  /** Deliveries received and not yet taken. */
  buffered(): number;
  /** Resolves with the WebSocket close code once the socket closes (WebSocket subscribers only). */
  readonly closed: Promise<number>;
  /** Resolves with what the server sent instead of data (GraphQL errors, or the close event). */
  readonly failed: Promise<unknown>;
  close(): Promise<void>;
}

const createQueue = () => createPullQueue<Delivery>('delivery');

function rootField(data: Record<string, unknown> | null | undefined): Delivery {
  return Object.values(data ?? {})[0] as Delivery;
}

/** Subscribes over graphql-ws (a real WebSocket, one client per subscriber, no reconnects). */
export function subscribeWs(
  wsUrl: string,
  query: string,
  variables: Record<string, unknown>,
  options: { connectionParams?: Record<string, unknown> } = {},
): TestSubscriber {
  const queue = createQueue();
  let onClosed!: (code: number) => void;
  const closed = new Promise<number>((resolve) => (onClosed = resolve));
  const client: WsClient = createWsClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: options.connectionParams,
    on: { closed: (event) => onClosed((event as { code: number }).code) },
  });
  const dispose = client.subscribe(
    { query, variables },
    {
      next: (result) => (result.errors ? queue.fail(result.errors) : queue.push(rootField(result.data))),
      error: (error) => queue.fail(error),
      complete: () => queue.fail(new Error('subscription completed')),
    },
  );
  return {
    next: queue.next,
    buffered: queue.buffered,
    failed: queue.failed,
    closed,
    async close() {
      dispose();
      await client.dispose();
    },
  };
}

/** Subscribes over Server-Sent Events (graphql-sse, distinct connections mode: one POST per subscription). */
export function subscribeSse(graphqlUrl: string, query: string, variables: Record<string, unknown>): TestSubscriber {
  const queue = createQueue();
  const client = createSseClient({ url: graphqlUrl, retryAttempts: 0 });
  const dispose = client.subscribe(
    { query, variables },
    {
      next: (result) => (result.errors ? queue.fail(result.errors) : queue.push(rootField(result.data as Record<string, unknown>))),
      error: (error) => queue.fail(error),
      complete: () => queue.fail(new Error('subscription completed')),
    },
  );
  return {
    next: queue.next,
    buffered: queue.buffered,
    failed: queue.failed,
    closed: new Promise<number>(() => undefined),
    async close() {
      dispose();
      client.dispose();
    },
  };
}

/**
 * For subscriptions without `afterSeq` (live only): sends `prime()` until one of its events arrives, which proves
 * the server-side subscription is in place. Primes that were in flight may still arrive later; callers skip them.
 */
export async function untilLive(subscriber: TestSubscriber, prime: () => Promise<unknown>, attempts = 50): Promise<Delivery> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    await prime();
    try {
      return await subscriber.next(200);
    } catch (error) {
      if (!String(error).includes('no delivery within')) throw error;
    }
  }
  throw new Error(`the subscription did not go live after ${attempts} primes`);
}
