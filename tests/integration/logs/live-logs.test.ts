import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '#src/api/auth/keys.js';
import { createEmulator, type Emulator } from '#src/emulator/emulator.js';
import type { Gateway } from '#src/gateway.js';
import { buildTestGateway, INSTANT, liveEnv, type BuiltTestGateway } from '../../helpers/test-gateway.js';
import { startRedisServer, type TestRedisServer } from '../../helpers/redis-server.js';
import { spawnChildGateway } from '../events/child-process.js';
import { subscribeSse, subscribeWs, type Delivery, type TestSubscriber } from '../events/harness.js';

// The logs subscription: every line once and in order on every instance, one upstream poll loop per stream across
// the deployment (Redis lock and logs bus), a takeover that resumes Fly's cursor when the polling instance dies, and
// streams that callers with different Fly tokens never share.

const LOGS = `subscription Logs($app: String!, $machineId: String, $level: String, $afterSeq: Int, $epoch: String) {
  logs(app: $app, machineId: $machineId, level: $level, afterSeq: $afterSeq, epoch: $epoch) {
    kind seq epoch resyncReason app machineId line { id message machineId region level }
  }
}`;

type LogItem = Delivery & { line?: { id: string; message: string; machineId: string; level: string } | null };

/** The messages of the next lines starting with `prefix` until `count` arrived (others, e.g. warm-up lines, skipped). */
async function messages(subscriber: TestSubscriber, prefix: string, count: number, waitMs = 15_000): Promise<string[]> {
  const out: string[] = [];
  while (out.length < count) {
    const item = (await subscriber.next(waitMs)) as LogItem;
    expect(item.kind).toBe('EVENT');
    if (item.line?.message.startsWith(prefix)) out.push(item.line.message);
  }
  return out;
}

/** Waits until `check` holds (polling every 20 ms), or fails after `ms`. */
async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const subscribers = (gateway: Gateway) => gateway.logs.status().reduce((sum, s) => sum + s.subscribers, 0);
const polling = (gateway: Gateway) => gateway.logs.status().filter((s) => s.polling).length;
const series = (prefix: string, n: number, from = 1) => Array.from({ length: n }, (_, i) => `${prefix}${i + from}`);

const open: TestSubscriber[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});
function track(subscriber: TestSubscriber): TestSubscriber {
  open.push(subscriber);
  return subscriber;
}

describe('live logs on one instance', () => {
  let built: BuiltTestGateway;
  let ws = '';
  beforeAll(async () => {
    built = await buildTestGateway({ listen: true });
    ws = built.url.replace(/^http/, 'ws');
    built.emu.control.createApp('solo');
  });
  afterAll(async () => built?.close());

  it('should deliver every line once and in order over graphql-ws and SSE, filtered, and stop polling after the last leaves', async () => {
    const all = track(subscribeWs(ws, LOGS, { app: 'solo' }));
    const m2 = track(subscribeWs(ws, LOGS, { app: 'solo', machineId: 'm2' }));
    const errors = track(subscribeSse(built.url, LOGS, { app: 'solo', level: 'error' }));
    await until(() => subscribers(built.gateway) === 3);
    expect(built.gateway.logs.status()).toHaveLength(1);
    for (let i = 1; i <= 30; i++) {
      built.emu.logs.append({
        app: 'solo',
        instance: i % 2 ? 'm1' : 'm2',
        region: 'iad',
        level: i % 3 ? 'info' : 'error',
        message: `n-${i}`,
      });
    }
    expect(await messages(all, 'n-', 30)).toEqual(series('n-', 30));
    expect(await messages(m2, 'n-', 15)).toEqual(series('n-', 30).filter((_, i) => (i + 1) % 2 === 0));
    expect(await messages(errors, 'n-', 10)).toEqual(series('n-', 30).filter((_, i) => (i + 1) % 3 === 0));
    expect(all.buffered()).toBe(0);

    await Promise.all(open.splice(0).map((s) => s.close()));
    await until(() => built.gateway.logs.status().length === 0);
    const before = built.emu.requestCounts()['logs.list'] ?? 0;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(built.emu.requestCounts()['logs.list'] ?? 0).toBe(before);
  });

  it('should resume after afterSeq with the lines missed meanwhile', async () => {
    const first = track(subscribeWs(ws, LOGS, { app: 'solo' }));
    await until(() => subscribers(built.gateway) === 1);
    built.emu.logs.append({ app: 'solo', instance: 'm1', region: 'iad', level: 'info', message: 'r-1' });
    const item = (await first.next(15_000)) as LogItem;
    expect(item.line?.message).toBe('r-1');
    const keeper = track(subscribeWs(ws, LOGS, { app: 'solo' }));
    await until(() => subscribers(built.gateway) === 2);
    built.emu.logs.append({ app: 'solo', instance: 'm1', region: 'iad', level: 'info', message: 'r-2' });
    built.emu.logs.append({ app: 'solo', instance: 'm1', region: 'iad', level: 'info', message: 'r-3' });
    expect(await messages(keeper, 'r-', 2)).toEqual(['r-2', 'r-3']);
    const resumed = track(subscribeWs(ws, LOGS, { app: 'solo', afterSeq: item.seq, epoch: item.epoch }));
    expect(await messages(resumed, 'r-', 2)).toEqual(['r-2', 'r-3']);
  });

  it('should refuse a bad app name with a clear error and keep serving', async () => {
    const missing = track(subscribeWs(ws, LOGS, { app: `missing-${randomUUID().slice(0, 8)}` }));
    const failure = (await missing.failed) as { extensions?: { code?: string } }[] | Error;
    expect(JSON.stringify(failure)).toContain('NOT_FOUND');
  });
});

