import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '#src/api/auth/keys.js';
import { createEmulator, type Emulator } from '#src/emulator/emulator.js';
import { buildTestGateway, INSTANT, type BuiltTestGateway } from '../../helpers/test-gateway.js';
import { startRedisServer, type TestRedisServer } from '../../helpers/redis-server.js';

// createDeployToken: one POST /v1/apps/{app}/deploy_token; admin scope with API keys, Fly's word in fly-token mode.
// The token is shown once, in the answer: never in a log line, a span, a metric, the read or whole-response cache,
// an audit entry or an event (all of which live in Redis here, so the whole of Redis is searched too).

const MINT = `mutation($app: String!, $expiry: String) {
  createDeployToken(input: { app: $app, expiry: $expiry }) {
    __typename ... on CreateDeployTokenSuccess { app token } ... on InvalidInputError { issues { field } } ... on Error { code message }
  }
}`;

type Answer = { data: any; extensions: { upstreamCalls: { byOperation: Record<string, number> } } };

/** Every value Redis holds, whatever its type, as text. */
async function everythingIn(redis: Redis): Promise<string> {
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'COUNT', 500);
    cursor = next;
    for (const key of keys) {
      const type = await redis.type(key);
      out.push(key);
      if (type === 'string') out.push((await redis.getBuffer(key))?.toString('latin1') ?? '');
      else if (type === 'hash') out.push(JSON.stringify(await redis.hgetall(key)));
      else if (type === 'list') out.push(JSON.stringify(await redis.lrange(key, 0, -1)));
      else if (type === 'set') out.push(JSON.stringify(await redis.smembers(key)));
      else if (type === 'zset') out.push(JSON.stringify(await redis.zrange(key, 0, -1)));
      else if (type === 'stream') out.push(JSON.stringify(await redis.xrange(key, '-', '+')));
    }
  } while (cursor !== '0');
  return out.join('\n');
}

describe('createDeployToken', () => {
  const admin = createKey('admin', new Set(['admin']));
  const writer = createKey('writer', new Set(['read', 'write']));
  const reader = createKey('reader', new Set(['read']));
  const spans = new InMemorySpanExporter();
  const lines: string[] = [];
  let redisServer: TestRedisServer;
  let redis: Redis;
  let built: BuiltTestGateway;
  const ask = async (key: string, variables: Record<string, unknown>): Promise<Answer> => {
    const response = await built.gateway.fetch('http://gateway/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: MINT, variables }),
    });
    return (await response.json()) as Answer;
  };
  const mints = () => built.emu.requestCounts()['apps.deploy_token'] ?? 0;

  beforeAll(async () => {
    redisServer = await startRedisServer();
    redis = new Redis(redisServer.url);
    built = await buildTestGateway({
      listen: true,
      env: {
        AUTH_MODE: 'api-keys',
        API_KEYS: `${admin.entry},${writer.entry},${reader.entry}`,
        REDIS_URL: redisServer.url,
        LOG_LEVEL: 'trace',
      },
      deps: { logDestination: { write: (line: string) => void lines.push(line) }, spanExporter: spans },
    });
    built.emu.control.createApp('ship');
    built.emu.control.createMachine('ship', { config: { image: 'registry.fly.io/ship:v1' } });
  });
  afterAll(async () => {
    await built?.close();
    redis?.disconnect();
    await redisServer?.stop();
  });

  it('should mint a token for an admin key with exactly one Fly call, a token the app then accepts', async () => {
    const before = mints();
    const answer = await ask(admin.key, { app: 'ship', expiry: '720h' });
    expect(answer.data.createDeployToken).toMatchObject({
      __typename: 'CreateDeployTokenSuccess',
      app: 'ship',
      token: expect.stringMatching(/^FlyV1 fm2_/),
    });
    expect(answer.extensions.upstreamCalls.byOperation).toEqual({ 'apps.deploy_token': 1 });
    expect(mints()).toBe(before + 1);
    const token = answer.data.createDeployToken.token as string;
    const own = await fetch(`${built.emu.url}/v1/apps/ship`, { headers: { authorization: token } });
    expect(own.status).toBe(200);
  });

  it('should mint a new token each time: nothing is answered from a cache', async () => {
    const first = await ask(admin.key, { app: 'ship' });
    const second = await ask(admin.key, { app: 'ship' });
    expect(second.extensions.upstreamCalls.byOperation).toEqual({ 'apps.deploy_token': 1 });
    expect(first.data.createDeployToken.token).not.toBe(second.data.createDeployToken.token);
  });

  it('should refuse a write key and a read key (FORBIDDEN) and bad input, with nothing sent to Fly', async () => {
    const before = mints();
    expect((await ask(writer.key, { app: 'ship' })).data.createDeployToken).toMatchObject({
      __typename: 'ForbiddenError',
      code: 'FORBIDDEN',
    });
    expect((await ask(reader.key, { app: 'ship' })).data.createDeployToken).toMatchObject({ __typename: 'ForbiddenError' });
    const bad = await ask(admin.key, { app: 'ship', expiry: 'forever' });
    expect(bad.data.createDeployToken).toMatchObject({ __typename: 'InvalidInputError', issues: [{ field: 'input.expiry' }] });
    expect(mints()).toBe(before);
    expect((await ask(admin.key, { app: 'no-such-app' })).data.createDeployToken).toMatchObject({ __typename: 'NotFoundError' });
  });

  it('should show the token in the answer only: no log line, audit entry, span, metric, cache entry or event holds it', async () => {
    lines.length = 0;
    const answer = await ask(admin.key, { app: 'ship' });
    const token = answer.data.createDeployToken.token as string;
    const secret = token.replace(/^FlyV1 /, '');
    // Fill the read cache and the whole-response cache around it, and read the app with the new token's app name.
    for (let i = 0; i < 2; i++) {
      await built.gateway.fetch('http://gateway/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.key}` },
        body: JSON.stringify({ query: '{ app(name: "ship") { name machines { nodes { machineId state } } } }' }),
      });
    }
    const audit = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.audit === true);
    expect(audit).toContainEqual(
      expect.objectContaining({ operation: 'createDeployToken', target: { app: 'ship' }, outcome: 'CreateDeployTokenSuccess' }),
    );
    const metrics = await (await fetch(built.url.replace(/\/graphql$/, '/metrics'))).text();
    const spanText = spans
      .getFinishedSpans()
      .map((s: ReadableSpan) => JSON.stringify([s.name, s.attributes, s.status, s.events, s.links, s.resource.attributes]));
    expect(spanText.length).toBeGreaterThan(0);
    const stored = await everythingIn(redis);
    expect(stored).toContain('ship');
    for (const [where, text] of [
      ['logs', lines.join('\n')],
      ['metrics', metrics],
      ['spans', spanText.join('\n')],
      ['redis', stored],
    ] as const) {
      expect(text.includes(secret), `the token leaked into ${where}`).toBe(false);
    }
  });
});

