import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createEmulator, type Emulator, type EmulatorOptions } from '#src/emulator/emulator.js';
import type { Gateway } from '#src/gateway.js';
import { createManualClock, systemClock, type Clock, type ManualClock } from '#src/lib/clock.js';
import type { SyncJob } from '#src/services/sync/sync-job.js';
import { signWebhook } from '#src/services/webhooks/signature.js';
import { startRedisServer, type TestRedisServer } from '../../helpers/redis-server.js';
import { buildTestGateway, INSTANT, listeningEnv } from '../../helpers/test-gateway.js';
import { spawnChildGateway, type ChildGateway } from './child-process.js';
import { subscribeSse, subscribeWs, type Delivery, type TestSubscriber } from './clients.js';

export * from './clients.js';
export type { ChildGateway } from './child-process.js';

/** Rotation pair: the gateway accepts both; tests sign with either. */
export const OLD_SECRET = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;
export const NEW_SECRET = `whsec_${Buffer.alloc(32, 2).toString('base64')}`;
/** A well-formed secret the gateway does not know. */
export const FOREIGN_SECRET = `whsec_${Buffer.alloc(32, 3).toString('base64')}`;

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

/** Webhooks on, accepting both rotation secrets. */
const WEBHOOKS_ON = { WEBHOOK_SECRET: `${OLD_SECRET} ${NEW_SECRET}` };

/** Starts a gateway in live mode against an emulator (its own unless one is passed), listening on loopback. */
export async function startTestGateway(options: TestGatewayOptions = {}): Promise<TestGateway> {
  const clock: Clock = options.manualClock ? createManualClock() : systemClock;
  const built = await buildTestGateway({
    emulator: options.emulator,
    emulatorOptions: { seed: 'none', clock },
    gatewayClock: clock,
    listen: true,
    env: { ...WEBHOOKS_ON, ...options.env },
  });
  const url = built.url;
  return {
    gateway: built.gateway,
    emu: built.emu,
    clock,
    base: url.replace(/\/graphql$/, ''),
    graphqlUrl: url,
    wsUrl: url.replace(/^http/, 'ws'),
    close: built.close,
  };
}

/** One gateway for a test file, with its sync job and the subscribers its tests open. */
export interface SyncedGateway {
  /** The gateway (set once the file's `beforeAll` has run). */
  readonly gw: TestGateway;
  /** Subscribes over graphql-ws or SSE; closed after the test. */
  open(transport: 'ws' | 'sse', query: string, variables: Record<string, unknown>): TestSubscriber;
  /** Posts a signed webhook (with this message id when given). */
  send(body: object, id?: string): ReturnType<typeof postWebhook>;
  /** One run of the sync job. */
  sync(): ReturnType<SyncJob['runOnce']>;
}

/**
 * Starts one gateway for the test file on a manual clock with webhooks on and the sync job on a long interval (it runs
 * only when a test calls `sync()`, after changing the emulator), its baseline taken; closes what each test opened.
 */
export function useSyncedGateway(): SyncedGateway {
  const subscribers: TestSubscriber[] = [];
  let gw: TestGateway | undefined;
  const world: SyncedGateway = {
    get gw() {
      if (!gw) throw new Error('the gateway starts in beforeAll');
      return gw;
    },
    open(transport, query, variables) {
      const subscriber =
        transport === 'ws' ? subscribeWs(world.gw.wsUrl, query, variables) : subscribeSse(world.gw.graphqlUrl, query, variables);
      subscribers.push(subscriber);
      return subscriber;
    },
    send: (body, id) => postWebhook(world.gw.base, body, { clock: world.gw.clock, id }),
    sync: () => world.gw.gateway.sync!.runOnce(),
  };
  beforeAll(async () => {
    gw = await startTestGateway({ manualClock: true, env: { SYNC_ENABLED: 'true', SYNC_INTERVAL_MS: '600000' } });
    await manual(gw).advance(0); // fires the first scheduled run, the baseline
    await gw.gateway.sync!.runOnce();
  });
  afterEach(async () => {
    for (const subscriber of subscribers.splice(0)) await subscriber.close();
  });
  afterAll(async () => {
    await gw?.close();
  });
  return world;
}

/** The next `count` deliveries of a subscriber, in order. */
export async function take(subscriber: TestSubscriber, count: number): Promise<Delivery[]> {
  const items: Delivery[] = [];
  while (items.length < count) items.push(await subscriber.next());
  return items;
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
export function flyEvent(
  app: string,
  machineId: string,
  type: string,
  id = `01J${randomUUID().replace(/-/g, '').slice(0, 23).toUpperCase()}`,
): Record<string, unknown> {
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

/** A gateway in a child process against `emu`, with the same defaults as {@link startTestGateway} plus `env`. */
export function startChildGateway(emu: Emulator, env: Record<string, string>): Promise<ChildGateway> {
  return spawnChildGateway({ ...listeningEnv(emu), ...WEBHOOKS_ON, ...env });
}

/** Two gateways in front of one emulator, sharing a private redis-server: opened before a file's tests, closed after. */
export interface TwoInstances {
  redis: TestRedisServer;
  emu: Emulator;
  a: TestGateway;
  b: TestGateway;
}

/**
 * Registers `beforeAll`/`afterAll` hooks that start a private redis-server, an emulator (with `emulator` options)
 * and two loopback gateways on it with `env`; the returned object is filled in once the hooks ran.
 */
export function useTwoInstancesOnPrivateRedis(
  options: { emulator?: Omit<EmulatorOptions, 'seed' | 'delays'>; env?: Record<string, string> } = {},
): TwoInstances {
  const world = {} as TwoInstances;
  beforeAll(async () => {
    world.redis = await startRedisServer();
    world.emu = createEmulator({ seed: 'none', delays: INSTANT, ...options.emulator });
    await world.emu.start({ port: 0, host: '127.0.0.1' });
    const env = { REDIS_URL: world.redis.url, ...options.env };
    world.a = await startTestGateway({ emulator: world.emu, env });
    world.b = await startTestGateway({ emulator: world.emu, env });
  });
  afterAll(async () => {
    await world.a?.close();
    await world.b?.close();
    await world.emu?.stop();
    await world.redis?.stop();
  });
  return world;
}
