import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createEmulator, type Emulator } from '#src/emulator/emulator.js';
import { startRedisServer, type TestRedisServer } from '../../helpers/redis-server.js';
import {
  postWebhook,
  startTestGateway,
  stateChanged,
  subscribeWs,
  uniqueApp,
  type Delivery,
  type TestGateway,
  type TestSubscriber,
} from './harness.js';

// Gateways use a fixed stream key, so this file runs its own redis-server: the stream then holds only this file's
// events and every subscriber must see contiguous sequence numbers.
const SUBSCRIBERS = 100;
const EVENTS = 200;
const MACHINES = ['m1', 'm2', 'm3', 'm4'];
/** No `machine` field: it costs a Fly call per event and would measure the upstream, not the fan-out. */
const FANOUT = 'subscription Fanout($app: String!) { machineStateChanged(app: $app) { kind seq machineId from to } }';
/** Bounded waits; generous because 100 sockets and two gateways share two cores with other test files. */
const SETTLE = { timeout: 20_000, interval: 25 };
/** Takes about 5 s alone; the bound leaves room for a loaded machine without hiding a hang. */
const TEST_TIMEOUT_MS = 60_000;

/** One subscriber's deliveries, pulled in the background as they arrive. */
interface Collector {
  readonly deliveries: Delivery[];
  /** What the subscription failed with, if it did before {@link Collector.stop}. */
  failure(): unknown;
  /** Stops pulling and closes the socket. */
  stop(): Promise<void>;
}

function collect(subscriber: TestSubscriber): Collector {
  const deliveries: Delivery[] = [];
  let stopping = false;
  let failure: unknown;
  const pump = (async () => {
    while (!stopping) {
      try {
        deliveries.push(await subscriber.next(200));
      } catch (error) {
        // A quiet spell is not a failure; anything else (errors, an early close) is, unless we are closing.
        if (String(error).includes('no delivery within')) continue;
        if (!stopping) failure = error;
        return;
      }
    }
  })();
  return {
    deliveries,
    failure: () => failure,
    async stop() {
      stopping = true;
      await subscriber.close();
      await pump;
    },
  };
}

let server: TestRedisServer;
let emu: Emulator;
const gateways: TestGateway[] = [];
const collectors: Collector[] = [];

beforeAll(async () => {
  server = await startRedisServer();
  emu = createEmulator({ seed: 'none' });
  await emu.start({ port: 0, host: '127.0.0.1' });
  for (let i = 0; i < 2; i++) gateways.push(await startTestGateway({ emulator: emu, env: { REDIS_URL: server.url } }));
});
afterAll(async () => {
  // Sockets first, so no gateway waits out its shutdown grace for them.
  for (const collector of collectors.splice(0)) await collector.stop();
  for (const gw of gateways) await gw.close();
  await emu?.stop();
  await server?.stop();
});

/** Posts `body` to `gw` and insists on the 204 (a refused webhook would make every later check misleading). */
async function post(gw: TestGateway, body: object): Promise<void> {
  expect((await postWebhook(gw.base, body)).status).toBe(204);
}

/** Where `machineId` sits in a subscriber's deliveries (-1 when it has not arrived). */
const indexOf = (collector: Collector, machineId: string) => collector.deliveries.findIndex((d) => d.machineId === machineId);

/**
 * Subscriptions without `afterSeq` see live events only, so the real events must wait until every one of them is in
 * place: posts marker events until one marker reaches every subscriber, and returns that marker's machine id.
 */
async function primeUntilAllLive(app: string): Promise<string> {
  for (let attempt = 0; attempt < 40; attempt++) {
    const marker = `prime-${attempt}`;
    await post(gateways[attempt % 2]!, stateChanged(app, marker, 'stopped', 'started'));
    try {
      await vi.waitFor(() => expect(collectors.filter((c) => indexOf(c, marker) < 0)).toHaveLength(0), { timeout: 1_000, interval: 25 });
      return marker;
    } catch {
      // Some subscriptions were not registered yet; the next marker will find them.
    }
  }
  throw new Error('not every subscription went live after 40 markers');
}

describe('fan-out to many WebSocket subscribers across two gateway instances sharing Redis', () => {
  it(
    'should deliver every webhook to every subscriber once, in contiguous seq order, when posts alternate between instances',
    async () => {
      const app = uniqueApp('fanout');
      for (let i = 0; i < SUBSCRIBERS; i++) collectors.push(collect(subscribeWs(gateways[i % 2]!.wsUrl, FANOUT, { app })));
      const barrier = await primeUntilAllLive(app);
      expect(gateways.map((gw) => gw.gateway.subscriberCount())).toEqual([SUBSCRIBERS / 2, SUBSCRIBERS / 2]);

      const expected: Array<Omit<Delivery, 'epoch' | 'resyncReason' | 'app' | 'timestamp'>> = [];
      for (let i = 0; i < EVENTS; i++) {
        const machineId = MACHINES[i % MACHINES.length]!;
        // Each machine flips between the two states, so consecutive events of one machine differ.
        const [from, to] = Math.floor(i / MACHINES.length) % 2 === 0 ? ['stopped', 'started'] : ['started', 'stopped'];
        await post(gateways[i % 2]!, stateChanged(app, machineId, from, to));
        expected.push({ kind: 'EVENT', seq: 0, machineId, from: from.toUpperCase(), to: to.toUpperCase() });
      }
      // Deliveries follow seq order, so once the sentinel is everywhere nothing posted before it is still on its way.
      await post(gateways[0]!, stateChanged(app, 'sentinel', 'stopped', 'started'));
      await vi.waitFor(() => expect(collectors.filter((c) => indexOf(c, 'sentinel') < 0)).toHaveLength(0), SETTLE);

      const base = collectors[0]!.deliveries[indexOf(collectors[0]!, barrier)]!.seq!;
      expected.forEach((event, i) => (event.seq = base + 1 + i));
      collectors.forEach((collector, n) => {
        expect(collector.failure(), `subscriber ${n}`).toBeUndefined();
        expect(
          collector.deliveries.filter((d) => d.kind !== 'EVENT'),
          `subscriber ${n} got a RESYNC`,
        ).toEqual([]);
        const between = collector.deliveries.slice(indexOf(collector, barrier) + 1, indexOf(collector, 'sentinel'));
        expect(between, `subscriber ${n}`).toEqual(expected);
        // Across the whole life of the subscription, including the markers: strictly increasing, no holes.
        const seqs = collector.deliveries.map((d) => d.seq!);
        expect(
          seqs.every((seq, i) => i === 0 || seq === seqs[i - 1]! + 1),
          `subscriber ${n} seqs ${seqs.join(',')}`,
        ).toBe(true);
      });
    },
    TEST_TIMEOUT_MS,
  );
});
