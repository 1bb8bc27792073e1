import { randomBytes } from 'node:crypto';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient } from 'graphql-ws';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { loadConfig } from '#src/config/load-config.js';
import { createDemoRelay, type DemoRelay } from '#src/demo/relay.js';
import { createEmulator, type Emulator, type EmulatorChange } from '#src/emulator/emulator.js';
import { createGateway, type Gateway } from '#src/gateway.js';
import { systemClock } from '#src/lib/clock.js';
import { silentLogger } from '#src/lib/logger.js';
import { startRedisServer, type TestRedisServer } from '../../helpers/redis-server.js';

// Every write-only value of secrets and secret keys (secret values, key material, plaintexts, messages), sent through
// every transport (HTTP POST, GET, graphql-ws, SSE) with tracing, metrics, Redis (cache, events, pub/sub), the audit
// log and the event relay on, successes and failures alike, must appear nowhere the gateway writes or answers:
// responses (but for decrypt's answer to its caller), errors, logs, metrics, spans, Redis keys or values, events.

const tag = () => randomBytes(12).toString('hex');
const SECRET_POST = `sv_post_${tag()}`;
const SECRET_WS = `sv_ws_${tag()}`;
const SECRET_SSE = `sv_sse_${tag()}`;
const SECRET_GET = `sv_get_${tag()}`;
const SECRET_INVALID = `sv_invalid_${tag()}`;
const SECRET_FAILED = `sv_failed_${tag()}`;
const KEY_MATERIAL = randomBytes(32);
const PLAINTEXT = `pt_${tag()}`;
const MESSAGE = `msg_${tag()}`;
const WEBHOOK_SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const APP = 'leaky';

const b64 = (text: string) => Buffer.from(text).toString('base64');

/** Each value as it could be written anywhere: as text, base64, hex, and the JSON byte array Fly's wire uses. */
const FORMS = [
  ...[SECRET_POST, SECRET_WS, SECRET_SSE, SECRET_GET, SECRET_INVALID, SECRET_FAILED, PLAINTEXT, MESSAGE].flatMap((s) => [s, b64(s)]),
  KEY_MATERIAL.toString('base64'),
  KEY_MATERIAL.toString('hex'),
  JSON.stringify([...KEY_MATERIAL]).slice(1, 40),
  JSON.stringify([...Buffer.from(PLAINTEXT)]).slice(1, 40),
];

const SET = `mutation($app: String!, $values: [SecretValueInput!]!) { setSecrets(input: { app: $app, values: $values }) { __typename ... on SetSecretsSuccess { version secrets { name digest } } ... on Error { code message } ... on InvalidInputError { issues { field message } } } }`;
const SET_ONE = `mutation($app: String!, $name: String!, $value: String!) { setSecret(input: { app: $app, name: $name, value: $value }) { __typename ... on Error { code message } } }`;
const SET_KEY = `mutation($app: String!, $name: String!, $type: String!, $value: String!) { setSecretKey(input: { app: $app, name: $name, type: $type, value: $value }) { __typename ... on SetSecretKeySuccess { secretKey { name type publicKey } } ... on Error { code message } } }`;
const ENCRYPT = `mutation($app: String!, $p: String!) { encryptWithSecretKey(input: { app: $app, name: "box", plaintext: $p }) { __typename ... on EncryptWithSecretKeySuccess { ciphertext } ... on Error { code message } ... on InvalidInputError { issues { field message } } } }`;
const DECRYPT = `mutation($app: String!, $c: String!) { decryptWithSecretKey(input: { app: $app, name: "box", ciphertext: $c }) { __typename ... on DecryptWithSecretKeySuccess { plaintext } ... on Error { code message } } }`;
const SIGN = `mutation($app: String!, $m: String!) { signWithSecretKey(input: { app: $app, name: "mac", message: $m }) { __typename ... on SignWithSecretKeySuccess { signature } ... on Error { code message } } }`;
const VERIFY = `mutation($app: String!, $m: String!, $s: String!) { verifyWithSecretKey(input: { app: $app, name: "mac", message: $m, signature: $s }) { __typename ... on VerifyWithSecretKeySuccess { valid } ... on Error { code message } } }`;
const READ = `query($app: String!) { app(name: $app) { secrets { name digest createdAt } secret(name: "POSTED") { name digest } secretKeys { name type publicKey } } }`;
const EVENTS = `subscription($app: String!) { appEvents(app: $app, afterSeq: 0) { kind seq app type resourceKind resourceId version } }`;

