/**
 * The peers in one run, against one Fly-shaped upstream on loopback. The upstream and the load generator run on
 * CPU 1, each server in turn alone on CPU 0. Per peer and scenario: operations/s, p50/p99 at 50 connections, CPU
 * ms per operation (the server's whole process tree, from /proc) at 50 connections and at 1 connection, and
 * upstream calls per operation from the stub's counters; every figure also as a ratio to bare yoga `{ hello }`
 * measured in the same run. Also Flygate's start-up time to ready and its idle RSS.
 *
 * Beside the peers: the runtime's ceiling (`raw-http`: a bare node:http server answering the very bytes Flygate's
 * warm dashboard answered, captured at start-up), Flygate warm with API keys on (`flygate-warm-keyed`: a key made
 * with `npm run key:create`, sent as `Authorization: Bearer <key>`), and one scenario per kind of read beyond
 * machines (apps, volumes, secrets, certificates, ips, postgres), cold and warm on Flygate only.
 *
 *   npm --prefix bench run peers                        3 s warm-up + 10 s at 50 connections, 5 s at 1 connection
 *   npm --prefix bench run peers -- --quick             1 s + 3 s, 2 s
 *   npm --prefix bench run peers -- --peers naive,flygate-cold --scenarios dashboard --seconds 5
 *   npm --prefix bench run peers -- --flygate /path/to/other/checkout     Flygate from another checkout
 *
 * Writes bench/.out/results.json and bench/.out/results.md, then docs/benchmarks.svg (bench/chart.ts).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { writeChart } from './chart.js';
import { buildFlygate } from './lib/flygate-build.js';
import { cpuMs, rssBytes, settle } from './lib/proc.js';
import type { LoadJob, LoadResult } from './load.js';
import { flygatePlan, helloPlan, meshPlan, RESOURCE_SCENARIOS, type Plan, type Scenario } from './scenarios.js';

const BENCH = fileURLToPath(new URL('.', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = `${BENCH}.out/`;

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    report: { type: 'boolean', default: false },
    flygate: { type: 'string' },
    seconds: { type: 'string' },
    warmup: { type: 'string' },
    'cpu-seconds': { type: 'string' },
    connections: { type: 'string', default: '50' },
    peers: { type: 'string' },
    scenarios: { type: 'string' },
    // Run Flygate's sources under tsx (as `npm start` did before dist/), to compare with the compiled build.
    tsx: { type: 'boolean', default: false },
  },
});
const SECONDS = Number(flags.seconds ?? (flags.quick ? 3 : 10));
const WARMUP = Number(flags.warmup ?? (flags.quick ? 1 : 3));
const CPU_SECONDS = Number(flags['cpu-seconds'] ?? (flags.quick ? 2 : 5));
const CONNECTIONS = Number(flags.connections);
const UPSTREAM_PORT = 4290;
const UPSTREAM = `http://127.0.0.1:${UPSTREAM_PORT}`;
const hasTaskset = await new Promise<boolean>((resolve) => {
  const p = spawn('taskset', ['-c', '0', 'true']);
  p.on('error', () => resolve(false));
  p.on('exit', (code) => resolve(code === 0));
});

/** Runs a command pinned to one core (when taskset exists). */
function pinned(cpu: number, command: string, args: string[], options: { cwd: string; env?: Record<string, string> }): ChildProcess {
  const [cmd, argv] = hasTaskset ? ['taskset', ['-c', String(cpu), command, ...args]] : [command, args];
  return spawn(cmd, argv, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms; output: ${seen.slice(-800)}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const match = seen.match(pattern);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`exited with ${code} before ${pattern}; output: ${seen.slice(-800)}`)));
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** Polls `url` until it answers `ok`; resolves with the ms since `since`. */
async function untilReady(url: string, since: number, init?: RequestInit): Promise<number> {
  for (let i = 0; i < 1500; i++) {
    try {
      const response = await fetch(url, init);
      await response.arrayBuffer();
      if (response.ok) return performance.now() - since;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${url} never answered`);
}

async function runLoad(job: LoadJob): Promise<LoadResult> {
  // Compiled once by buildServers: three load runs per row would otherwise each pay tsx's start-up.
  const child = pinned(1, process.execPath, [`${OUT}load.js`, JSON.stringify(job)], { cwd: BENCH });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`load generator exited ${code}: ${err.slice(-500)}`);
  return JSON.parse(out.trim().split('\n').at(-1)!) as LoadResult;
}

const upstreamCounts = async (): Promise<Record<string, number>> =>
  (await fetch(`${UPSTREAM}/__bench/counts`)).json() as Promise<Record<string, number>>;
const resetUpstream = async () => void (await (await fetch(`${UPSTREAM}/__bench/reset`, { method: 'POST' })).arrayBuffer());

interface PeerDef {
  name: string;
  label: string;
  port: number;
  start: (port: number) => ChildProcess;
  ready: (port: number) => { url: string; init?: RequestInit };
  plans: Array<[Scenario | 'dashboard-link' | 'hello (end)', Plan | undefined]>;
  product?: boolean;
  /** Headers every request to this peer carries (default: a made-up bearer token, which no peer checks). */
  headers?: () => Record<string, string>;
}

/** The API key of `flygate-warm-keyed`, made at start-up by Flygate's own `npm run key:create`. */
const apiKey = { key: '', entry: '' };

/** Makes a read key the way the README says: `npm run key:create -- NAME SCOPES` in the checkout under test. */
function createApiKey(): void {
  const made = spawnSync('npm', ['run', '-s', 'key:create', '--', 'bench', 'read'], { cwd: FLYGATE_DIR, encoding: 'utf8' });
  const key = made.stdout.match(/^key:\s+(\S+)/m)?.[1];
  const entry = made.stdout.match(/^entry:\s+(\S+)/m)?.[1];
  if (made.status !== 0 || !key || !entry) throw new Error(`npm run key:create failed: ${made.stderr.slice(-500)}`);
  apiKey.key = key;
  apiKey.entry = entry;
}

/** Where Flygate is started from: this checkout, or another one given with --flygate <dir> (to compare two). */
const FLYGATE_DIR = flags.flygate ?? ROOT;

const flygateEnv = (port: number, cache: boolean, extra: Record<string, string> = {}): Record<string, string> => ({
  PORT: String(port),
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
  FLY_API_TOKEN: 'some-fake',
  FLY_API_BASE_URL: UPSTREAM,
  FLY_ORG: 'bench-org',
  FLY_RATE_LIMIT: 'false',
  SYNC_ENABLED: 'false',
  CACHE_ENABLED: String(cache),
  // One client address opens every load connection.
  WS_MAX_SOCKETS_PER_ADDRESS: '1000',
  ...extra,
});
const graphqlReady = (port: number) => ({
  url: `http://127.0.0.1:${port}/graphql`,
  init: {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer some-fake' },
    body: '{"query":"{ __typename }"}',
  },
});
const machineScenarios: Scenario[] = ['dashboard', 'dashboard-full', 'machine', 'restart'];
const flygateScenarios: Scenario[] = [...machineScenarios, ...RESOURCE_SCENARIOS];
/** Where the bytes of Flygate's warm dashboard are kept for the raw node:http peer. */
const DASHBOARD_BYTES = `${OUT}dashboard-body.json`;
const node = (script: string, cwd: string, env: Record<string, string>) =>
  pinned(0, process.execPath, script.endsWith('.ts') ? ['--import', 'tsx', script] : [script], { cwd, env });
/** Flygate as `npm start` runs it: dist/main.js, built here from the checkout (or its sources under tsx with --tsx). */
const FLYGATE_ENTRY = flags.tsx ? 'src/main.ts' : 'dist/main.js';
/** The small peers written here run compiled the same way (esbuild, names not kept), so no one pays tsx's wrappers. */
const peerScript = (name: string) => `${OUT}peers/${name}.js`;
const hiveGateway = (supergraph: string, port: number, config?: string) =>
  pinned(
    0,
    `${BENCH}node_modules/.bin/hive-gateway`,
    ['supergraph', supergraph, '--port', String(port), '--host', '127.0.0.1', ...(config ? ['-c', config] : [])],
    { cwd: BENCH },
  );

const PEERS: PeerDef[] = [
  {
    name: 'bare-yoga',
    label: 'bare yoga { hello }',
    port: 4100,
    start: (port) => node(peerScript('bare-yoga'), BENCH, { PORT: String(port) }),
    ready: graphqlReady,
    plans: [['hello', helloPlan()]],
  },
  {
    name: 'naive',
    label: 'naive yoga + undici',
    port: 4101,
    start: (port) => node(peerScript('naive'), BENCH, { PORT: String(port), UPSTREAM_URL: UPSTREAM, FLY_ORG: 'bench-org' }),
    ready: graphqlReady,
    plans: machineScenarios.map((s) => [s, flygatePlan(s)]),
  },
  {
    name: 'mesh',
    label: 'Hive Gateway + Mesh',
    port: 4102,
    start: (port) => hiveGateway(`${OUT}supergraph.graphql`, port),
    ready: graphqlReady,
    plans: (['dashboard', 'dashboard-link', 'dashboard-full', 'machine', 'restart'] as const).map((s) => [s, meshPlan(s)]),
  },
  {
    name: 'mesh-cache',
    label: 'Hive Gateway + Mesh + response cache',
    port: 4103,
    start: (port) => hiveGateway(`${OUT}supergraph.graphql`, port, 'peers/mesh/gateway.config.ts'),
    ready: graphqlReady,
    // The response cache is for reads; the restart sequence would answer its wait and read from the cache.
    plans: (['dashboard', 'dashboard-link', 'dashboard-full', 'machine'] as const).map((s) => [s, meshPlan(s)]),
  },
  {
    name: 'flygate-cold',
    label: 'Flygate, CACHE_ENABLED=false',
    port: 4104,
    start: (port) => node(FLYGATE_ENTRY, FLYGATE_DIR, flygateEnv(port, false)),
    ready: (port) => ({ url: `http://127.0.0.1:${port}/readyz` }),
    plans: flygateScenarios.map((s) => [s, flygatePlan(s)]),
    product: true,
  },
  {
    name: 'flygate-warm',
    label: 'Flygate, cache on',
    port: 4105,
    start: (port) => node(FLYGATE_ENTRY, FLYGATE_DIR, flygateEnv(port, true)),
    ready: (port) => ({ url: `http://127.0.0.1:${port}/readyz` }),
    plans: flygateScenarios.map((s) => [s, flygatePlan(s)]),
    product: true,
  },
  {
    name: 'flygate-warm-keyed',
    label: 'Flygate, cache on, API keys',
    port: 4106,
    // The per-caller rate limit is off: 50 connections of one key are far over its default of 20 requests/s.
    start: (port) =>
      node(FLYGATE_ENTRY, FLYGATE_DIR, flygateEnv(port, true, { AUTH_MODE: 'api-keys', API_KEYS: apiKey.entry, CALLER_RATE_LIMIT: '0' })),
    ready: (port) => ({ url: `http://127.0.0.1:${port}/readyz` }),
    plans: [['dashboard', flygatePlan('dashboard')]],
    product: true,
    headers: () => ({ authorization: `Bearer ${apiKey.key}` }),
  },
  {
    name: 'raw-http',
    label: 'raw node:http, same bytes as the warm dashboard',
    port: 4107,
    start: (port) => node(peerScript('raw-http'), BENCH, { PORT: String(port), BODY_FILE: DASHBOARD_BYTES }),
    ready: graphqlReady,
    plans: [['dashboard', flygatePlan('dashboard')]],
  },
];

export interface Row {
  peer: string;
  label: string;
  scenario: string;
  /** Operations per second at CONNECTIONS connections. */
  opsPerSec: number;
  p50: number;
  p99: number;
  /** CPU ms per operation at CONNECTIONS connections, and at one connection. */
  cpuMsPerOp: number;
  cpuMsPerOp1: number;
  /** Upstream calls per operation at one connection (exact for peers without sharing) and at CONNECTIONS. */
  upstreamPerOp: number;
  upstreamPerOp50: number;
  /** Upstream calls of one operation sent alone after the load. */
  upstreamOne: number;
  upstreamByRoute: Record<string, number>;
  failures: number;
  note?: string;
  /** Ratios to bare yoga `{ hello }` in the same run. */
  opsRatio?: number;
  cpuRatio?: number;
}

async function askOnce(port: number, plan: Plan, headers: Record<string, string> = {}): Promise<string | undefined> {
  for (const request of plan.requests) {
    const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer some-fake', ...headers },
      body: request.body,
    });
    const body = await response.json();
    if (request === plan.requests.at(-1) || plan.requests.length === 1) return plan.check(body);
    if ((body as { errors?: unknown }).errors) return `errors: ${JSON.stringify((body as { errors: unknown }).errors).slice(0, 300)}`;
  }
  return undefined;
}

