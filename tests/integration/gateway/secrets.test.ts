import { randomBytes } from 'node:crypto';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.js';
import { createEmulator, type Emulator } from '../../../src/emulator/emulator.js';
import { createGateway, type Gateway } from '../../../src/gateway.js';
import { signWebhook } from '../../../src/services/webhooks/signature.js';

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
