import { describe, expect, it } from 'vitest';
import { createManualClock } from '#src/lib/clock.js';
import { createMemoryDedupeStore } from '#src/infra/memory/dedupe-store.js';
import { createEventIngest } from '#src/services/events/event-ingest.js';
import { createMemoryEventBus } from '#src/infra/memory/event-bus.js';
import type { EventBus } from '#src/services/ports.js';
import type { GatewayEvent } from '#src/services/events/types.js';
import { createWebhookHandler } from '#src/api/http/webhook-route.js';
import { createWebhookReceiver } from '#src/services/webhooks/receive-webhook.js';
import { createMetrics } from '#src/lib/metrics.js';
import { signWebhook } from '#src/services/webhooks/signature.js';
import { createWebhookVerifier } from '#src/services/webhooks/verify.js';

const SECRET = `whsec_${Buffer.alloc(32, 3).toString('base64')}`;
const START_MS = Date.UTC(2026, 0, 1);

function buildBody(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    type: 'machine.state_changed',
    timestamp: '2026-01-01T00:00:00Z',
    data: { app: 'web', machine_id: '1857156b526dd8', from: 'stopped', to: 'started' },
    ...overrides,
  });
}

function setup(options: { failPublishes?: number; maxBodyBytes?: number; publishGate?: Promise<void> } = {}) {
  const clock = createManualClock(START_MS);
  const memoryBus = createMemoryEventBus();
  const published: GatewayEvent[] = [];
  let failuresLeft = options.failPublishes ?? 0;
  const bus: EventBus = {
    ...memoryBus,
    async publish(event) {
      await options.publishGate;
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        throw new Error('redis down');
      }
      published.push(event);
      return memoryBus.publish(event);
    },
  };
  const ingest = createEventIngest({ bus, dedupe: createMemoryDedupeStore({ now: clock.now }) });
  const handler = createWebhookHandler({
    receiver: createWebhookReceiver({ verifier: createWebhookVerifier({ secrets: [SECRET], clock }), ingest }),
    maxBodyBytes: options.maxBodyBytes,
  });
  const post = (body: string | Uint8Array, id = 'msg_1', headers: Record<string, string> = {}) =>
    handler(
      new Request('http://gateway/webhooks/fly', {
        method: 'POST',
        body: body as BodyInit,
        headers: { ...signWebhook({ secrets: [SECRET], id, timestamp: Math.floor(clock.now() / 1000), body }), ...headers },
      }),
    );
  return { clock, handler, post, published, bus: memoryBus };
}

async function errorOf(response: Response) {
  return ((await response.json()) as { error: { code: string; message: string; details?: string[] } }).error;
}