async function measure(peer: PeerDef, pid: number, scenario: string, plan: Plan): Promise<Row> {
  const headers = peer.headers?.() ?? {};
  const problem = await askOnce(peer.port, plan, headers);
  if (problem) throw new Error(`${peer.name} ${scenario}: ${problem}`);
  const url = `http://127.0.0.1:${peer.port}/graphql`;
  const perOp = plan.requests.length;
  const requests = plan.requests.map((r) => ({ ...r, headers }));
  await runLoad({ url, connections: CONNECTIONS, seconds: WARMUP, requests });
  await settle(pid);

  await resetUpstream();
  const cpuBefore = cpuMs(pid);
  const load = await runLoad({ url, connections: CONNECTIONS, seconds: SECONDS, requests });
  // Read at once: the work an overloaded server still does after the load stopped is for answers not counted.
  const cpu50 = cpuMs(pid) - cpuBefore;
  const calls50 = Object.values(await upstreamCounts()).reduce((a, b) => a + b, 0);
  await settle(pid);

  await resetUpstream();
  const cpu1Before = cpuMs(pid);
  const single = await runLoad({ url, connections: 1, seconds: CPU_SECONDS, requests });
  await settle(pid);
  const cpu1 = cpuMs(pid) - cpu1Before;
  const counts = await upstreamCounts();
  // One more operation alone, counted exactly: what one operation costs upstream in the state the load left.
  await resetUpstream();
  const problemAfter = await askOnce(peer.port, plan, headers);
  const exact = Object.values(await upstreamCounts()).reduce((a, b) => a + b, 0);
  if (problemAfter) throw new Error(`${peer.name} ${scenario} after the load: ${problemAfter}`);

  const ops = load.requests / perOp;
  const ops1 = single.requests / perOp;
  const calls = Object.values(counts).reduce((a, b) => a + b, 0);
  return {
    peer: peer.name,
    label: peer.label,
    scenario,
    opsPerSec: ops / load.seconds,
    p50: load.p50,
    p99: load.p99,
    cpuMsPerOp: ops > 0 ? cpu50 / ops : NaN,
    cpuMsPerOp1: ops1 > 0 ? cpu1 / ops1 : NaN,
    upstreamPerOp: ops1 > 0 ? calls / ops1 : NaN,
    upstreamPerOp50: ops > 0 ? calls50 / ops : NaN,
    upstreamOne: exact,
    upstreamByRoute: Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, Math.round((v / ops1) * 100) / 100])),
    failures: load.non2xx + load.errors + load.timeouts + load.graphqlErrors + single.non2xx + single.errors + single.graphqlErrors,
    note: plan.note,
  };
}

