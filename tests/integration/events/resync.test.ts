import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRedis } from '#src/infra/redis/client.js';
import { startRedisServer, type TestRedisServer } from '../../helpers/redis-server.js';
import {
  postWebhook,
  startTestGateway,
  stateChanged,
  STATE_CHANGES,
  subscribeSse,
  subscribeWs,
  uniqueApp,
  type TestGateway,
  type TestSubscriber,
} from './harness.js';

// Subscribers that resume from a point the stream cannot serve must be told so (RESYNC), never just carry on.
const STREAM = 'flygate:events';
let memory: TestGateway;
let server: TestRedisServer;
let redis: Redis;
let shared: TestGateway;
const subscribers: TestSubscriber[] = [];

beforeAll(async () => {
  memory = await startTestGateway();
  // Trimming and deleting the stream would disturb anyone else's, hence a private redis-server.
  server = await startRedisServer();
  redis = createRedis(server.url, { role: 'bus' });
  shared = await startTestGateway({ env: { REDIS_URL: server.url } });
});
afterEach(async () => {
  for (const subscriber of subscribers.splice(0)) await subscriber.close();
});
afterAll(async () => {
  await memory?.close();
  await shared?.close();
  redis?.disconnect();
  await server?.stop();
});

function resume(gw: TestGateway, variables: Record<string, unknown>, transport: 'ws' | 'sse' = 'ws'): TestSubscriber {
  const subscriber =
    transport === 'ws' ? subscribeWs(gw.wsUrl, STATE_CHANGES, variables) : subscribeSse(gw.graphqlUrl, STATE_CHANGES, variables);
  subscribers.push(subscriber);
  return subscriber;
}

async function publish(gw: TestGateway, app: string, machineId: string): Promise<void> {
  expect((await postWebhook(gw.base, stateChanged(app, machineId, 'stopped', 'started'))).status).toBe(204);
}

/** Publishes one event and reads it back: the stream's current position. */
async function head(gw: TestGateway, app: string): Promise<{ seq: number; epoch: string }> {
  const subscriber = resume(gw, { app, afterSeq: 0 });
  await publish(gw, app, 'head');
  let delivery = await subscriber.next();
  while (delivery.machineId !== 'head') delivery = await subscriber.next();
  await subscriber.close();
  return { seq: delivery.seq!, epoch: delivery.epoch! };
}

describe('resync signals (in-memory bus)', () => {
  it('should replay what a subscriber missed, without a resync, when it resumes with its last seq and epoch', async () => {
    const app = uniqueApp();
    const last = await head(memory, app);
    await publish(memory, app, 'missed-1');
    await publish(memory, app, 'missed-2');
    for (const transport of ['ws', 'sse'] as const) {
      const subscriber = resume(memory, { app, afterSeq: last.seq, epoch: last.epoch }, transport);
      expect(await subscriber.next()).toMatchObject({ kind: 'EVENT', machineId: 'missed-1', seq: last.seq + 1 });
      expect(await subscriber.next()).toMatchObject({ kind: 'EVENT', machineId: 'missed-2', seq: last.seq + 2 });
    }
  });

  it('should send RESYNC unknown-cursor first when a subscriber resumes ahead of the stream, then deliver events', async () => {
    const app = uniqueApp();
    const last = await head(memory, app);
    const subscriber = resume(memory, { app, afterSeq: last.seq + 1_000, epoch: last.epoch });
    expect(await subscriber.next()).toMatchObject({ kind: 'RESYNC', resyncReason: 'unknown-cursor', seq: null, epoch: null });
    await publish(memory, app, 'after');
    expect(await subscriber.next()).toMatchObject({ kind: 'EVENT', machineId: 'after' });
  });

  it('should send RESYNC unknown-cursor when a subscriber resumes with an epoch of another stream', async () => {
    const app = uniqueApp();
    const last = await head(memory, app);
    const subscriber = resume(memory, { app, afterSeq: last.seq, epoch: 'an-epoch-from-before-a-restart' }, 'sse');
    expect(await subscriber.next()).toMatchObject({ kind: 'RESYNC', resyncReason: 'unknown-cursor' });
    await publish(memory, app, 'after');
    expect(await subscriber.next()).toMatchObject({ kind: 'EVENT', machineId: 'after', epoch: last.epoch });
  });
});

describe('resync signals (Redis bus)', () => {
  it('should send RESYNC gap when the events after the resume point were trimmed from the stream', async () => {
    const app = uniqueApp();
    const last = await head(shared, app);
    await publish(shared, app, 'trimmed');
    await publish(shared, app, 'kept');
    expect(await redis.xtrim(STREAM, 'MAXLEN', 1)).toBeGreaterThan(0);
    const subscriber = resume(shared, { app, afterSeq: last.seq, epoch: last.epoch });
    expect(await subscriber.next()).toMatchObject({ kind: 'RESYNC', resyncReason: 'gap' });
    expect(await subscriber.next()).toMatchObject({ kind: 'EVENT', machineId: 'kept', seq: last.seq + 2 });
  });

  it('should send RESYNC stream-reset to a live subscriber when the stream is recreated', async () => {
    const app = uniqueApp();
    const last = await head(shared, app);
    const subscriber = resume(shared, { app, afterSeq: last.seq, epoch: last.epoch });
    await publish(shared, app, 'before');
    expect(await subscriber.next()).toMatchObject({ kind: 'EVENT', machineId: 'before', seq: last.seq + 1 });

    expect(await redis.del(STREAM)).toBe(1); // what a Redis that lost its data looks like to the gateway
    await publish(shared, app, 'after');
    // The reader notices a new epoch when its blocking read times out and re-checks (5 s by default).
    expect(await subscriber.next(15_000)).toMatchObject({ kind: 'RESYNC', resyncReason: 'stream-reset' });
    const after = await subscriber.next();
    expect(after).toMatchObject({ kind: 'EVENT', machineId: 'after', seq: 1 });
    expect(after.epoch).not.toBe(last.epoch);
  });
});
