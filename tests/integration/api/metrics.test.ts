import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '#src/api/auth/keys.js';
import { machineProfile, unitHash } from '#src/emulator/metrics-series.js';
import { createManualClock, type ManualClock } from '#src/lib/clock.js';
import { buildTestGateway, type BuiltTestGateway } from '../../helpers/test-gateway.js';
import { startTestGateway, manual, type TestGateway } from '../events/harness.js';
import { subscribeWs, type TestSubscriber } from '../events/clients.js';

// Machine.metrics and App.metrics against the emulator's Prometheus API on one manual clock, so every point is
// known: the emulator's series follow each machine's running spans, the gateway turns them into typed series.

const MINUTE = 60_000;
const CONFIG = { image: 'registry.fly.io/m:v1', guest: { cpu_kind: 'shared', cpus: 2, memory_mb: 512 } };

const MACHINE = `query($app: String!, $range: Int, $step: Int) {
  app(name: $app) { machines { nodes { machineId metrics(rangeSeconds: $range, stepSeconds: $step) {
    __typename
    ... on MachineMetrics { start end stepSeconds
      cpuPercent { name unit timestamps values }
      memoryUsedBytes { unit values } memoryTotalBytes { unit values } loadAverage { unit values }
      networkInBytesPerSecond { unit values } networkOutBytesPerSecond { values }
      volumeUsedPercent { unit labels { name value } values } }
    ... on InvalidInputError { code issues { field message } }
  } } } }
}`;
const CPU_ONLY = `query($app: String!, $range: Int, $step: Int) {
  app(name: $app) { machines { nodes { metrics(rangeSeconds: $range, stepSeconds: $step) { __typename
    ... on MachineMetrics { cpuPercent { values } memoryUsedBytes { values } memoryTotalBytes { values } }
    ... on InvalidInputError { issues { field } } } } } }
}`;
const APP = `query($app: String!) {
  app(name: $app) { metrics(rangeSeconds: 300, stepSeconds: 60) { __typename ... on AppMetrics {
    httpResponses { unit labels { name value } values }
    cpuPercent { labels { name value } values }
    volumeUsedPercent { labels { name value } values } } } }
}`;
const PROMQL = `query($app: String!, $q: String!) {
  promql(app: $app, query: $q, rangeSeconds: 120, stepSeconds: 60) { __typename ... on PromqlAnswer { series { name unit labels { name value } values } } ... on Error { code } }
}`;

type Answer = { status: number; data?: any; errors?: any[]; extensions?: { upstreamCalls: { byOperation: Record<string, number> } } };

