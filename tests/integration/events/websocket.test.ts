import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
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

let gw: TestGateway;
const subscribers: TestSubscriber[] = [];
beforeAll(async () => {
  // A small message limit so an oversized document is cheap to build.
  gw = await startTestGateway({ env: { BODY_LIMIT_BYTES: '50000' } });
  gw.emu.control.createApp('web');
  gw.emu.control.createMachine('web');
});
afterEach(async () => {
  for (const subscriber of subscribers.splice(0)) await subscriber.close();
});
afterAll(async () => {
  await gw?.close();
});

function overWs(query: string, variables: Record<string, unknown> = {}): TestSubscriber {
  const subscriber = subscribeWs(gw.wsUrl, query, variables);
  subscribers.push(subscriber);
  return subscriber;
}

async function overHttp(query: string): Promise<{ status: number; codes: unknown[] }> {
  const response = await fetch(gw.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
  return { status: response.status, codes: (body.errors ?? []).map((e) => e.extensions?.code) };
}

const postWebhookTo = (gw: TestGateway, app: string) => postWebhook(gw.base, stateChanged(app, 'm1', 'stopped', 'started'));
const upstreamCalls = () => Object.values(gw.emu.requestCounts()).reduce((a, b) => a + b, 0);

/** `machine { app { machines { nodes { ... } } } }` nested `levels` times: each level adds three to the depth. */
function nest(levels: number): string {
  let selection = 'id';
  for (let i = 0; i < levels; i++) selection = `app { machines { nodes { ${selection} } } }`;
  return selection;
}

const depthBombQuery = `{ apps { nodes { machines { nodes { ${nest(4)} } } } } }`;
const depthBombSubscription = `subscription { machineStateChanged(app: "web") { kind machine { ${nest(4)} } } }`;
const tokenBomb = `{ apps { nodes { ${'name '.repeat(2_100)} } } }`;

function codesOf(failure: unknown): unknown[] {
  return Array.isArray(failure) ? failure.map((e: { extensions?: { code?: string } }) => e.extensions?.code) : [failure];
}

describe('graphql-ws enforces the same limits as HTTP', () => {
  it('should execute a small query over WebSocket and reach Fly when the document is within limits', async () => {
    gw.emu.resetRequestCounts();
    const answer = (await overWs('{ apps { nodes { name } } }').next()) as unknown as { nodes: { name: string }[] };
    expect(answer.nodes.map((a) => a.name)).toContain('web');
    expect(upstreamCalls()).toBeGreaterThan(0);
  });

  it('should reject a depth bomb over WebSocket with the HTTP error code and no upstream call', async () => {
    const http = await overHttp(depthBombQuery);
    expect(http).toEqual({ status: 400, codes: ['MAX_DEPTH_EXCEEDED'] });
    gw.emu.resetRequestCounts();
    expect(codesOf(await overWs(depthBombQuery).failed)).toEqual(['MAX_DEPTH_EXCEEDED']);
    expect(codesOf(await overWs(depthBombSubscription).failed)).toEqual(['MAX_DEPTH_EXCEEDED']);
    expect(upstreamCalls()).toBe(0);
  });

  it('should reject a document over the token limit over WebSocket with the HTTP error code and no upstream call', async () => {
    expect(await overHttp(tokenBomb)).toEqual({ status: 400, codes: ['MAX_TOKENS_EXCEEDED'] });
    gw.emu.resetRequestCounts();
    expect(codesOf(await overWs(tokenBomb).failed)).toEqual(['MAX_TOKENS_EXCEEDED']);
    expect(upstreamCalls()).toBe(0);
  });

  it('should close the socket with 1009 and call nothing upstream when a message is over the body limit', async () => {
    // The socket error goes through the gateway's logger, never to the console with a stack trace.
    const console_ = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    onTestFinished(() => console_.mockRestore());
    gw.emu.resetRequestCounts();
    const subscriber = overWs('query Big($pad: String) { apps { nodes { name } } }', { pad: 'x'.repeat(60_000) });
    expect(await subscriber.closed).toBe(1009);
    expect(await subscriber.failed).toMatchObject({ code: 1009 });
    expect(upstreamCalls()).toBe(0);
    expect(console_).not.toHaveBeenCalled();
  });
});

describe('shutdown with open subscriptions', () => {
  it('should close open graphql-ws subscriptions with 1001 when the gateway stops', async () => {
    const own = await startTestGateway();
    let stopped = false;
    try {
      const app = uniqueApp();
      const first = subscribeWs(own.wsUrl, STATE_CHANGES, { app, afterSeq: 0 });
      const second = subscribeWs(own.wsUrl, STATE_CHANGES, { app: uniqueApp(), afterSeq: 0 });
      // Each client connects lazily; the server counting both sockets means both are open.
      for (let i = 0; i < 500 && own.gateway.subscriberCount() < 2; i++) await new Promise((r) => setTimeout(r, 10));
      expect(own.gateway.subscriberCount()).toBe(2);
      await own.close();
      stopped = true;
      expect(await Promise.all([first.closed, second.closed])).toEqual([1001, 1001]);
      expect(await first.failed).toMatchObject({ code: 1001 });
      expect(own.gateway.subscriberCount()).toBe(0);
    } finally {
      if (!stopped) await own.close();
    }
  });

  it('should complete open SSE subscriptions cleanly when the gateway stops, without waiting for the shutdown grace', async () => {
    // A long grace: if stop() waited for the SSE stream to drain, the stream would be cut ("terminated") instead.
    const own = await startTestGateway({ env: { SHUTDOWN_GRACE_MS: '20000' } });
    const app = uniqueApp();
    const subscriber = subscribeSse(own.graphqlUrl, STATE_CHANGES, { app, afterSeq: 0 });
    let closed = false;
    try {
      expect((await postWebhookTo(own, app)).status).toBe(204);
      expect(await subscriber.next()).toMatchObject({ kind: 'EVENT', app });
      const stopping = own.close().then(() => (closed = true));
      expect(String(await subscriber.failed)).toBe('Error: subscription completed');
      await stopping;
    } finally {
      if (!closed) await own.close();
    }
    await subscriber.close();
  });
});