const fmt = (n: number | undefined, digits = 0) =>
  n === undefined || Number.isNaN(n) ? '–' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function markdown(rows: Row[], startup: Record<string, { readyMs: number; idleRssMiB: number }>, meta: Record<string, unknown>): string {
  const lines = [
    `Run ${meta.date} on ${meta.cpu} (${meta.cores} cores), Node ${meta.node}; servers on CPU 0, upstream and load on CPU 1;`,
    `${meta.connections} connections, ${meta.warmupSeconds} s warm-up + ${meta.seconds} s; CPU per op also at 1 connection for ${meta.cpuSeconds} s.`,
    '',
    '| peer | scenario | ops/s | × hello | p50 / p99 ms | CPU ms/op (50 conn) | CPU ms/op (1 conn) | × hello CPU | upstream calls/op (alone / 1 / 50 conn) | failures |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows)
    lines.push(
      `| ${r.label} | ${r.scenario}${r.note ? ` (${r.note})` : ''} | ${fmt(r.opsPerSec)} | ${fmt(r.opsRatio, 3)} | ${fmt(r.p50)} / ${fmt(r.p99)} | ${fmt(r.cpuMsPerOp, 2)} | ${fmt(r.cpuMsPerOp1, 2)} | ${fmt(r.cpuRatio, 1)} | ${fmt(r.upstreamOne)} / ${fmt(r.upstreamPerOp, 2)} / ${fmt(r.upstreamPerOp50, 2)} | ${r.failures} |`,
    );
  lines.push('', '| Flygate | start-up to ready (ms) | idle RSS (MiB) |', '|---|---:|---:|');
  for (const [name, s] of Object.entries(startup)) lines.push(`| ${name} | ${fmt(s.readyMs)} | ${fmt(s.idleRssMiB, 1)} |`);
  lines.push('', ...targets(rows));
  return `${lines.join('\n')}\n`;
}

/** The issue's targets, as ratios between rows of the same run. */
function targets(rows: Row[]): string[] {
  const row = (peer: string, scenario: string) => rows.find((r) => r.peer === peer && r.scenario === scenario);
  const div = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined || b === 0 ? undefined : a / b);
  const hellos = rows.filter((r) => r.scenario.startsWith('hello'));
  const hello = hellos.length > 0 ? { opsPerSec: hellos.reduce((sum, r) => sum + r.opsPerSec, 0) / hellos.length } : undefined;
  type Check = [string, number | undefined, string, (v: number) => boolean];
  const checks: Check[] = [
    [
      'warm dashboard ops/s ÷ bare yoga { hello } (mean of first and last)',
      div(row('flygate-warm', 'dashboard')?.opsPerSec, hello?.opsPerSec),
      '≥ 2',
      (v) => v >= 2,
    ],
    ['warm dashboard upstream calls/op (50 conn)', row('flygate-warm', 'dashboard')?.upstreamPerOp50, '0', (v) => v < 0.01],
    [
      'warm dashboard ops/s ÷ raw node:http, same bytes',
      div(row('flygate-warm', 'dashboard')?.opsPerSec, row('raw-http', 'dashboard')?.opsPerSec),
      '≥ 0.7',
      (v) => v >= 0.7,
    ],
    [
      'keyed warm dashboard ops/s ÷ raw node:http, same bytes',
      div(row('flygate-warm-keyed', 'dashboard')?.opsPerSec, row('raw-http', 'dashboard')?.opsPerSec),
      '≥ 0.7',
      (v) => v >= 0.7,
    ],
    [
      'keyed warm dashboard CPU/op ÷ unkeyed warm (1 conn)',
      div(row('flygate-warm-keyed', 'dashboard')?.cpuMsPerOp1, row('flygate-warm', 'dashboard')?.cpuMsPerOp1),
      '≤ 1.2',
      (v) => v <= 1.2,
    ],
    ['keyed warm dashboard upstream calls/op (50 conn)', row('flygate-warm-keyed', 'dashboard')?.upstreamPerOp50, '0', (v) => v < 0.01],
    ...RESOURCE_SCENARIOS.map((s): Check => [
      `warm ${s}: upstream calls of one more read alone`,
      row('flygate-warm', s)?.upstreamOne,
      s === 'postgres' ? '1 (never cached)' : '0',
      (v) => (s === 'postgres' ? v <= 1 : v === 0),
    ]),
    [
      'cold dashboard CPU/op ÷ naive (1 conn)',
      div(row('flygate-cold', 'dashboard')?.cpuMsPerOp1, row('naive', 'dashboard')?.cpuMsPerOp1),
      '≤ 0.8',
      (v) => v <= 0.8,
    ],
    [
      'cold dashboard-full CPU/op ÷ naive (1 conn)',
      div(row('flygate-cold', 'dashboard-full')?.cpuMsPerOp1, row('naive', 'dashboard-full')?.cpuMsPerOp1),
      '≤ 1.0',
      (v) => v <= 1,
    ],
    [
      'cold dashboard ops/s ÷ Mesh 1 + N',
      div(row('flygate-cold', 'dashboard')?.opsPerSec, row('mesh', 'dashboard')?.opsPerSec),
      '≥ 4',
      (v) => v >= 4,
    ],
    [
      'cold dashboard ops/s ÷ Mesh with the link',
      div(row('flygate-cold', 'dashboard')?.opsPerSec, row('mesh', 'dashboard-link')?.opsPerSec),
      '≥ 4',
      (v) => v >= 4,
    ],
    [
      'cold dashboard ops/s ÷ naive (50 conn)',
      div(row('flygate-cold', 'dashboard')?.opsPerSec, row('naive', 'dashboard')?.opsPerSec),
      '≥ 2',
      (v) => v >= 2,
    ],
    ['cold dashboard upstream calls (one dashboard alone)', row('flygate-cold', 'dashboard')?.upstreamOne, '≤ 11', (v) => v <= 11],
  ];
  return [
    '| target | this run | wanted | met |',
    '|---|---:|---:|---|',
    ...checks.map(([name, v, wanted, ok]) => `| ${name} | ${fmt(v, 2)} | ${wanted} | ${v === undefined ? '–' : ok(v) ? 'yes' : 'no'} |`),
  ];
}

