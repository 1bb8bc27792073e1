import { randomUUID } from 'node:crypto';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import { createClient as createSseClient } from 'graphql-sse';
import WebSocket from 'ws';
import { loadConfig } from '../../../src/config/load-config.js';
import { createEmulator, type Emulator } from '../../../src/emulator/emulator.js';
import { createGateway, type Gateway } from '../../../src/gateway.js';
import { createManualClock, systemClock, type Clock, type ManualClock } from '../../../src/infra/clock.js';
import { signWebhook } from '../../../src/services/webhooks/signature.js';

/** Rotation pair: the gateway accepts both; tests sign with either. */
export const OLD_SECRET = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;
export const NEW_SECRET = `whsec_${Buffer.alloc(32, 2).toString('base64')}`;
/** A well-formed secret the gateway does not know. */
export const FOREIGN_SECRET = `whsec_${Buffer.alloc(32, 3).toString('base64')}`;

/** Transitions settle at once: tests drive state with the control API, not with elapsed time. */
const INSTANT = { start: 0, stop: 0, restart: 0, suspend: 0, destroy: 0, update: 0, create: 0 };

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

/** A delivery as both subscriptions return it (fields a query did not select are undefined). */
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
}

/** A gateway on a loopback port in front of an emulator, both on the same clock. */
export interface TestGateway {
  gateway: Gateway;
  emu: Emulator;
  clock: Clock;
  /** `http://127.0.0.1:<port>` */
  base: string;
  graphqlUrl: string;
  wsUrl: string;
  close(): Promise<void>;
}

/** Options of {@link startTestGateway}. */
export interface TestGatewayOptions {
  /** Extra environment over the defaults (webhooks on with both rotation secrets, sync off). */
  env?: Record<string, string>;
  /** Drive gateway and emulator with one manual clock instead of real time. */
  manualClock?: boolean;
  /** Point at this emulator (shared by several gateways) instead of creating one; it is not stopped by `close`. */
  emulator?: Emulator;
}

/** Starts a gateway in live mode against an emulator (its own unless one is passed), listening on loopback. */
export async function startTestGateway(options: TestGatewayOptions = {}): Promise<TestGateway> {
  const clock: Clock = options.manualClock ? createManualClock() : systemClock;
  const ownEmulator = !options.emulator;
  const emu = options.emulator ?? createEmulator({ seed: 'none', clock, delays: INSTANT });
  if (ownEmulator) await emu.start({ port: 0, host: '127.0.0.1' });
  const config = loadConfig({
    env: {
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      FLY_API_TOKEN: emu.token,
      FLY_API_BASE_URL: emu.url,
      FLY_RATE_LIMIT: 'false',
      WEBHOOK_SECRET: `${OLD_SECRET} ${NEW_SECRET}`,
      SYNC_ENABLED: 'false',
      ...options.env,
    },
  });
  const gateway = createGateway(config, { clock });
  const { url } = await gateway.start();
  return {
    gateway,
    emu,
    clock,
    base: url.replace(/\/graphql$/, ''),
    graphqlUrl: url,
    wsUrl: url.replace(/^http/, 'ws'),
    async close() {
      await gateway.stop();
      if (ownEmulator) await emu.stop();
    },
  };
}

/** The manual clock of a gateway started with `manualClock: true`. */
export function manual(gw: TestGateway): ManualClock {
  return gw.clock as ManualClock;
}

/** A fresh app name, so each test's subscriptions see only its own events. */
export function uniqueApp(prefix = 'app'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** A `machine.state_changed` webhook body. */
export function stateChanged(app: string, machineId: string, from: string, to: string): Record<string, unknown> {
  return { type: 'machine.state_changed', timestamp: '2026-01-01T12:00:00Z', data: { app, machine_id: machineId, from, to } };
}

/** A `machine.event` webhook body carrying one Fly event (a fresh ULID-like id unless given). */
export function flyEvent(app: string, machineId: string, type: string, id = `01J${randomUUID().replace(/-/g, '').slice(0, 23).toUpperCase()}`): Record<string, unknown> {
  return {
    type: 'machine.event',
    timestamp: '2026-01-01T12:00:00Z',
    data: { app, machine_id: machineId, event: { id, type, status: 'started', source: 'flyd', timestamp: Date.UTC(2026, 0, 1, 12) } },
  };
}

/** How to sign and send one webhook. */
export interface WebhookSend {
  /** @default a new `msg_<uuid>` */
  id?: string;
  /** @default [NEW_SECRET] */
  secrets?: string[];
  /** Unix seconds. @default now on `clock` */
  timestamp?: number;
  /** Used for the default timestamp. @default systemClock */
  clock?: Clock;
  /** Replaces or (with `undefined`) removes signed headers. */
  headers?: Record<string, string | undefined>;
}

/** The endpoint's answer. */
export interface WebhookAnswer {
  status: number;
  error?: { code: string; message: string; details?: string[] };
}

/** Signs `body` (serialised once, sent byte for byte) and posts it to `POST /webhooks/fly`. */
export async function postWebhook(base: string, body: string | object, send: WebhookSend = {}): Promise<WebhookAnswer> {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const id = send.id ?? `msg_${randomUUID()}`;
  const timestamp = send.timestamp ?? Math.floor((send.clock ?? systemClock).now() / 1000);
  const headers: Record<string, string | undefined> = {
    'content-type': 'application/json',
    ...signWebhook({ secrets: send.secrets ?? [NEW_SECRET], id, timestamp, body: text }),
    ...send.headers,
  };
  const sent = Object.fromEntries(Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const response = await fetch(`${base}/webhooks/fly`, { method: 'POST', headers: sent, body: text });
  const answer = await response.text();
  return { status: response.status, ...(answer ? (JSON.parse(answer) as { error: WebhookAnswer['error'] }) : {}) };
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

/** Turns push callbacks into a pull queue. */
function createQueue() {
  const items: Delivery[] = [];
  let failure: unknown;
  let onFailed!: (error: unknown) => void;
  const failed = new Promise<unknown>((resolve) => (onFailed = resolve));
  let wake: (() => void) | undefined;
  const poke = () => {
    wake?.();
    wake = undefined;
  };
  return {
    push(item: Delivery) {
      items.push(item);
      poke();
    },
    fail(error: unknown) {
      failure ??= error;
      onFailed(error);
      poke();
    },
    failed,
    buffered: () => items.length,
    async next(waitMs = 10_000): Promise<Delivery> {
      const deadline = Date.now() + waitMs;
      while (items.length === 0) {
        if (failure !== undefined) throw failure instanceof Error ? failure : new Error(JSON.stringify(failure));
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no delivery within ${waitMs} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      return items.shift()!;
    },
  };
}

function rootField(data: Record<string, unknown> | null | undefined): Delivery {
  return Object.values(data ?? {})[0] as Delivery;
}

/** Subscribes over graphql-ws (a real WebSocket, one client per subscriber, no reconnects). */
export function subscribeWs(wsUrl: string, query: string, variables: Record<string, unknown>): TestSubscriber {
  const queue = createQueue();
  let onClosed!: (code: number) => void;
  const closed = new Promise<number>((resolve) => (onClosed = resolve));
  const client: WsClient = createWsClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
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
