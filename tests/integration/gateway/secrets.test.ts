import { randomBytes } from 'node:crypto';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createKey } from '#src/api/auth/keys.js';
import { loadConfig } from '#src/config/load-config.js';
import { createEmulator, type Emulator } from '#src/emulator/emulator.js';
import { createGateway, type Gateway } from '#src/gateway.js';
import { signWebhook } from '#src/services/webhooks/signature.js';

const token = `fm2_${randomBytes(24).toString('hex')}`;
const webhookSecret = `whsec_${randomBytes(32).toString('base64')}`;
const redisPassword = `pw${randomBytes(12).toString('hex')}`;
const secrets = [token, webhookSecret, webhookSecret.slice('whsec_'.length), redisPassword];

describe('secrets', () => {
  let emulator: Emulator;
  let gateway: Gateway;
  let url: string;
  const logLines: string[] = [];
  const seen: string[] = [];
  const spans = new InMemorySpanExporter();

  async function call(path: string, init?: RequestInit): Promise<Response> {
    const response = await fetch(url.replace(/\/graphql$/, path), init);
    seen.push(JSON.stringify([...response.headers]), await response.clone().text());
    return response;
  }
  const graphql = (query: string) =>
    call('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });

  beforeAll(async () => {
    emulator = createEmulator({ seed: 'demo', token });
    await emulator.start();
    gateway = createGateway(
      loadConfig({
        env: {
          PORT: '0',
          HOST: '127.0.0.1',
          LOG_LEVEL: 'trace',
          FLY_API_TOKEN: token,
          FLY_API_BASE_URL: emulator.url,
          WEBHOOK_SECRET: webhookSecret,
          // The shared Redis has no password, so AUTH fails and the driver reports errors: they must be scrubbed.
          REDIS_URL: `redis://:${redisPassword}@127.0.0.1:6379`,
          SYNC_ENABLED: 'false',
        },
      }),
      { logDestination: { write: (line: string) => void logLines.push(line) }, spanExporter: spans },
    );
    url = (await gateway.start()).url;
  });
  afterAll(async () => {
    await gateway?.stop();
    await emulator?.stop();
  });

  it('should keep the Fly token, webhook secret and Redis password out of responses, logs, metrics and spans when things fail', async () => {
    await graphql('{ apps { nodes { name machines { nodes { machineId state } } } } }');
    await graphql('{ machine(app: "nope", machineId: "00000000000000") { state } }');
    emulator.faults.add({ route: 'apps.list', status: 401, times: 1 });
    await graphql('{ apps { nodes { name } } }');
    emulator.faults.add({ route: 'apps.list', status: 500 });
    await graphql('{ apps { nodes { name } } }');
    emulator.faults.clear();
    await graphql('{ nosuchfield }');
    await graphql('{ health { ok checks { name ok message } } }');
    await call('/readyz');
    await call('/webhooks/fly', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const body = JSON.stringify({
      type: 'machine.created',
      timestamp: new Date().toISOString(),
      data: { app: 'demo-web', machine_id: 'abc' },
    });
    const signed = signWebhook({
      secrets: [webhookSecret],
      id: 'msg_secret_test',
      timestamp: Math.floor(Date.now() / 1000) - 10_000,
      body,
    });
    await call('/webhooks/fly', { method: 'POST', headers: { ...signed, 'content-type': 'application/json' }, body });
    const metrics = await (await call('/metrics')).text();

    expect(logLines.length).toBeGreaterThan(0);
    expect(metrics).toContain('flygate_upstream_call_seconds');
    // Everything a span carries to a collector: names, attributes, status, events, links, resource.
    const spanText = spans
      .getFinishedSpans()
      .map((s: ReadableSpan) =>
        JSON.stringify([s.name, s.attributes, s.status, s.events, s.links, s.resource.attributes, s.spanContext().traceState?.serialize()]),
      );
    expect(spanText.length).toBeGreaterThan(0);
    const everything = [...seen, ...logLines, metrics, ...spanText].join('\n');
    for (const secret of secrets) expect(everything).not.toContain(secret);
  });
});

describe('secrets of callers', () => {
  const callerToken = `fm2_${randomBytes(24).toString('hex')}`;
  const apiKey = createKey('ci', new Set(['read']));
  const wrongKey = createKey('nobody', new Set(['read'])).key;
  // One exporter per gateway: stopping a gateway shuts its exporter down (which empties it).
  let callerSpans = new InMemorySpanExporter();
  /** Everything the spans of a run would carry to a collector (read before the gateway stops). */
  const spanTexts = () =>
    callerSpans
      .getFinishedSpans()
      .map((s: ReadableSpan) => JSON.stringify([s.name, s.attributes, s.status, s.events, s.links, s.resource.attributes]));

  async function gatewayWith(env: Record<string, string>, emulator: Emulator, lines: string[]): Promise<{ gateway: Gateway; url: string }> {
    callerSpans = new InMemorySpanExporter();
    const gateway = createGateway(
      loadConfig({
        env: {
          PORT: '0',
          HOST: '127.0.0.1',
          LOG_LEVEL: 'trace',
          FLY_API_TOKEN: token,
          FLY_API_BASE_URL: emulator.url,
          SYNC_ENABLED: 'false',
          ...env,
        },
      }),
      { logDestination: { write: (line: string) => void lines.push(line) }, spanExporter: callerSpans },
    );
    return { gateway, url: (await gateway.start()).url };
  }

  async function exercise(url: string, authorizations: string[], seen: string[]): Promise<void> {
    for (const authorization of authorizations) {
      for (const query of [
        '{ apps { nodes { name machines { nodes { machineId } } } } }',
        '{ nosuchfield }',
        'mutation { startMachine(input: { app: "demo-web", machineId: "x" }) { __typename } }',
      ]) {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization },
          body: JSON.stringify({ query }),
        });
        seen.push(JSON.stringify([...response.headers]), await response.text());
      }
      const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
      const closed = new Promise<string>((resolve) => socket.on('close', (code, reason) => resolve(`${code} ${reason.toString()}`)));
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization } })));
      socket.on('message', (data) => {
        seen.push(data.toString());
        socket.close();
      });
      seen.push(await closed);
    }
    seen.push(await (await fetch(url.replace(/\/graphql$/, '/metrics'))).text());
  }

  it('should keep API keys (right and wrong) out of responses, logs, metrics and spans when AUTH_MODE is api-keys', async () => {
    const emulator = createEmulator({ seed: 'demo', token });
    await emulator.start();
    const lines: string[] = [];
    const seen: string[] = [];
    const spans: string[] = [];
    const { gateway, url } = await gatewayWith({ AUTH_MODE: 'api-keys', API_KEYS: apiKey.entry }, emulator, lines);
    try {
      await exercise(url, [`Bearer ${apiKey.key}`, `Bearer ${wrongKey}`, apiKey.key], seen);
      spans.push(...spanTexts());
    } finally {
      await gateway.stop();
      await emulator.stop();
    }
    expect(seen.join('\n')).toContain('ForbiddenError');
    expect(spans.length).toBeGreaterThan(0);
    const everything = [...seen, ...lines, ...spans].join('\n');
    for (const secret of [apiKey.key, wrongKey, apiKey.entry, token]) expect(everything).not.toContain(secret);
  });

  it("should keep callers' Fly tokens out of responses, logs, metrics and spans when AUTH_MODE is fly-token, Fly failing included", async () => {
    const emulator = createEmulator({ seed: 'demo', token, scopedTokens: { [callerToken]: ['demo-web'] } });
    await emulator.start();
    const lines: string[] = [];
    const seen: string[] = [];
    const spans: string[] = [];
    const { gateway, url } = await gatewayWith({ AUTH_MODE: 'fly-token' }, emulator, lines);
    try {
      await exercise(url, [`Bearer ${callerToken}`, `FlyV1 ${callerToken}`], seen);
      emulator.faults.add({ route: 'apps.list', status: 401, times: 1 });
      emulator.faults.add({ route: 'machines.list', status: 500, times: 1 });
      await exercise(url, [`Bearer ${callerToken}`], seen);
      emulator.faults.clear();
      await exercise(url, [`Bearer ${callerToken.slice(0, -2)}xx`], seen);
      spans.push(...spanTexts());
    } finally {
      await gateway.stop();
      await emulator.stop();
    }
    expect(seen.join('\n')).toContain('demo-web');
    expect(spans.some((text) => text.includes('/v1/apps'))).toBe(true);
    const everything = [...seen, ...lines, ...spans].join('\n');
    for (const secret of [callerToken, callerToken.slice(0, -2), token]) expect(everything).not.toContain(secret);
  });
});