async function composeMesh(): Promise<void> {
  const child = spawn(`${BENCH}node_modules/.bin/mesh-compose`, ['-c', 'peers/mesh/mesh.config.ts', '-o', `${OUT}supergraph.graphql`], {
    cwd: BENCH,
    env: { ...process.env, UPSTREAM_URL: UPSTREAM, MESH_LINK: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`mesh-compose failed: ${err.slice(-500)}`);
}

/** Flygate's dist/ (its own build script, in the checkout under test), the compiled small peers and load generator. */
async function buildServers(): Promise<void> {
  if (!flags.tsx) buildFlygate(FLYGATE_DIR);
  await build({
    entryPoints: ['peers/bare-yoga.ts', 'peers/naive.ts', 'peers/raw-http.ts'].map((file) => `${BENCH}${file}`),
    outdir: `${OUT}peers`,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
  await build({
    entryPoints: [`${BENCH}load.ts`],
    outdir: OUT,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
}

/**
 * Starts Flygate with its cache on, asks the dashboard until the answer comes from the cache (the second ask), and
 * keeps those bytes and their content type for the raw node:http peer.
 */
async function captureDashboard(): Promise<void> {
  const port = 4108;
  const child = node(FLYGATE_ENTRY, FLYGATE_DIR, flygateEnv(port, true));
  try {
    await untilReady(`http://127.0.0.1:${port}/readyz`, performance.now());
    let captured: { body: string; contentType: string } | undefined;
    for (let i = 0; i < 2; i++) {
      const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer some-fake' },
        body: flygatePlan('dashboard')!.requests[0]!.body,
      });
      const body = Buffer.from(await response.arrayBuffer());
      captured = { body: body.toString('base64'), contentType: response.headers.get('content-type') ?? 'application/json' };
    }
    writeFileSync(DASHBOARD_BYTES, JSON.stringify(captured));
  } finally {
    await stopChild(child);
  }
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  if (flags.report) {
    // Re-renders the table and the chart from the last run's results.json.
    const saved = JSON.parse(readFileSync(`${OUT}results.json`, 'utf8')) as {
      meta: Record<string, unknown>;
      rows: Row[];
      startup: Record<string, { readyMs: number; idleRssMiB: number }>;
    };
    writeChart(saved.rows, `${ROOT}docs/benchmarks.svg`);
    process.stdout.write(markdown(saved.rows, saved.startup, saved.meta));
    return;
  }
  const wanted = flags.peers?.split(',');
  const wantedScenarios = flags.scenarios?.split(',');
  const selected = PEERS.filter((p) => !wanted || wanted.includes(p.name) || p.name === 'bare-yoga');
  // The reference runs first and again last: on a shared machine the load from others changes during a run.
  const reference = selected[0]!;
  const peers = [...selected, { ...reference, name: 'bare-yoga-end', plans: [['hello (end)', helloPlan()]] as PeerDef['plans'] }];
  if (!hasTaskset) console.warn('taskset not found: servers and load generator are not pinned to cores');
  await buildServers();

  const upstream = pinned(1, process.execPath, ['--import', 'tsx', 'peers/upstream.ts', String(UPSTREAM_PORT)], { cwd: BENCH });
  const rows: Row[] = [];
  const startup: Record<string, { readyMs: number; idleRssMiB: number }> = {};
  try {
    await waitForLine(upstream, /listening \S+/);
    if (peers.some((p) => p.name === 'raw-http')) await captureDashboard();
    if (peers.some((p) => p.name === 'flygate-warm-keyed')) createApiKey();
    if (peers.some((p) => p.name.startsWith('mesh'))) await composeMesh();
    for (const peer of peers) {
      const startedAt = performance.now();
      const child = peer.start(peer.port);
      let output = '';
      child.stdout!.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-4000)));
      child.stderr!.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-4000)));
      try {
        const ready = peer.ready(peer.port);
        const readyMs = await untilReady(ready.url, startedAt, ready.init);
        if (peer.product) {
          await new Promise((r) => setTimeout(r, 1_000));
          startup[peer.name] = { readyMs, idleRssMiB: rssBytes(child.pid!) / 2 ** 20 };
        }
        for (const [scenario, plan] of peer.plans) {
          if (!plan || (wantedScenarios && !wantedScenarios.includes(scenario) && !scenario.startsWith('hello'))) continue;
          process.stderr.write(`${peer.name} ${scenario} ...`);
          const row = await measure(peer, child.pid!, scenario, plan);
          rows.push(row);
          process.stderr.write(
            ` ${fmt(row.opsPerSec)} ops/s, ${fmt(row.cpuMsPerOp1, 2)} CPU ms/op, ${fmt(row.upstreamPerOp, 2)} calls/op\n`,
          );
        }
      } catch (error) {
        process.stderr.write(`\n${peer.name} failed: ${(error as Error).message}\n${output.slice(-1500)}\n`);
        throw error;
      } finally {
        await stopChild(child);
      }
    }
  } finally {
    await stopChild(upstream);
  }

  const hellos = rows.filter((r) => r.scenario.startsWith('hello'));
  const mean = (f: (r: Row) => number) => (hellos.length > 0 ? hellos.reduce((sum, r) => sum + f(r), 0) / hellos.length : undefined);
  const helloOps = mean((r) => r.opsPerSec);
  const helloCpu = mean((r) => r.cpuMsPerOp1);
  for (const r of rows) {
    r.opsRatio = helloOps ? r.opsPerSec / helloOps : undefined;
    r.cpuRatio = helloCpu ? r.cpuMsPerOp1 / helloCpu : undefined;
  }
  const { cpus } = await import('node:os');
  const meta = {
    date: new Date().toISOString(),
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    node: process.version,
    connections: CONNECTIONS,
    warmupSeconds: WARMUP,
    seconds: SECONDS,
    cpuSeconds: CPU_SECONDS,
    pinned: hasTaskset,
  };
  const md = markdown(rows, startup, meta);
  writeFileSync(`${OUT}results.json`, `${JSON.stringify({ meta, rows, startup }, null, 2)}\n`);
  writeFileSync(`${OUT}results.md`, md);
  writeChart(rows, `${ROOT}docs/benchmarks.svg`);
  process.stdout.write(md);
}

await main();
