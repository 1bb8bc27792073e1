import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createEmulator, type Emulator } from '#src/emulator/emulator.js';
import { createRedis } from '#src/infra/redis/client.js';
import { startRedisServer, type TestRedisServer } from '../../helpers/redis-server.js';
import {
  postWebhook,
  startChildGateway,
  startTestGateway,
  stateChanged,
  STATE_CHANGES,
  subscribeSse,
  subscribeWs,
  uniqueApp,
  type ChildGateway,
  type TestGateway,
  type TestSubscriber,
} from './harness.js';

// Gateways use fixed Redis keys (stream, lock, sync state), so this file runs its own redis-server.
const INTERVAL_MS = 200;
/** What the wiring derives from the interval: max(3 intervals, 5 s). */
const LOCK_TTL_MS = 5_000;
const LOCK_KEY = 'flygate:sync:lock';
/** Bounded waits for things that must happen within one lock period; generous for two shared cores. */
const WITHIN_LOCK_PERIOD = { timeout: LOCK_TTL_MS + 5_000, interval: 50 };

let server: TestRedisServer;
let redis: Redis;
let emu: Emulator;
const gateways = new Set<TestGateway>();
const children: ChildGateway[] = [];
const subscribers: TestSubscriber[] = [];

async function gateway(): Promise<TestGateway> {
  const gw = await startTestGateway({
    emulator: emu,
    env: { REDIS_URL: server.url, SYNC_ENABLED: 'true', SYNC_INTERVAL_MS: String(INTERVAL_MS) },
  });
  gateways.add(gw);
  return gw;
}

async function stop(gw: TestGateway): Promise<void> {
  gateways.delete(gw);
  await gw.close();
}

function watch(subscriber: TestSubscriber): TestSubscriber {
  subscribers.push(subscriber);
  return subscriber;
}

/** The next sync-derived change of `app`; proves that some instance is polling. */
async function nextSyncedChange(subscriber: TestSubscriber): Promise<{ from?: string | null; to?: string | null }> {
  return subscriber.next(LOCK_TTL_MS + 5_000);
}

let a: TestGateway;
let b: TestGateway;
beforeAll(async () => {
  server = await startRedisServer();
  redis = createRedis(server.url, { role: 'bus' });
  emu = createEmulator({ seed: 'none', delays: { start: 0, stop: 0, restart: 0, suspend: 0, destroy: 0, update: 0, create: 0 } });
  await emu.start({ port: 0, host: '127.0.0.1' });
  a = await gateway();
  b = await gateway();
  // Whichever instance won the lock records the baseline; later emulator changes are then reported.
  await vi.waitFor(async () => expect(await redis.exists('flygate:sync:state')).toBe(1), WITHIN_LOCK_PERIOD);
});
// An open SSE stream holds a stopping gateway for its whole shutdown grace, so subscribers go first.
afterEach(async () => {
  for (const subscriber of subscribers.splice(0)) await subscriber.close();
});
afterAll(async () => {
  for (const child of children) await child.kill();
  for (const gw of gateways) await gw.close();
  await emu?.stop();
  redis?.disconnect();
  await server?.stop();
});

describe('two gateway instances sharing Redis', () => {
  it('should deliver a webhook posted to instance A to subscribers of instance B, once per webhook id', async () => {
    const app = uniqueApp();
    const ws = watch(subscribeWs(b.wsUrl, STATE_CHANGES, { app, afterSeq: 0 }));
    const sse = watch(subscribeSse(b.graphqlUrl, STATE_CHANGES, { app, afterSeq: 0 }));
    const body = stateChanged(app, 'm1', 'stopped', 'started');
    expect((await postWebhook(a.base, body, { id: 'msg_cross_1' })).status).toBe(204);
    expect((await postWebhook(b.base, body, { id: 'msg_cross_1' })).status).toBe(204); // redelivered to the other one
    expect((await postWebhook(a.base, stateChanged(app, 'sentinel', 'stopped', 'started'))).status).toBe(204);
    for (const subscriber of [ws, sse]) {
      const first = await subscriber.next();
      expect(first).toMatchObject({ kind: 'EVENT', machineId: 'm1', to: 'STARTED' });
      expect(await subscriber.next()).toMatchObject({ machineId: 'sentinel', seq: first.seq! + 1, epoch: first.epoch });
    }
  });

  it('should let exactly one instance poll when both run the sync job at once', async () => {
    for (let round = 0; round < 3; round++) {
      const results = await Promise.all([a.gateway.sync!.runOnce(), b.gateway.sync!.runOnce()]);
      expect(results.filter((r) => r.polled)).toHaveLength(1);
    }
  });

  it('should hand polling to the other instance within one lock period when the polling one stops', async () => {
    const [fromA, fromB] = await Promise.all([a.gateway.sync!.runOnce(), b.gateway.sync!.runOnce()]);
    const [holder, survivor] = fromA.polled ? [a, b] : [b, a];
    expect(fromA.polled !== fromB.polled).toBe(true);
    const app = uniqueApp();
    emu.control.createApp(app);
    const { id } = emu.control.createMachine(app);
    const subscriber = watch(subscribeWs(survivor.wsUrl, STATE_CHANGES, { app, machineId: id, afterSeq: 0 }));
    expect(await nextSyncedChange(subscriber)).toMatchObject({ to: 'STARTED' }); // the holder reported it

    await stop(holder);
    emu.control.setMachineState(app, id, 'stopped');
    // Nobody calls runOnce here: the survivor's own schedule must take the released lock and report the change.
    expect(await nextSyncedChange(subscriber)).toMatchObject({ from: 'STARTED', to: 'STOPPED' });
    expect(await survivor.gateway.sync!.runOnce()).toMatchObject({ polled: true });
  });

  it('should take over within one lock period when the polling instance dies without releasing the lock', async () => {
    const [survivor] = [...gateways];
    const child = await startChildGateway(emu, { REDIS_URL: server.url, SYNC_ENABLED: 'true', SYNC_INTERVAL_MS: String(INTERVAL_MS) });
    children.push(child);
    // Hand the lock to the child: the in-process instance stops cleanly, the child's schedule picks the lock up.
    await stop(survivor);
    await vi.waitFor(async () => expect(await redis.get(LOCK_KEY)).toContain(`:${child.pid}:`), WITHIN_LOCK_PERIOD);
    const heir = await gateway();
    expect(await heir.gateway.sync!.runOnce()).toEqual({ polled: false, emitted: 0 });

    const app = uniqueApp();
    emu.control.createApp(app);
    const { id } = emu.control.createMachine(app, { state: 'stopped' });
    const subscriber = watch(subscribeWs(heir.wsUrl, STATE_CHANGES, { app, machineId: id, afterSeq: 0 }));
    expect(await nextSyncedChange(subscriber)).toMatchObject({ to: 'STOPPED' }); // reported by the child
    // The child saves its sync state just after publishing; killing it in between would (by design) make the heir
    // report the machine again from the older state, so the kill waits for the save.
    await vi.waitFor(async () => expect(await redis.get('flygate:sync:state')).toContain(id), WITHIN_LOCK_PERIOD);

    await child.kill();
    expect(await redis.get(LOCK_KEY)).toContain(`:${child.pid}:`); // died holding it
    expect(await redis.pttl(LOCK_KEY)).toBeGreaterThan(0);
    emu.control.setMachineState(app, id, 'started');
    expect(await nextSyncedChange(subscriber)).toMatchObject({ from: 'STOPPED', to: 'STARTED' });
    expect(await redis.get(LOCK_KEY)).toContain(`:${process.pid}:`);
  }, 60_000);
});
