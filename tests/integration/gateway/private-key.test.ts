import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoRelay, type DemoRelay } from '#src/demo/relay.js';
import { createEmulator, type Emulator, type EmulatorChange } from '#src/emulator/emulator.js';
import type { Gateway } from '#src/gateway.js';
import { loadConfig } from '#src/config/load-config.js';
import { createGateway } from '#src/gateway.js';
import { systemClock } from '#src/lib/clock.js';
import { silentLogger } from '#src/lib/logger.js';
import { startRedisServer, type TestRedisServer } from '../../helpers/redis-server.js';
import { OTHER_PRIVATE_KEY, TEST_CERT_HOSTNAME, TEST_FULLCHAIN, TEST_PRIVATE_KEY } from '../../helpers/test-certificate.js';
import { INSTANT } from '../../helpers/test-gateway.js';
import { subscribeSse, subscribeWs, type TestSubscriber } from '../events/clients.js';

// A custom certificate's private key is write-only: sent to Fly once, it must never come back in a response (HTTP,
// graphql-ws, SSE), an error, a log line, a span, a Redis key or value, an event or a webhook, whether the upload
// succeeds, Fly refuses it, the gateway refuses it, or the request itself is malformed.

const WEBHOOK_SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
/** Every base64 line of both keys: a fragment of a key is as bad as the key. */
const KEY_LINES = [TEST_PRIVATE_KEY, OTHER_PRIVATE_KEY].flatMap((key) =>
  key.split('\n').filter((line) => line.length >= 16 && !line.startsWith('-----')),
);
const MARKER = 'NOT-A-KEY-BUT-SECRET-0123456789';

const UPLOAD = `mutation Upload($input: AddCustomCertificateInput!) {
  addCustomCertificate(input: $input) { __typename ... on Error { code message } ... on InvalidInputError { issues { field message } } ... on AddCustomCertificateSuccess { certificate { hostname status certificates { source issuer } } } }
}`;
const EVENTS = `subscription($app: String!) { appEvents(app: $app, afterSeq: 0) { type resourceKind resourceId state version } }`;

/** Everything a Redis server holds, as text. */
async function dumpRedis(url: string): Promise<string> {
  const redis = new Redis(url);
  try {
    const out: string[] = [];
    for (const key of await redis.keys('*')) {
      const type = await redis.type(key);
      out.push(key);
      if (type === 'string') out.push((await redis.getBuffer(key))?.toString('latin1') ?? '');
      else if (type === 'hash') out.push(JSON.stringify(await redis.hgetall(key)));
      else if (type === 'set') out.push(JSON.stringify(await redis.smembers(key)));
      else if (type === 'zset') out.push(JSON.stringify(await redis.zrange(key, 0, -1)));
      else if (type === 'list') out.push(JSON.stringify(await redis.lrange(key, 0, -1)));
      else if (type === 'stream') out.push(JSON.stringify(await redis.xrange(key, '-', '+')));
    }
    return out.join('\n');
  } finally {
    redis.disconnect();
  }
}