describe('createWebhookHandler', () => {
  it('should answer 204 and publish the event when the request is signed and well-formed', async () => {
    const { post, published } = setup();
    const response = await post(buildBody());
    expect(response.status).toBe(204);
    expect(published).toEqual([
      {
        id: 'webhook:msg_1',
        type: 'machine.state_changed',
        timestamp: '2026-01-01T00:00:00Z',
        app: 'web',
        machineId: '1857156b526dd8',
        from: 'stopped',
        to: 'started',
        source: 'webhook',
      },
    ]);
  });

  it('should answer 204 but publish once when the same webhook id is delivered twice', async () => {
    const { post, published } = setup();
    expect((await post(buildBody())).status).toBe(204);
    expect((await post(buildBody())).status).toBe(204);
    expect(published).toHaveLength(1);
  });

  it('should still treat a redelivery as duplicate when it comes a day later with a fresh timestamp', async () => {
    const { post, published, clock } = setup();
    await post(buildBody());
    await clock.advance(24 * 60 * 60 * 1000);
    expect((await post(buildBody())).status).toBe(204);
    expect(published).toHaveLength(1);
  });

  it('should answer 400 naming the problem when the body is not JSON', async () => {
    const { post, published } = setup();
    const response = await post('{"type":');
    expect(response.status).toBe(400);
    expect((await errorOf(response)).message).toMatch(/^body is not valid JSON/);
    expect(published).toHaveLength(0);
  });

  it('should answer 400 listing each path and expectation when the body breaks the schema', async () => {
    const { post } = setup();
    const response = await post(buildBody({ timestamp: 'yesterday', data: { app: 'web', machine_id: 'm', from: 'stopped' } }));
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe('INVALID_BODY');
    expect(error.details).toEqual([
      'timestamp: expected an RFC 3339 date-time, e.g. 2026-01-01T12:00:00Z',
      'data.to: expected the new state (a non-empty string)',
    ]);
  });

  it('should answer 400 when the body is not valid UTF-8 even if correctly signed', async () => {
    const { post } = setup();
    const response = await post(new Uint8Array([0x7b, 0xff, 0x7d]));
    expect(response.status).toBe(400);
    expect((await errorOf(response)).message).toBe('body is not valid UTF-8');
  });

  it('should remember nothing when the body was rejected, so a corrected delivery with the same id is published', async () => {
    const { post, published } = setup();
    expect((await post('not json')).status).toBe(400);
    expect((await post(buildBody())).status).toBe(204);
    expect(published).toHaveLength(1);
  });

  it('should answer 401 and publish nothing when the signature is wrong', async () => {
    const { post, published } = setup();
    const response = await post(buildBody(), 'msg_1', { 'webhook-signature': `v1,${Buffer.alloc(32).toString('base64')}` });
    expect(response.status).toBe(401);
    expect(await errorOf(response)).toEqual({ code: 'INVALID_SIGNATURE', message: 'no signature matches' });
    expect(published).toHaveLength(0);
    expect((await post(buildBody())).status).toBe(204);
  });

  it('should answer 401 when the timestamp is stale', async () => {
    const { post } = setup();
    const response = await post(buildBody(), 'msg_1', { 'webhook-timestamp': String(START_MS / 1000 - 3600) });
    expect(response.status).toBe(401);
    expect((await errorOf(response)).message).toContain('in the past');
  });

  it('should answer 413 without reading when Content-Length is over the limit', async () => {
    const { handler } = setup({ maxBodyBytes: 100 });
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(50));
      },
    });
    const request = new Request('http://gateway/webhooks/fly', {
      method: 'POST',
      body,
      headers: { 'content-length': '101' },
      duplex: 'half',
    } as RequestInit);
    expect((await handler(request)).status).toBe(413);
    expect(pulled).toBeLessThanOrEqual(1);
  });

  it('should answer 413 and stop reading when a streamed body passes the limit', async () => {
    const { handler, published } = setup({ maxBodyBytes: 100 });
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        if (pulled > 1000) controller.close();
        else controller.enqueue(new Uint8Array(40));
      },
    });
    const request = new Request('http://gateway/webhooks/fly', { method: 'POST', body, duplex: 'half' } as RequestInit);
    const response = await handler(request);
    expect(response.status).toBe(413);
    expect((await errorOf(response)).code).toBe('PAYLOAD_TOO_LARGE');
    expect(pulled).toBeLessThan(10);
    expect(published).toHaveLength(0);
  });

  it('should answer 503 and remember nothing when publishing fails, so the retry is published', async () => {
    const { post, published } = setup({ failPublishes: 1 });
    const failed = await post(buildBody());
    expect(failed.status).toBe(503);
    expect(failed.headers.get('retry-after')).toBe('5');
    expect((await errorOf(failed)).code).toBe('UNAVAILABLE');
    expect((await post(buildBody())).status).toBe(204);
    expect(published).toHaveLength(1);
  });

  it('should answer 503 for a concurrent redelivery while the first is still being handed on', async () => {
    let open!: () => void;
    const { post, published } = setup({ publishGate: new Promise<void>((resolve) => (open = resolve)) });
    const first = post(buildBody());
    await new Promise((resolve) => setImmediate(resolve));
    const second = await post(buildBody());
    expect(second.status).toBe(503);
    expect((await errorOf(second)).code).toBe('EVENT_IN_FLIGHT');
    open();
    expect((await first).status).toBe(204);
    expect(published).toHaveLength(1);
  });

  it('should answer 405 when the method is not POST', async () => {
    const { handler } = setup();
    const response = await handler(new Request('http://gateway/webhooks/fly'));
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });

  it('should deliver an accepted webhook to a bus subscriber with a sequence number', async () => {
    const { post, bus } = setup();
    const subscription = bus.subscribe();
    await post(buildBody());
    const { value } = await subscription.next();
    expect(value).toMatchObject({ id: 'webhook:msg_1', seq: 1 });
    await subscription.return?.();
  });

  it('should refuse a body limit that is not a positive integer', () => {
    expect(() =>
      createWebhookHandler({
        receiver: createWebhookReceiver({
          verifier: createWebhookVerifier({ secrets: [SECRET] }),
          ingest: { ingest: async () => 'published' },
        }),
        maxBodyBytes: -1,
      }),
    ).toThrow('maxBodyBytes must be a positive integer');
  });
});

describe('webhook route metrics', () => {
  it('should count every answer by its status', async () => {
    const metrics = createMetrics();
    const handler = createWebhookHandler({
      receiver: createWebhookReceiver({
        verifier: createWebhookVerifier({ secrets: [SECRET] }),
        ingest: { ingest: async () => 'published' },
      }),
      metrics,
    });
    await handler(new Request('http://gateway/webhooks/fly', { method: 'GET' }));
    await handler(new Request('http://gateway/webhooks/fly', { method: 'POST', body: '{}' }));
    await handler(new Request('http://gateway/webhooks/fly', { method: 'POST', body: '{}' }));
    const values = (await metrics.webhookRequests.get()).values.map((v) => [v.labels.status, v.value]);
    expect(Object.fromEntries(values)).toEqual({ '405': 1, '401': 2 });
  });

  it('should answer 404 WEBHOOKS_DISABLED when no receiver is configured', async () => {
    const response = await createWebhookHandler({ receiver: undefined })(
      new Request('http://gateway/webhooks/fly', { method: 'POST', body: '{}' }),
    );
    expect(response.status).toBe(404);
    expect((await errorOf(response)).code).toBe('WEBHOOKS_DISABLED');
  });
});
