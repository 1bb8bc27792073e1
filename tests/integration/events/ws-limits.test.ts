import { createClient, type Client } from 'graphql-ws';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestGateway, type TestGateway } from './harness.js';

const SLOW_HEALTH = 'subscription { health(intervalSeconds: 300) { ok } }';

interface Opened {
  client: Client;
  closed: Promise<{ code: number; reason: string }>;
}

/** A graphql-ws client that connects at once (no retries). */
function open(wsUrl: string): Opened {
  let onClosed!: (event: { code: number; reason: string }) => void;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => (onClosed = resolve));
  const client = createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: false,
    on: { closed: (event) => onClosed(event as { code: number; reason: string }) },
    onNonLazyError: () => undefined,
  });
  return { client, closed };
}

function connected(client: Client): Promise<void> {
  return new Promise((resolve) => client.on('connected', () => resolve()));
}

/** Subscribes and resolves with the first result, or with the error the server sent. */
function subscribe(client: Client, query: string): { first: Promise<{ data?: unknown; error?: unknown }>; stop: () => void } {
  let stop!: () => void;
  const first = new Promise<{ data?: unknown; error?: unknown }>((resolve) => {
    stop = client.subscribe(
      { query },
      { next: (result) => resolve({ data: result.data }), error: (error) => resolve({ error }), complete: () => undefined },
    );
  });
  return { first, stop };
}

describe('graphql-ws limits', () => {
  let gw: TestGateway | undefined;
  const clients: Client[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
    await gw?.close();
    gw = undefined;
  });

  it('should refuse one subscription over WS_MAX_SUBSCRIPTIONS_PER_SOCKET with SUBSCRIPTION_LIMIT and keep the socket usable', async () => {
    gw = await startTestGateway({ env: { WS_MAX_SUBSCRIPTIONS_PER_SOCKET: '3' } });
    const { client, closed } = open(gw.wsUrl);
    clients.push(client);
    const subs = [subscribe(client, SLOW_HEALTH), subscribe(client, SLOW_HEALTH), subscribe(client, SLOW_HEALTH)];
    for (const sub of subs) await expect(sub.first).resolves.toMatchObject({ data: { health: { ok: true } } });

    const over = await subscribe(client, SLOW_HEALTH).first;

    expect(over.error).toEqual([
      expect.objectContaining({
        message: expect.stringContaining('3'),
        extensions: expect.objectContaining({ code: 'SUBSCRIPTION_LIMIT', limit: 3 }),
      }),
    ]);
    // Same socket: once one subscription ends, a new one is accepted.
    subs[0]!.stop();
    await expect
      .poll(async () => (await subscribe(client, SLOW_HEALTH).first).data, { timeout: 5_000 })
      .toMatchObject({ health: { ok: true } });
    expect(gw.gateway.subscriberCount()).toBe(1);
    const stillOpen = await Promise.race([closed.then(() => 'closed'), new Promise((resolve) => setTimeout(() => resolve('open'), 100))]);
    expect(stillOpen).toBe('open');
  });

  it('should refuse the 101st subscription on one socket with the default settings', async () => {
    gw = await startTestGateway();
    const { client } = open(gw.wsUrl);
    clients.push(client);
    const subs = Array.from({ length: 100 }, () => subscribe(client, SLOW_HEALTH));
    const firsts = await Promise.all(subs.map((s) => s.first));
    expect(firsts.filter((f) => f.error !== undefined)).toEqual([]);

    const over = await subscribe(client, SLOW_HEALTH).first;

    expect(over.error).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'SUBSCRIPTION_LIMIT', limit: 100 }) }),
    ]);
  });

  it('should close a socket over WS_MAX_SOCKETS_PER_ADDRESS with 4429 and accept one again after another closes', async () => {
    gw = await startTestGateway({ env: { WS_MAX_SOCKETS_PER_ADDRESS: '2' } });
    const first = open(gw.wsUrl);
    const second = open(gw.wsUrl);
    clients.push(first.client, second.client);
    await Promise.all([connected(first.client), connected(second.client)]);

    const third = open(gw.wsUrl);
    clients.push(third.client);

    await expect(third.closed).resolves.toMatchObject({ code: 4429, reason: 'too many connections from this address' });
    await expect(subscribe(first.client, SLOW_HEALTH).first).resolves.toMatchObject({ data: { health: { ok: true } } });

    await first.client.dispose();
    await expect.poll(() => gw!.gateway.subscriberCount()).toBe(1);
    const fourth = open(gw.wsUrl);
    clients.push(fourth.client);
    await connected(fourth.client);
    await expect(subscribe(fourth.client, SLOW_HEALTH).first).resolves.toMatchObject({ data: { health: { ok: true } } });
  });
});