describe('a custom certificate private key', () => {
  let redis: TestRedisServer;
  let emu: Emulator;
  let gateway: Gateway;
  let relay: DemoRelay;
  let url = '';
  const logLines: string[] = [];
  const seen: string[] = [];
  const changes: EmulatorChange[] = [];
  const spans = new InMemorySpanExporter();

  beforeAll(async () => {
    redis = await startRedisServer();
    emu = createEmulator({ seed: 'none', delays: INSTANT });
    await emu.start({ port: 0, host: '127.0.0.1' });
    emu.control.createApp('keyed');
    emu.onChange((change) => void changes.push(change));
    gateway = createGateway(
      loadConfig({
        env: {
          PORT: '0',
          HOST: '127.0.0.1',
          LOG_LEVEL: 'trace',
          FLY_API_TOKEN: emu.token,
          FLY_API_BASE_URL: emu.url,
          FLY_RATE_LIMIT: 'false',
          SYNC_ENABLED: 'false',
          AUTH_ALLOW_NONE: 'true',
          REDIS_URL: redis.url,
          WEBHOOK_SECRET,
        },
      }),
      { logDestination: { write: (line: string) => void logLines.push(line) }, spanExporter: spans },
    );
    url = (await gateway.start()).url;
    relay = createDemoRelay({
      source: emu,
      url: url.replace(/\/graphql$/, '/webhooks/fly'),
      secret: WEBHOOK_SECRET,
      clock: systemClock,
      logger: silentLogger,
      onDelivered: (change) => void seen.push(JSON.stringify(change)),
    });
  });
  afterAll(async () => {
    await relay?.stop();
    await gateway?.stop();
    await emu?.stop();
    await redis?.stop();
  });

  async function post(body: unknown): Promise<void> {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    seen.push(JSON.stringify([...response.headers]), await response.text());
  }

  /** Runs one operation over a transport and records everything it answered. */
  async function over(transport: 'ws' | 'sse', variables: Record<string, unknown>): Promise<void> {
    const subscriber: TestSubscriber =
      transport === 'ws' ? subscribeWs(url.replace(/^http/, 'ws'), UPLOAD, variables) : subscribeSse(url, UPLOAD, variables);
    try {
      seen.push(JSON.stringify(await subscriber.next(5_000)));
    } catch (error) {
      seen.push(JSON.stringify(error), String(error));
    } finally {
      await subscriber.close();
    }
  }

  it('should not appear in any response, error, log, span, Redis entry, event or webhook', async () => {
    const events = subscribeWs(url.replace(/^http/, 'ws'), EVENTS, { app: 'keyed' });
    const input = { app: 'keyed', hostname: TEST_CERT_HOSTNAME, fullchain: TEST_FULLCHAIN, privateKey: TEST_PRIVATE_KEY };
    // Accepted, over HTTP; then refused by Fly (the key does not match), over HTTP, graphql-ws and SSE.
    await post({ query: UPLOAD, variables: { input } });
    const mismatch = { ...input, privateKey: OTHER_PRIVATE_KEY };
    await post({ query: UPLOAD, variables: { input: mismatch } });
    await over('ws', { input: mismatch });
    await over('sse', { input: mismatch });
    // Refused by the gateway before Fly: not PEM; a key that is not a string; an unknown field beside the key.
    await post({ query: UPLOAD, variables: { input: { ...input, privateKey: MARKER } } });
    await post({ query: UPLOAD, variables: { input: { ...input, privateKey: [TEST_PRIVATE_KEY] } } });
    await post({ query: UPLOAD, variables: { input: { ...input, surprise: 1 } } });
    await over('ws', { input: { ...input, surprise: 1 } });
    await over('sse', { input: { ...input, surprise: 1 } });
    // Fly failing on the upload (the request path must not log or trace the body either).
    emu.faults.add({ route: 'certificates.custom.create', status: 500, times: 1 });
    await post({ query: UPLOAD, variables: { input } });
    // Reads of what was uploaded (cached in Redis).
    await post({
      query: `{ app(name: "keyed") { certificate(hostname: "${TEST_CERT_HOSTNAME}") { status certificates { source issuer } } certificates { nodes { hostname } } } }`,
    });

    const delivery = await events.next(5_000);
    seen.push(JSON.stringify(delivery), JSON.stringify(changes));
    await events.close();
    await relay.stop();

    // The checks can fail: the upload worked, errors came back, the log, spans, Redis and events are not empty.
    const answers = seen.join('\n');
    expect(answers).toContain('AddCustomCertificateSuccess');
    expect(answers).toContain('does not match');
    expect(answers).toContain('input.privateKey');
    expect(answers).toContain('surprise');
    expect(delivery).toMatchObject({ type: 'CERTIFICATE_CHANGED', resourceId: TEST_CERT_HOSTNAME });
    expect(logLines.length).toBeGreaterThan(0);
    const spanText = spans
      .getFinishedSpans()
      .map((s: ReadableSpan) => JSON.stringify([s.name, s.attributes, s.status, s.events, s.links, s.resource.attributes]));
    expect(spanText.some((text) => text.includes('certificates'))).toBe(true);
    const stored = await dumpRedis(redis.url);
    expect(stored).toContain(TEST_CERT_HOSTNAME);

    const everything = [answers, ...logLines, ...spanText, stored].join('\n');
    expect(everything).not.toContain('PRIVATE KEY');
    expect(everything).not.toContain(MARKER);
    for (const line of KEY_LINES) expect(everything).not.toContain(line);
  });
});
