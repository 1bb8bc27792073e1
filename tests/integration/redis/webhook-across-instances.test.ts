import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createRedis } from '#src/infra/redis/client.js';
import { createRedisDedupeStore } from '#src/infra/redis/dedupe-store.js';
import { createEventIngest } from '#src/services/events/event-ingest.js';
import { createRedisEventBus } from '#src/infra/redis/event-bus.js';
import type { BusItem } from '#src/services/events/types.js';
import { createWebhookHandler } from '#src/api/http/webhook-route.js';
import { createWebhookReceiver } from '#src/services/webhooks/receive-webhook.js';
import { signWebhook } from '#src/services/webhooks/signature.js';
import { createWebhookVerifier } from '#src/services/webhooks/verify.js';
import { startRedisServer, type TestRedisServer } from '../../helpers/redis-server.js';

// One test stops Redis, so this file uses a private redis-server.
let server: TestRedisServer;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server?.stop();
});

const cleanup: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const SECRET = `whsec_${Buffer.alloc(32, 5).toString('base64')}`;

/** A gateway instance's event pieces, wired as the composition root would. */
function instance(stream: string, prefix: string) {
  const redis: Redis = createRedis(server.url, { role: 'bus', overrides: { commandTimeout: 500 } });
  const bus = createRedisEventBus({ redis, stream, blockMs: 200 });
  const ingest = createEventIngest({ bus, dedupe: createRedisDedupeStore({ redis, prefix }) });
  const handler = createWebhookHandler({
    receiver: createWebhookReceiver({ verifier: createWebhookVerifier({ secrets: [SECRET] }), ingest }),
  });
  cleanup.push(async () => {
    await bus.close();
    redis.disconnect();
  });
  return { bus, handler };
}

function delivery(id: string, machineId = '1857156b526dd8') {
  const body = JSON.stringify({
    type: 'machine.destroyed',
    timestamp: '2026-01-01T00:00:00Z',
    data: { app: 'web', machine_id: machineId },
  });
  const headers = signWebhook({ secrets: [SECRET], id, timestamp: Math.floor(Date.now() / 1000), body });
  return new Request('http://gateway/webhooks/fly', { method: 'POST', body, headers });
}

async function next(iterator: AsyncIterator<BusItem>) {
  return (await iterator.next()).value as BusItem;
}

describe('webhooks across gateway instances', () => {
  it('should reach a subscriber on instance B once when the same webhook is delivered to A and B', async () => {
    const stream = `s:${randomUUID()}`;
    const prefix = `d:${randomUUID()}:`;
    const a = instance(stream, prefix);
    const b = instance(stream, prefix);
    const subscription = b.bus.subscribe();
    await b.bus.start();
    expect((await a.handler(delivery('msg_1'))).status).toBe(204);
    expect((await b.handler(delivery('msg_1'))).status).toBe(204);
    expect((await a.handler(delivery('msg_2', 'other'))).status).toBe(204);
    // machine.destroyed is keyed by the machine (machineChangeId), the same id for both deliveries.
    expect(await next(subscription)).toMatchObject({ machineId: '1857156b526dd8', id: expect.stringMatching(/^change:/), seq: 1 });
    expect(await next(subscription)).toMatchObject({ machineId: 'other', seq: 2 });
  });

  it('should answer 503 while Redis is down and accept the retry once it is back', async () => {
    const stream = `s:${randomUUID()}`;
    const prefix = `d:${randomUUID()}:`;
    const a = instance(stream, prefix);
    await server.stop();
    try {
      const response = await a.handler(delivery('msg_9'));
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
    } finally {
      await server.restart();
    }
    const subscription = a.bus.subscribe({ afterSeq: 0 });
    // The sender retries until the connection is back (ioredis reconnects on its own schedule).
    await vi.waitFor(async () => expect((await a.handler(delivery('msg_9'))).status).toBe(204), { timeout: 10_000, interval: 50 });
    expect(await next(subscription)).toMatchObject({ machineId: '1857156b526dd8', source: 'webhook', seq: 1 });
  });
});
