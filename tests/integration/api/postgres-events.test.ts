import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoRelay, type DemoRelay } from '#src/demo/relay.js';
import { createEmulator, type Emulator } from '#src/emulator/emulator.js';
import { createManualClock, systemClock, type ManualClock } from '#src/lib/clock.js';
import { silentLogger } from '#src/lib/logger.js';
import { startRedisServer, type TestRedisServer } from '../../helpers/redis-server.js';
import { buildTestGateway, type BuiltTestGateway } from '../../helpers/test-gateway.js';
import { NEW_SECRET, OLD_SECRET, subscribeWs, type TestSubscriber } from '../events/harness.js';
import { liveWs } from '../live/live-clients.js';

// A cluster's lifecycle as subscribers see it: the emulator announces each status (postgres.changed), a relay signs
// it to the gateway's webhook, postgresClusterChanged delivers it and a @live query over the cluster is pushed when
// it becomes ready. Then the credentials: shown once, and nowhere else (responses, errors, logs, spans, Redis, events).

const CHANGES = `subscription($id: String!, $afterSeq: Int) {
  postgresClusterChanged(clusterId: $id, afterSeq: $afterSeq) { kind app type resourceKind resourceId state version }
}`;

describe('Managed Postgres events, live queries and credentials', () => {
  let emu: Emulator;
  let clock: ManualClock;
  let built: BuiltTestGateway;
  let relay: DemoRelay;
  let redis: TestRedisServer;
  const logLines: string[] = [];
  const spans = new InMemorySpanExporter();
  const seen: string[] = [];
  const subscribers: TestSubscriber[] = [];

  const ask = async (query: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(built.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    seen.push(text);
    return JSON.parse(text) as { data: any; errors?: Array<{ message: string; extensions?: { code?: string } }>; extensions: any };
  };
  const subscribe = (id: string) => {
    const s = subscribeWs(built.url.replace(/^http/, 'ws'), CHANGES, { id, afterSeq: 0 });
    subscribers.push(s);
    return s;
  };

  beforeAll(async () => {
    redis = await startRedisServer();
    // The emulator's clock moves only when a test says (starting now: webhooks carry its timestamps); the gateway's is real.
    clock = createManualClock(Date.now());
    emu = createEmulator({ seed: 'none', clock, postgresDelayMs: 1000 });
    await emu.start({ port: 0, host: '127.0.0.1' });
    built = await buildTestGateway({
      emulator: emu,
      listen: true,
      env: { WEBHOOK_SECRET: `${OLD_SECRET} ${NEW_SECRET}`, REDIS_URL: redis.url, LIVE_THROTTLE_MS: '50', LOG_LEVEL: 'trace' },
      deps: { spanExporter: spans, logDestination: { write: (line: string) => void logLines.push(line) } },
    });
    relay = createDemoRelay({
      source: emu,
      url: built.url.replace(/\/graphql$/, '/webhooks/fly'),
      secret: NEW_SECRET,
      clock: systemClock,
      logger: silentLogger,
    });
  });
  afterAll(async () => {
    await Promise.all(subscribers.map((s) => s.close()));
    await relay?.stop();
    await built?.close();
    await emu?.stop();
    await redis?.stop();
  });

  it('should deliver creating, initializing and ready to postgresClusterChanged, and push a @live query when the cluster is ready', async () => {
    const created = await ask(
      `mutation { createPostgresCluster(input: { name: "live-pg", plan: BASIC, region: "iad" }) { ... on CreatePostgresClusterSuccess { cluster { clusterId status } } } }`,
    );
    const { clusterId, status } = created.data.createPostgresCluster.cluster;
    expect(status).toBe('creating');
    const changes = subscribe(clusterId);
    const live = liveWs(built.url.replace(/^http/, 'ws'), `query($id: String!) @live { postgresCluster(id: $id) { status } }`, {
      id: clusterId,
    });
    try {
      const first = await live.next(2_000);
      expect(first.data).toEqual({ postgresCluster: { status: 'creating' } });
      expect(await changes.next(3_000)).toMatchObject({ state: 'creating', version: '1' });
      await clock.advance(1000);
      expect(await changes.next(3_000)).toMatchObject({ state: 'initializing', version: '2' });
      await clock.advance(1000);
      expect(await changes.next(3_000)).toEqual({
        kind: 'EVENT',
        app: `postgres:${clusterId}`,
        type: 'POSTGRES_CHANGED',
        resourceKind: 'POSTGRES',
        resourceId: clusterId,
        state: 'ready',
        version: '3',
      });
      let pushed = first;
      while ((pushed.data as { postgresCluster: { status: string } }).postgresCluster.status !== 'ready') pushed = await live.next(3_000);
      expect(pushed.live.revision).toBeGreaterThan(1);
    } finally {
      await live.close();
    }
    // The cached cluster was dropped by the event: a plain read shows ready, from one call.
    const after = await ask(`query($id: String!) { postgresCluster(id: $id) { status } }`, { id: clusterId });
    expect(after.data.postgresCluster.status).toBe('ready');
  });

  it('should deliver a status the cluster had before again (ready, failed, ready): each change is news', async () => {
    const clusterId = emu.postgres.createCluster({ name: 'flaky-pg' });
    const changes = subscribe(clusterId);
    emu.postgres.setStatus(clusterId, 'failed');
    emu.postgres.setStatus(clusterId, 'ready');
    emu.postgres.setStatus(clusterId, 'failed');
    const states = [await changes.next(3_000), await changes.next(3_000), await changes.next(3_000)].map((d) => [d.state, d.version]);
    expect(states).toEqual([
      ['failed', '1'],
      ['ready', '2'],
      ['failed', '3'],
    ]);
  });

  it('should refuse postgresClusterChanged for a cluster Fly does not show (NOT_FOUND), before anything is delivered', async () => {
    const s = subscribe('no-such-cluster');
    const failure = (await s.failed) as Array<{ extensions?: { code?: string } }>;
    expect(JSON.stringify(failure)).toContain('NOT_FOUND');
  });

  it('should show a password once, in the mutation that produced it, and nowhere else', async () => {
    const clusterId = emu.postgres.createCluster({
      name: 'secret-pg',
      databases: ['app'],
      users: [{ username: 'app_user', role: 'writer' }],
    });
    const events = subscribe(clusterId);
    const CRED = '... on Error { code message }';
    const rotated = await ask(
      `mutation($id: String!) { rotatePostgresPassword(input: { clusterId: $id, username: "app_user" }) { ... on RotatePostgresPasswordSuccess { credentials { password } } ${CRED} } }`,
      { id: clusterId },
    );
    const password = rotated.data.rotatePostgresPassword.credentials.password as string;
    expect(password).toBe(emu.postgres.password(clusterId, 'app_user'));
    const revealed = await ask(
      `mutation($id: String!) { revealPostgresCredentials(input: { clusterId: $id, username: "app_user" }) { ... on RevealPostgresCredentialsSuccess { credentials { password } } } }`,
      { id: clusterId },
    );
    expect(revealed.data.revealPostgresCredentials.credentials.password).toBe(password);
    // The two answers that showed it are the only ones allowed to hold it.
    seen.length = 0;

    await ask(
      `query($id: String!) { postgresCluster(id: $id) { name status users { username role } databases { name } endpoints { direct { host } } } }`,
      {
        id: clusterId,
      },
    );
    await ask(`query { postgresClusters { clusterId name } }`);
    await ask(
      `mutation($id: String!) { revealPostgresCredentials(input: { clusterId: $id, username: "ghost" }) { ... on Error { code message } } }`,
      { id: clusterId },
    );
    emu.faults.add({ route: 'postgres.users.credentials', status: 500, times: 1 });
    await ask(
      `mutation($id: String!) { revealPostgresCredentials(input: { clusterId: $id, username: "app_user" }) { __typename ${CRED} } }`,
      { id: clusterId },
    );
    emu.faults.clear();
    emu.postgres.setStatus(clusterId, 'failed');
    const delivered = await events.next(3_000);
    expect(delivered).toMatchObject({ resourceId: clusterId, state: 'failed' });

    const client = new Redis(redis.url);
    try {
      const keys = await client.keys('*');
      expect(keys.length).toBeGreaterThan(0);
      const dump: string[] = [];
      for (const key of keys) {
        const type = await client.type(key);
        if (type === 'string') dump.push(key, String(await client.getBuffer(key)));
        else if (type === 'hash') dump.push(key, JSON.stringify(await client.hgetall(key)));
        else if (type === 'stream') dump.push(key, JSON.stringify(await client.xrange(key, '-', '+')));
        else if (type === 'set') dump.push(key, JSON.stringify(await client.smembers(key)));
        else if (type === 'zset') dump.push(key, JSON.stringify(await client.zrange(key, 0, -1)));
        else if (type === 'list') dump.push(key, JSON.stringify(await client.lrange(key, 0, -1)));
        else dump.push(key);
      }
      expect(dump.join('\n')).toContain(clusterId);
      expect(dump.join('\n')).not.toContain(password);
    } finally {
      client.disconnect();
    }
    const spanText = JSON.stringify(spans.getFinishedSpans().map((s) => ({ name: s.name, attributes: s.attributes, events: s.events })));
    expect(spanText).toContain('postgres.users.credentials');
    expect(spanText).not.toContain(password);
    expect(logLines.join('\n')).not.toContain(password);
    expect(seen.join('\n')).not.toContain(password);
    expect(JSON.stringify(delivered)).not.toContain(password);
    const metrics = await (await fetch(built.url.replace(/\/graphql$/, '/metrics'))).text();
    expect(metrics).not.toContain(password);
  });
});