describe('secret values, key material and plaintexts', () => {
  let redis: TestRedisServer;
  let emulator: Emulator;
  let gateway: Gateway;
  let relay: DemoRelay;
  let url = '';
  let spy: Redis;
  let listener: Redis;
  const spans = new InMemorySpanExporter();
  const logLines: string[] = [];
  const seen: string[] = [];
  const published: string[] = [];
  const relayed: EmulatorChange[] = [];

  /** POSTs an operation; what comes back is recorded unless it is the one answer allowed to carry a value. */
  async function post(query: string, variables: Record<string, unknown>, record = true): Promise<any> {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    if (record) seen.push(JSON.stringify([...response.headers]), text);
    return JSON.parse(text);
  }

  /** Runs one operation over graphql-ws and returns its first result. */
  async function overWs(query: string, variables: Record<string, unknown>): Promise<any> {
    const client = createWsClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0 });
    try {
      return await new Promise((resolve, reject) => {
        client.subscribe({ query, variables }, { next: resolve, error: reject, complete: () => undefined });
      });
    } finally {
      await client.dispose();
    }
  }

  /** Runs one operation over SSE (graphql-sse) and returns its first result. */
  async function overSse(query: string, variables: Record<string, unknown>): Promise<any> {
    const client = createSseClient({ url, retryAttempts: 0 });
    try {
      return await new Promise((resolve, reject) => {
        client.subscribe({ query, variables }, { next: resolve, error: reject, complete: () => undefined });
      });
    } finally {
      client.dispose();
    }
  }

  /** Every key and value in the private Redis, whatever its type. */
  async function redisDump(): Promise<string[]> {
    const out: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await spy.scan(cursor, 'COUNT', 500);
      cursor = next;
      for (const key of keys) {
        out.push(key);
        const type = await spy.type(key);
        if (type === 'string') out.push((await spy.getBuffer(key))?.toString('latin1') ?? '');
        else if (type === 'hash') out.push(JSON.stringify(await spy.hgetall(key)));
        else if (type === 'list') out.push(JSON.stringify(await spy.lrange(key, 0, -1)));
        else if (type === 'set') out.push(JSON.stringify(await spy.smembers(key)));
        else if (type === 'zset') out.push(JSON.stringify(await spy.zrange(key, 0, -1)));
        else if (type === 'stream') out.push(JSON.stringify(await spy.xrange(key, '-', '+')));
      }
    } while (cursor !== '0');
    return out;
  }

  beforeAll(async () => {
    redis = await startRedisServer();
    spy = new Redis(redis.url, { lazyConnect: true });
    await spy.connect();
    // Everything published on any channel (cache invalidations, live query wake-ups) is recorded too.
    listener = new Redis(redis.url);
    await listener.psubscribe('*');
    listener.on('pmessage', (_pattern, channel, message) => published.push(channel, message));
    emulator = createEmulator({ seed: 'none' });
    await emulator.start({ port: 0, host: '127.0.0.1' });
    emulator.control.createApp(APP);
    emulator.control.createMachine(APP, { config: { image: 'registry.fly.io/leaky:1' } });
    gateway = createGateway(
      loadConfig({
        env: {
          // Production answers: development deliberately shows a malformed body's parser error, which quotes the body.
          APP_ENV: 'production',
          AUTH_ALLOW_NONE: 'true',
          PORT: '0',
          HOST: '127.0.0.1',
          LOG_LEVEL: 'trace',
          FLY_API_TOKEN: emulator.token,
          FLY_API_BASE_URL: emulator.url,
          REDIS_URL: redis.url,
          WEBHOOK_SECRET,
          SYNC_ENABLED: 'false',
        },
      }),
      { logDestination: { write: (line: string) => void logLines.push(line) }, spanExporter: spans },
    );
    url = (await gateway.start()).url;
    relay = createDemoRelay({
      source: emulator,
      url: url.replace(/\/graphql$/, '/webhooks/fly'),
      secret: WEBHOOK_SECRET,
      clock: systemClock,
      logger: silentLogger,
      onDelivered: (change) => void relayed.push(change),
    });
  });

  afterAll(async () => {
    await relay?.stop();
    await gateway?.stop();
    await emulator?.stop();
    await listener?.quit();
    await spy?.quit();
    await redis?.stop();
  });

  it('should keep every write-only value out of everything but the caller of decrypt, through every transport and failure', async () => {
    const events: unknown[] = [];
    const subscription = createWsClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0 });
    subscription.subscribe(
      { query: EVENTS, variables: { app: APP } },
      { next: (r) => void events.push(r), error: () => undefined, complete: () => undefined },
    );

    // Successes over HTTP POST, graphql-ws and SSE.
    expect((await post(SET, { app: APP, values: [{ name: 'POSTED', value: SECRET_POST }] })).data.setSecrets.__typename).toBe(
      'SetSecretsSuccess',
    );
    expect((await overWs(SET_ONE, { app: APP, name: 'OVER_WS', value: SECRET_WS })).data.setSecret.__typename).toBe('SetSecretSuccess');
    expect((await overSse(SET, { app: APP, values: [{ name: 'OVER_SSE', value: SECRET_SSE }] })).data.setSecrets.__typename).toBe(
      'SetSecretsSuccess',
    );
    const stored = await post(SET_KEY, { app: APP, name: 'mac', type: 'hs256', value: KEY_MATERIAL.toString('base64') });
    expect(stored.data.setSecretKey.__typename).toBe('SetSecretKeySuccess');
    await post(`mutation($app: String!) { generateSecretKey(input: { app: $app, name: "box", type: "aes256gcm" }) { __typename } }`, {
      app: APP,
    });
    const sealed = await post(ENCRYPT, { app: APP, p: b64(PLAINTEXT) });
    // The answer to decrypt is the one place the plaintext may appear: it is checked, then kept out of `seen`.
    const opened = await post(DECRYPT, { app: APP, c: sealed.data.encryptWithSecretKey.ciphertext }, false);
    expect(Buffer.from(opened.data.decryptWithSecretKey.plaintext, 'base64').toString()).toBe(PLAINTEXT);
    // The base64 form the checks below look for is the form the answer carries.
    expect(JSON.stringify(opened)).toContain(b64(PLAINTEXT));
    const openedWs = await overWs(DECRYPT, { app: APP, c: sealed.data.encryptWithSecretKey.ciphertext });
    expect(Buffer.from(openedWs.data.decryptWithSecretKey.plaintext, 'base64').toString()).toBe(PLAINTEXT);
    const signed = await overSse(SIGN, { app: APP, m: b64(MESSAGE) });
    seen.push(JSON.stringify(signed));
    seen.push(JSON.stringify(await overWs(VERIFY, { app: APP, m: b64(MESSAGE), s: signed.data.signWithSecretKey.signature })));
    seen.push(JSON.stringify(await overWs(SET_ONE, { app: APP, name: 'WS_TWO', value: SECRET_WS })));

    // Reads over POST and GET (a GET may carry queries only: a mutation over GET is refused).
    const read = await post(READ, { app: APP });
    expect(read.data.app.secrets.map((s: { name: string }) => s.name).sort()).toEqual(['OVER_SSE', 'OVER_WS', 'POSTED', 'WS_TWO']);
    const get = await fetch(`${url}?query=${encodeURIComponent(READ)}&variables=${encodeURIComponent(JSON.stringify({ app: APP }))}`, {
      headers: { 'x-graphql-csrf': '1' },
    });
    const getText = await get.text();
    seen.push(getText);
    expect(get.status, getText).toBe(200);
    const getMutation = await fetch(
      `${url}?query=${encodeURIComponent(SET)}&variables=${encodeURIComponent(JSON.stringify({ app: APP, values: [{ name: 'G', value: SECRET_GET }] }))}`,
      { headers: { 'x-graphql-csrf': '1' } },
    );
    seen.push(JSON.stringify([...getMutation.headers]), await getMutation.text());
    expect(getMutation.status).toBe(405);

    // Failures: invalid input that holds the value, Fly failing, an unknown app, bytes that are not base64.
    const invalid = await post(SET, {
      app: APP,
      values: [
        { name: '9BAD', value: SECRET_INVALID },
        { name: 'LONG', value: SECRET_INVALID.repeat(5000) },
      ],
    });
    expect(invalid.data.setSecrets.__typename).toBe('InvalidInputError');
    expect((await overWs(SET, { app: APP, values: [{ name: 'bad name', value: SECRET_INVALID }] })).data.setSecrets.__typename).toBe(
      'InvalidInputError',
    );
    seen.push(JSON.stringify(await overSse(ENCRYPT, { app: APP, p: `${PLAINTEXT}!` })));
    emulator.faults.add({ route: 'secrets.update', status: 500, times: 1 });
    const failed = await post(SET, { app: APP, values: [{ name: 'FAILED', value: SECRET_FAILED }] });
    expect(failed.data.setSecrets.code).toBe('UPSTREAM_UNAVAILABLE');
    emulator.faults.add({ route: 'secretkeys.decrypt', status: 500, times: 1 });
    seen.push(JSON.stringify(await overWs(DECRYPT, { app: APP, c: sealed.data.encryptWithSecretKey.ciphertext })));
    emulator.faults.clear();
    expect((await post(SET, { app: 'no-such-app', values: [{ name: 'X', value: SECRET_FAILED }] })).data.setSecrets.code).toBe('NOT_FOUND');
    const notJson = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"query":"${SET_ONE}","variables":{"value":"${SECRET_INVALID}"`,
    });
    seen.push(await notJson.text());

    // The events the changes made reached the subscriber (so the check below covers something).
    for (let i = 0; i < 100 && events.length < 4; i++) await new Promise((r) => setTimeout(r, 50));
    await subscription.dispose();
    expect(events.length).toBeGreaterThanOrEqual(4);
    expect(relayed.some((c) => c.type === 'secrets.changed')).toBe(true);

    const metrics = await (await fetch(url.replace(/\/graphql$/, '/metrics'))).text();
    expect(metrics).toContain('flygate_upstream_call_seconds');
    const spanText = spans
      .getFinishedSpans()
      .map((s: ReadableSpan) => JSON.stringify([s.name, s.attributes, s.status, s.events, s.links, s.resource.attributes]));
    expect(spanText.some((t) => t.includes('secrets.update'))).toBe(true);
    expect(logLines.some((l) => l.includes('"audit":true') && l.includes('setSecrets'))).toBe(true);
    // A last read fills the cache again (the failed writes above dropped it), so the dump holds a cached list. The
    // relay's last `secrets.changed` may still be on its way and drop that entry once more: read until it stays.
    let inRedis: string[] = [];
    for (let i = 0; i < 40 && !inRedis.join('\n').includes('OVER_SSE'); i++) {
      expect((await post(READ, { app: APP })).data.app.secrets).toHaveLength(4);
      await new Promise((r) => setTimeout(r, 50));
      inRedis = await redisDump();
    }
    expect(inRedis.length).toBeGreaterThan(0);

    const places: Record<string, string> = {
      responses: seen.join('\n'),
      logs: logLines.join('\n'),
      metrics,
      spans: spanText.join('\n'),
      redis: inRedis.join('\n'),
      published: published.join('\n'),
      events: JSON.stringify(events),
      relayed: JSON.stringify(relayed),
    };
    // The cached secrets list (names and digests) is in Redis, and the events carry the versions: the places are live.
    expect(places.redis).toContain('OVER_SSE');
    expect(places.events).toContain('SECRETS_CHANGED');
    for (const [place, text] of Object.entries(places)) {
      for (const form of FORMS) expect(text.includes(form), `${place} holds ${form.slice(0, 12)}…`).toBe(false);
    }
  });
});