async function ask(
  gateway: BuiltTestGateway['gateway'],
  query: string,
  variables: Record<string, unknown>,
  authorization?: string,
): Promise<Answer> {
  const response = await gateway.fetch('http://gateway/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, ...((await response.json()) as object) };
}

describe('machine and app metrics', () => {
  let built: BuiltTestGateway;
  let clock: ManualClock;
  let running = '';
  let stopped = '';
  let volume = '';
  let t0 = 0;
  const q = (query: string, variables: Record<string, unknown>) => ask(built.gateway, query, variables);
  const byOp = (a: Answer) => a.extensions!.upstreamCalls.byOperation;

  beforeAll(async () => {
    clock = createManualClock();
    built = await buildTestGateway({
      emulatorOptions: { seed: 'none', clock },
      gatewayClock: clock,
      env: { CACHE_RESPONSE_MAX_BYTES: '0' },
    });
    t0 = clock.now();
    built.emu.control.createApp('mx');
    volume = String(built.emu.control.createVolume('mx', { name: 'data', region: 'iad' }).id);
    running = built.emu.control.createMachine('mx', {
      config: { ...CONFIG, mounts: [{ volume, path: '/data' }] },
      state: 'started',
      region: 'iad',
    }).id;
    stopped = built.emu.control.createMachine('mx', { config: CONFIG, state: 'started', region: 'iad' }).id;
    await clock.advance(60 * MINUTE);
    // One machine stops at t0 + 60 min; ten minutes later both are read.
    built.emu.control.setMachineState('mx', stopped, 'stopped');
    await clock.advance(10 * MINUTE);
  });
  afterAll(async () => built?.close());

  it("should answer each figure of a running machine exactly, from the emulator's known series", async () => {
    const answer = await q(MACHINE, { app: 'mx', range: 600, step: 60 });
    expect(answer.errors).toBeUndefined();
    const m = answer.data.app.machines.nodes.find((n: { machineId: string }) => n.machineId === running).metrics;
    const p = machineProfile(running, CONFIG.guest);
    const end = (t0 + 70 * MINUTE) / 1000;
    expect(m).toMatchObject({ __typename: 'MachineMetrics', start: end - 600, end, stepSeconds: 60 });
    expect(m.cpuPercent.name).toBe('cpu_percent');
    expect(m.cpuPercent.unit).toBe('PERCENT');
    expect(m.cpuPercent.timestamps).toEqual(Array.from({ length: 11 }, (_, i) => end - 600 + i * 60));
    for (const v of m.cpuPercent.values) expect(v).toBeCloseTo(p.busyShare * 100, 9);
    const total = 512 * 1024 * 1024;
    expect(m.memoryTotalBytes).toEqual({ unit: 'BYTES', values: Array(11).fill(total) });
    expect(m.memoryUsedBytes.values).toEqual(Array(11).fill(total - Math.round(total * (1 - p.usedShare))));
    expect(m.loadAverage).toEqual({ unit: 'LOAD', values: Array(11).fill(p.busyShare * 2) });
    expect(m.networkInBytesPerSecond).toEqual({ unit: 'BYTES_PER_SECOND', values: Array(11).fill(p.recvBytesPerSecond) });
    expect(m.networkOutBytesPerSecond.values).toEqual(Array(11).fill(p.sentBytesPerSecond));
    expect(m.volumeUsedPercent).toEqual([
      {
        unit: 'PERCENT',
        labels: expect.arrayContaining([{ name: 'volume', value: volume }]),
        values: Array(11).fill(10 + Math.floor(unitHash(volume) * 71)),
      },
    ]);
  });

  it('should show no CPU, no load and no memory in use for a machine once it stopped', async () => {
    const answer = await q(MACHINE, { app: 'mx', range: 1200, step: 60 });
    const m = answer.data.app.machines.nodes.find((n: { machineId: string }) => n.machineId === stopped).metrics;
    const p = machineProfile(stopped, CONFIG.guest);
    // Points 0..10 are up to the stop (t0+60 min); the rate window of the next one still covers running time.
    expect(m.cpuPercent.values).toHaveLength(21);
    for (const v of m.cpuPercent.values.slice(0, 11)) expect(v).toBeCloseTo(p.busyShare * 100, 9);
    expect(m.cpuPercent.values.slice(11)).toEqual(Array(10).fill(0));
    expect(m.loadAverage.values.slice(10)).toEqual(Array(11).fill(0));
    expect(m.memoryUsedBytes.values.slice(10)).toEqual(Array(11).fill(0));
    expect(m.networkInBytesPerSecond.values.slice(11)).toEqual(Array(10).fill(0));
  });

  it('should ask Fly once per selected figure, share memory total between two fields, and serve repeats from the cache', async () => {
    const range = 900;
    const first = await q(CPU_ONLY, { app: 'mx', range, step: 60 });
    expect(first.errors).toBeUndefined();
    // Two machines: cpu, memory total (shared by memoryTotalBytes and memoryUsedBytes) and memory available each.
    expect(byOp(first)['metrics.query_range']).toBe(6);
    const again = await q(CPU_ONLY, { app: 'mx', range, step: 60 });
    expect(byOp(again)['metrics.query_range']).toBeUndefined();
    expect(again.data).toEqual(first.data);
    // A new step boundary is a new window: asked again.
    await clock.advance(MINUTE);
    const later = await q(CPU_ONLY, { app: 'mx', range, step: 60 });
    expect(byOp(later)['metrics.query_range']).toBe(6);
  });

  it.each([
    [0, 60, 'rangeSeconds'],
    [-600, 60, 'rangeSeconds'],
    [3600, 0, 'stepSeconds'],
    [3600, -5, 'stepSeconds'],
    [600, 900, 'stepSeconds'],
    [86_400, 1, 'stepSeconds'],
    [31 * 86_400, 3600, 'rangeSeconds'],
  ])('should refuse range %i and step %i with a typed error naming %s, asking Fly nothing', async (range, step, field) => {
    built.emu.resetRequestCounts();
    const answer = await q(CPU_ONLY, { app: 'mx', range, step });
    for (const node of answer.data.app.machines.nodes) {
      expect(node.metrics).toEqual({ __typename: 'InvalidInputError', issues: [{ field }] });
    }
    expect(built.emu.requestCounts()['prometheus.query_range']).toBeUndefined();
  });

  it('should answer HTTP responses by status, CPU per machine and volume use per app', async () => {
    const answer = await q(APP, { app: 'mx' });
    expect(answer.errors).toBeUndefined();
    const metrics = answer.data.app.metrics;
    const status = (s: { labels: { name: string; value: string }[] }) => s.labels.find((l) => l.name === 'status')?.value;
    expect(metrics.httpResponses.map(status).sort()).toEqual(['200', '301', '404', '500']);
    // Only the running machine serves now: 8 responses a second with status 200.
    const ok = metrics.httpResponses.find((s: any) => status(s) === '200');
    expect(ok.unit).toBe('REQUESTS_PER_SECOND');
    expect(ok.values.at(-1)).toBeCloseTo(8, 9);
    expect(metrics.cpuPercent.map((s: any) => s.labels.find((l: any) => l.name === 'instance').value).sort()).toEqual(
      [running, stopped].sort(),
    );
    expect(metrics.volumeUsedPercent).toHaveLength(1);
  });

  it('should run a raw PromQL query for an open gateway (admin), and answer a query Fly cannot parse with a typed error', async () => {
    const answer = await q(PROMQL, { app: 'mx', q: `fly_instance_up{app="mx"}` });
    expect(answer.data.promql.__typename).toBe('PromqlAnswer');
    const up = Object.fromEntries(
      answer.data.promql.series.map((s: any) => [s.labels.find((l: any) => l.name === 'instance').value, s.values.at(-1)]),
    );
    expect(up).toEqual({ [running]: 1, [stopped]: 0 });
    expect(answer.data.promql.series[0].unit).toBe('UNKNOWN');
    const bad = await q(PROMQL, { app: 'mx', q: 'sum(' });
    expect(bad.data.promql).toEqual({ __typename: 'InvalidInputError', code: 'BAD_USER_INPUT' });
  });

  it('should list releases from Fly newest first', async () => {
    const answer = await q(`query { app(name: "mx") { releases(limit: 5) { version status imageRef createdAt } } }`, {});
    expect(answer.errors).toBeUndefined();
    expect(answer.data.app.releases).toEqual([
      { version: 1, status: 'complete', imageRef: CONFIG.image, createdAt: new Date(t0).toISOString() },
    ]);
    expect(byOp(answer)['releases.list']).toBe(1);
    const bad = await q(`query { app(name: "mx") { releases(limit: 0) { version } } }`, {});
    expect(bad.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});

describe('machineMetrics subscription', () => {
  let gw: TestGateway;
  let sub: TestSubscriber | undefined;
  beforeAll(async () => {
    gw = await startTestGateway({ manualClock: true });
  });
  afterAll(async () => {
    await sub?.close();
    await gw?.close();
  });

  it('should tick at once and then every intervalSeconds on the gateway clock, with figures that follow the machine', async () => {
    const clock = manual(gw);
    gw.emu.control.createApp('live');
    const id = gw.emu.control.createMachine('live', { config: CONFIG, state: 'started' }).id;
    await clock.advance(10 * MINUTE);
    gw.emu.resetRequestCounts();
    sub = subscribeWs(
      gw.wsUrl,
      `subscription($id: String!) { machineMetrics(app: "live", machineId: $id, intervalSeconds: 30) { at cpuPercent memoryUsedBytes memoryTotalBytes loadAverage } }`,
      { id },
    );
    const p = machineProfile(id, CONFIG.guest);
    const first = (await sub.next(5_000)) as any;
    expect(first.at).toBe(Math.floor(clock.now() / 30_000) * 30);
    expect(first.cpuPercent).toBeCloseTo(p.busyShare * 100, 9);
    expect(first.memoryTotalBytes).toBe(512 * 1024 * 1024);
    expect(gw.emu.requestCounts()['prometheus.query']).toBe(2);
    gw.emu.control.setMachineState('live', id, 'stopped');
    // Wait for the subscription's timer, then move past it and past the 60 s rate window.
    for (let i = 0; i < 1000 && clock.pendingTimers() === 0; i++) await new Promise((r) => setTimeout(r, 1));
    await clock.advance(30_000);
    const second = (await sub.next(5_000)) as any;
    expect(second.at).toBe(first.at + 30);
    expect(second.memoryUsedBytes).toBe(0);
    expect(second.loadAverage).toBe(0);
    await clock.advance(30_000);
    await clock.advance(30_000);
    const third = (await sub.next(5_000)) as any;
    expect(third.at).toBe(first.at + 60);
    expect(third.cpuPercent).toBe(0);
  });
});

describe('who may read metrics', () => {
  const reader = createKey('reader', new Set(['read']));
  const admin = createKey('admin', new Set(['admin']));

  it('should let a read key read metrics but not promql (FORBIDDEN, nothing sent to Fly), an admin key both, and nobody without a key', async () => {
    const built = await buildTestGateway({ env: { AUTH_MODE: 'api-keys', API_KEYS: `${reader.entry},${admin.entry}` } });
    try {
      built.emu.control.createApp('mx');
      built.emu.control.createMachine('mx', { config: CONFIG, state: 'started' });
      const metrics = await ask(built.gateway, CPU_ONLY, { app: 'mx', range: 600, step: 60 }, `Bearer ${reader.key}`);
      expect(metrics.data.app.machines.nodes[0].metrics.__typename).toBe('MachineMetrics');
      built.emu.resetRequestCounts();
      const refused = await ask(built.gateway, PROMQL, { app: 'mx', q: 'fly_instance_up' }, `Bearer ${reader.key}`);
      expect(refused.data.promql).toEqual({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
      expect(built.emu.requestCounts()).toEqual({});
      const allowed = await ask(built.gateway, PROMQL, { app: 'mx', q: 'fly_instance_up' }, `Bearer ${admin.key}`);
      expect(allowed.data.promql.__typename).toBe('PromqlAnswer');
      const anonymous = await ask(built.gateway, CPU_ONLY, { app: 'mx', range: 600, step: 60 });
      expect(anonymous.status).toBe(401);
    } finally {
      await built.close();
    }
  });

  it("should read metrics with the caller's own Fly token, never from another tenant's cache, and never serve promql to a token", async () => {
    const TOKEN_A = 'emu_tenant_a_0123456789abcdef';
    const TOKEN_B = 'emu_tenant_b_0123456789abcdef';
    const clock = createManualClock();
    const built = await buildTestGateway({
      emulatorOptions: { seed: 'none', clock, scopedTokens: { [TOKEN_A]: ['app-a', 'shared'], [TOKEN_B]: ['app-b', 'shared'] } },
      gatewayClock: clock,
      env: { AUTH_MODE: 'fly-token' },
    });
    try {
      for (const app of ['app-a', 'app-b', 'shared']) {
        built.emu.control.createApp(app);
        built.emu.control.createMachine(app, { config: CONFIG, state: 'started' });
      }
      await clock.advance(20 * MINUTE);
      const a = await ask(built.gateway, CPU_ONLY, { app: 'shared', range: 600, step: 60 }, `Bearer ${TOKEN_A}`);
      expect(a.data.app.machines.nodes[0].metrics.cpuPercent.values).toHaveLength(11);
      const fromCache = await ask(built.gateway, CPU_ONLY, { app: 'shared', range: 600, step: 60 }, `Bearer ${TOKEN_A}`);
      expect(fromCache.extensions?.upstreamCalls.byOperation['metrics.query_range']).toBeUndefined();
      const b = await ask(built.gateway, CPU_ONLY, { app: 'shared', range: 600, step: 60 }, `Bearer ${TOKEN_B}`);
      expect(b.extensions?.upstreamCalls.byOperation['metrics.query_range']).toBe(3);
      const other = await ask(built.gateway, CPU_ONLY, { app: 'app-b', range: 600, step: 60 }, `Bearer ${TOKEN_A}`);
      expect(other.data?.app ?? null).toBeNull();
      const promql = await ask(built.gateway, PROMQL, { app: 'app-a', q: 'fly_instance_up' }, `Bearer ${TOKEN_A}`);
      expect(promql.data.promql.__typename).toBe('ForbiddenError');
    } finally {
      await built.close();
    }
  });
});