describe('live logs across two instances sharing Redis', () => {
  let redis: TestRedisServer;
  let emu: Emulator;
  beforeAll(async () => {
    redis = await startRedisServer();
    emu = createEmulator({ seed: 'none', delays: INSTANT });
    await emu.start({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await emu?.stop();
    await redis?.stop();
  });
  const env = () => ({ REDIS_URL: redis.url, LOGS_LOCK_TTL_MS: '1000' });

  it('should poll once for ten subscribers on two instances, as often as for one, and deliver every line to each', async () => {
    const app = `fan-${randomUUID().slice(0, 8)}`;
    emu.control.createApp(app);
    const a = await buildTestGateway({ emulator: emu, listen: true, env: env() });
    const b = await buildTestGateway({ emulator: emu, listen: true, env: env() });
    try {
      const wsA = a.url.replace(/^http/, 'ws');
      const wsB = b.url.replace(/^http/, 'ws');
      // One subscriber: the baseline, counted from before its loop starts over the same window.
      emu.resetRequestCounts();
      const one = track(subscribeWs(wsA, LOGS, { app }));
      await until(() => subscribers(a.gateway) === 1 && polling(a.gateway) === 1);
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      const baseline = emu.requestCounts()['logs.list'] ?? 0;
      await one.close();
      await until(() => a.gateway.logs.status().length === 0);

      emu.resetRequestCounts();
      const many = [
        ...Array.from({ length: 5 }, () => subscribeWs(wsA, LOGS, { app })),
        ...Array.from({ length: 5 }, () => subscribeWs(wsB, LOGS, { app })),
      ].map(track);
      await until(() => subscribers(a.gateway) === 5 && subscribers(b.gateway) === 5 && polling(a.gateway) + polling(b.gateway) === 1);
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      const shared = emu.requestCounts()['logs.list'] ?? 0;
      expect(baseline).toBeGreaterThan(0);
      // The same backoff from a fresh loop (64 ms doubling): the same count give or take the poll at the window's edge,
      // where two loops would make about twice as many.
      expect(shared).toBeGreaterThan(0);
      expect(shared).toBeLessThanOrEqual(baseline + 1);
      expect(polling(a.gateway) + polling(b.gateway)).toBe(1);

      for (let i = 1; i <= 50; i++) emu.logs.append({ app, instance: 'm1', region: 'iad', level: 'info', message: `f-${i}` });
      for (const subscriber of many) expect(await messages(subscriber, 'f-', 50)).toEqual(series('f-', 50));
    } finally {
      await Promise.all(open.splice(0).map((s) => s.close()));
      await a.close();
      await b.close();
    }
  });

  it('should lose and repeat nothing when the polling instance is killed: another takes over from its cursor', async () => {
    const app = `kill-${randomUUID().slice(0, 8)}`;
    emu.control.createApp(app);
    const child = await spawnChildGateway({ ...liveEnv(emu), PORT: '0', HOST: '127.0.0.1', ...env() });
    const b = await buildTestGateway({ emulator: emu, listen: true, env: env() });
    try {
      const onA = track(subscribeWs(child.url.replace(/^http/, 'ws'), LOGS, { app }));
      // Only the child follows the app so far: a line arriving proves it is the one polling.
      for (let i = 1; ; i++) {
        emu.logs.append({ app, instance: 'm1', region: 'iad', level: 'info', message: `warm-${i}` });
        try {
          await onA.next(300);
          break;
        } catch (error) {
          if (!String(error).includes('no delivery within') || i > 50) throw error;
        }
      }
      const onB = track(subscribeWs(b.url.replace(/^http/, 'ws'), LOGS, { app }));
      await until(() => subscribers(b.gateway) === 1);
      expect(polling(b.gateway)).toBe(0);
      for (let i = 1; i <= 20; i++) emu.logs.append({ app, instance: 'm1', region: 'iad', level: 'info', message: `k-${i}` });
      expect(await messages(onB, 'k-', 20)).toEqual(series('k-', 20));
      // Lines keep coming while the poller dies without a goodbye (its lock lapses after LOGS_LOCK_TTL_MS).
      const appending = (async () => {
        for (let i = 21; i <= 60; i++) {
          emu.logs.append({ app, instance: 'm1', region: 'iad', level: 'info', message: `k-${i}` });
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
      })();
      await new Promise((resolve) => setTimeout(resolve, 100));
      await child.kill();
      await appending;
      expect(await messages(onB, 'k-', 40)).toEqual(series('k-', 40, 21));
      expect(polling(b.gateway)).toBe(1);
      // Nothing more (no duplicate) is on its way.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const extra: string[] = [];
      while (onB.buffered() > 0) extra.push(((await onB.next()) as LogItem).line?.message ?? 'resync');
      expect(extra.filter((m) => m.startsWith('k-'))).toEqual([]);
    } finally {
      await Promise.all(open.splice(0).map((s) => s.close()));
      await child.kill();
      await b.close();
    }
  }, 60_000);
});

describe('live logs and who may follow them', () => {
  const A_ONLY = 'emu_tenant_logs_a_0123456789abcdef';
  const A_TOO = 'emu_tenant_logs_a2_0123456789abcde';
  const B_ONLY = 'emu_tenant_logs_b_0123456789abcdef';
  let emu: Emulator;
  beforeAll(async () => {
    emu = createEmulator({
      seed: 'none',
      delays: INSTANT,
      scopedTokens: { [A_ONLY]: ['tenant-a'], [A_TOO]: ['tenant-a'], [B_ONLY]: ['tenant-b'] },
    });
    await emu.start({ port: 0, host: '127.0.0.1' });
    emu.control.createApp('tenant-a');
    emu.control.createApp('tenant-b');
  });
  afterAll(async () => emu?.stop());

  it('should check the token against the app before joining, and give each token a stream of its own', async () => {
    const built = await buildTestGateway({ emulator: emu, listen: true, env: { AUTH_MODE: 'fly-token' } });
    const ws = built.url.replace(/^http/, 'ws');
    const as = (token: string, app: string) =>
      track(subscribeWs(ws, LOGS, { app }, { connectionParams: { authorization: `Bearer ${token}` } }));
    try {
      const refused = as(B_ONLY, 'tenant-a');
      expect(JSON.stringify(await refused.failed)).toContain('FORBIDDEN');
      const one = as(A_ONLY, 'tenant-a');
      const two = as(A_TOO, 'tenant-a');
      await until(() => subscribers(built.gateway) === 2);
      // Two tokens, two streams (each polled with its own token), although they read the same app.
      expect(built.gateway.logs.status()).toHaveLength(2);
      emu.logs.append({ app: 'tenant-a', instance: 'm1', region: 'iad', level: 'info', message: 't-1' });
      expect(await messages(one, 't-', 1)).toEqual(['t-1']);
      expect(await messages(two, 't-', 1)).toEqual(['t-1']);
      // The refused caller started no stream.
      expect(built.gateway.logs.status().every((s) => s.subscribers === 1)).toBe(true);
    } finally {
      await Promise.all(open.splice(0).map((s) => s.close()));
      await built.close();
    }
  });

  it('should let a read key follow and history, and refuse a caller without a key', async () => {
    const reader = createKey('reader', new Set(['read']));
    const built = await buildTestGateway({ emulator: emu, listen: true, env: { AUTH_MODE: 'api-keys', API_KEYS: reader.entry } });
    try {
      const ws = built.url.replace(/^http/, 'ws');
      const follower = track(subscribeWs(ws, LOGS, { app: 'tenant-b' }, { connectionParams: { authorization: `Bearer ${reader.key}` } }));
      await until(() => subscribers(built.gateway) === 1);
      emu.logs.append({ app: 'tenant-b', instance: 'm1', region: 'iad', level: 'info', message: 'key-1' });
      expect(await messages(follower, 'key-', 1)).toEqual(['key-1']);
      const history = async (authorization?: string) =>
        fetch(built.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
          body: JSON.stringify({ query: '{ logs(app: "tenant-b", first: 5) { lines { message } } }' }),
        });
      const ok = (await (await history(`Bearer ${reader.key}`)).json()) as { data: { logs: { lines: { message: string }[] } } };
      expect(ok.data.logs.lines.map((l) => l.message)).toContain('key-1');
      const before = emu.requestCounts()['logs.list'] ?? 0;
      expect((await history()).status).toBe(401);
      const stranger = track(subscribeWs(ws, LOGS, { app: 'tenant-b' }));
      expect(await stranger.closed).toBe(4401);
      // Neither refusal reached Fly (the follower's loop may have polled meanwhile: at most a few times).
      expect((emu.requestCounts()['logs.list'] ?? 0) - before).toBeLessThan(10);
    } finally {
      await Promise.all(open.splice(0).map((s) => s.close()));
      await built.close();
    }
  });
});