describe('createDeployToken in the other auth modes', () => {
  it('should mint without auth (AUTH_MODE none)', async () => {
    const built = await buildTestGateway();
    try {
      built.emu.control.createApp('ship');
      const response = await built.gateway.fetch('http://gateway/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: MINT, variables: { app: 'ship' } }),
      });
      expect(((await response.json()) as Answer).data.createDeployToken.__typename).toBe('CreateDeployTokenSuccess');
    } finally {
      await built.close();
    }
  });

  it("should leave it to Fly in fly-token mode: the app's writer mints, a read-only token and a stranger are refused", async () => {
    const OWNER = 'emu_tenant_deploy_owner_0123456789';
    const READER = 'emu_tenant_deploy_reader_012345678';
    const STRANGER = 'emu_tenant_deploy_stranger_0123456';
    const emu: Emulator = createEmulator({
      seed: 'none',
      delays: INSTANT,
      scopedTokens: { [OWNER]: ['ship'], [STRANGER]: ['elsewhere'] },
      readOnlyTokens: { [READER]: ['ship'] },
    });
    await emu.start({ port: 0, host: '127.0.0.1' });
    const built = await buildTestGateway({ emulator: emu, env: { AUTH_MODE: 'fly-token', CACHE_RESPONSE_MAX_BYTES: '0' } });
    try {
      emu.control.createApp('ship');
      emu.control.createApp('elsewhere');
      const ask = async (token: string) =>
        (await (
          await built.gateway.fetch('http://gateway/graphql', {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ query: MINT, variables: { app: 'ship' } }),
          })
        ).json()) as Answer;
      // Minting changes nothing the read cache holds: the app read before it is still served from the cache after.
      const read = async () =>
        (
          (await (
            await built.gateway.fetch('http://gateway/graphql', {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${OWNER}` },
              body: JSON.stringify({ query: '{ app(name: "ship") { name machineCount } }' }),
            })
          ).json()) as Answer
        ).extensions.upstreamCalls.byOperation;
      expect(await read()).toEqual({ 'apps.get': 1 });
      expect((await ask(OWNER)).data.createDeployToken.__typename).toBe('CreateDeployTokenSuccess');
      expect(await read()).toEqual({});
      const refused = await ask(READER);
      expect(refused.data.createDeployToken).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
      const before = emu.requestCounts()['apps.deploy_token'] ?? 0;
      expect((await ask(STRANGER)).data.createDeployToken).toMatchObject({ __typename: 'ForbiddenError' });
      expect(emu.requestCounts()['apps.deploy_token'] ?? 0).toBe(before);
    } finally {
      await built.close();
      await emu.stop();
    }
  });
});
