/**
 * Webhook ingest rate on ONE gateway instance with Redis: autocannon posts signed `machine.state_changed` webhooks
 * to `POST /webhooks/fly`, each with its own id (ids are de-duplicated, so a fixed body would be accepted once) and
 * its own Standard Webhooks signature, made by the load generator per request. The gateway (from ../src, its own
 * process, pinned to CPU 0) uses a private redis-server the script starts; the load generator, Redis, the Fly stub
 * and any subscribers share CPU 1.
 *
 * Per number of graphql-ws subscribers on the webhooks' app (0 = ingest alone): accepted webhooks/s (204s), p50 /
 * p99 POST -> 204, non-204 answers, gateway CPU µs per webhook, and entries added to the Redis stream.
 *
 *   npm --prefix bench run webhooks                                 0 and 100 subscribers; 3 s warm-up + 10 s, 50 connections
 *   npm --prefix bench run webhooks -- --subscribers 0 --seconds 5 --connections 20
 *   WEBHOOKS_GATEWAY_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=/tmp/prof" npm --prefix bench run webhooks    (flags for the gateway only)
 *   npm --prefix bench run webhooks -- --flygate /path/to/other/checkout
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { createClient, type Client } from 'graphql-ws';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { signWebhook } from '../src/services/webhooks/signature.js';
import { startRedisServer } from '../tests/helpers/redis-server.js';
import { buildFlygate } from './lib/flygate-build.js';
import { cpuMs, settle } from './lib/proc.js';
import { startUpstream } from './peers/upstream.js';

const LOAD_FLAG = '--load-child';
const SECRET = `whsec_${Buffer.alloc(32, 5).toString('base64')}`;
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BENCH = fileURLToPath(new URL('.', import.meta.url));
const STREAM = 'flygate:events';
const hasTaskset = spawnSync('taskset', ['-c', '0', 'true']).status === 0;

interface LoadJob {
  url: string;
  app: string;
  connections: number;
  seconds: number;
}

/** Load child: every request gets a fresh id, a timestamp of now and its signature. */
async function runLoadChild(job: LoadJob): Promise<void> {
  let n = 0;
  const run = process.pid.toString(36);
  const result = await autocannon({
    url: job.url,
    connections: job.connections,
    duration: job.seconds,
    requests: [
      {
        method: 'POST',
        setupRequest: (request: any) => {
          n += 1;
          const body = JSON.stringify({
            type: 'machine.state_changed',
            timestamp: new Date().toISOString(),
            data: { app: job.app, machine_id: `m${n % 16}`, from: n % 2 ? 'stopped' : 'started', to: n % 2 ? 'started' : 'stopped' },
          });
          const headers = signWebhook({ secrets: [SECRET], id: `bench_${run}_${n}`, timestamp: Math.floor(Date.now() / 1000), body });
          return { ...request, body, headers: { ...headers, 'content-type': 'application/json' } };
        },
      },
    ],
  });
  process.stdout.write(
    `${JSON.stringify({
      accepted: result['2xx'],
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      seconds: result.duration,
      p50: result.latency.p50,
      p99: result.latency.p99,
    })}\n`,
  );
}

type LoadResult = { accepted: number; non2xx: number; errors: number; timeouts: number; seconds: number; p50: number; p99: number };

async function load(job: LoadJob): Promise<LoadResult> {
  const args = ['--import', 'tsx', fileURLToPath(import.meta.url), LOAD_FLAG, JSON.stringify(job)];
  const child = hasTaskset
    ? spawn('taskset', ['-c', '1', process.execPath, ...args], { cwd: BENCH })
    : spawn(process.execPath, args, { cwd: BENCH });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`load child exited ${code}: ${err.slice(-500)}`);
  return JSON.parse(out.trim().split('\n').at(-1)!) as LoadResult;
}

/** Entries ever added to the stream (XINFO's `entries-added`, Redis 7): unlike XLEN it is not lowered by trimming. */
async function entriesAdded(client: Redis): Promise<number> {
  const info = (await client.call('XINFO', 'STREAM', STREAM).catch(() => [])) as unknown[];
  const at = info.indexOf('entries-added');
  return at === -1 ? 0 : Number(info[at + 1]);
}

async function untilReady(url: string): Promise<void> {
  for (let i = 0; i < 1500; i++) {
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // not yet listening
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${url} never answered`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      subscribers: { type: 'string', default: '0,100' },
      seconds: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '3' },
      connections: { type: 'string', default: '50' },
      // Flygate from another checkout (to compare two).
      flygate: { type: 'string' },
    },
  });
  if (hasTaskset) spawnSync('taskset', ['-cp', '1', String(process.pid)]);
  const redis = await startRedisServer();
  const upstream = await startUpstream();
  const port = 4120;
  buildFlygate(values.flygate ?? ROOT);
  const gateway: ChildProcess = spawn(
    hasTaskset ? 'taskset' : process.execPath,
    [
      ...(hasTaskset ? ['-c', '0', process.execPath] : []),
      ...(process.env.WEBHOOKS_GATEWAY_NODE_OPTIONS?.split(' ').filter(Boolean) ?? []),
      'dist/main.js',
    ],
    {
      cwd: values.flygate ?? ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: {
        ...process.env,
        ...{ PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', FLY_API_TOKEN: 'some-fake', FLY_API_BASE_URL: upstream.url },
        ...{ FLY_ORG: 'bench-org', FLY_RATE_LIMIT: 'false', SYNC_ENABLED: 'false', WEBHOOK_SECRET: SECRET, REDIS_URL: redis.url },
        WS_MAX_SOCKETS_PER_ADDRESS: '20000',
      },
    },
  );
  const base = `http://127.0.0.1:${port}`;
  const client = new Redis(redis.url);
  const rows: Array<Record<string, number>> = [];
  const clients: Client[] = [];
  try {
    await untilReady(`${base}/readyz`);
    for (const subscribers of values.subscribers.split(',').map(Number)) {
      const app = `ingest-${randomUUID().slice(0, 8)}`;
      let deliveries = 0;
      await Promise.all(
        Array.from(
          { length: subscribers },
          () =>
            new Promise<void>((resolve, reject) => {
              const c = createClient({
                url: `ws://127.0.0.1:${port}/graphql`,
                webSocketImpl: WebSocket,
                retryAttempts: 0,
                lazy: false,
                on: { connected: () => resolve() },
              });
              clients.push(c);
              c.subscribe(
                { query: 'subscription($app: String!) { machineStateChanged(app: $app) { seq } }', variables: { app } },
                { next: () => void (deliveries += 1), error: (e) => reject(new Error(JSON.stringify(e))), complete: () => undefined },
              );
            }),
        ),
      );
      const job = { url: `${base}/webhooks/fly`, app, connections: Number(values.connections), seconds: Number(values.warmup) };
      await load(job);
      const pid = gateway.pid!;
      await settle(pid);
      const addedBefore = await entriesAdded(client);
      const cpuBefore = cpuMs(pid);
      deliveries = 0;
      const result = await load({ ...job, seconds: Number(values.seconds) });
      // Read at once: what the gateway still works off afterwards is for requests autocannon no longer counts.
      const cpu = cpuMs(pid) - cpuBefore;
      await settle(pid);
      const added = (await entriesAdded(client)) - addedBefore;
      rows.push({
        subscribers,
        acceptedPerSec: result.accepted / result.seconds,
        p50: result.p50,
        p99: result.p99,
        rejected: result.non2xx + result.errors + result.timeouts,
        cpuUsPerWebhook: (cpu * 1000) / Math.max(1, result.accepted),
        streamEntries: added,
        accepted: result.accepted,
        deliveriesPerEntry: subscribers > 0 ? deliveries / Math.max(1, added) : 0,
      });
      process.stderr.write(`${subscribers} subscribers: ${Math.round(result.accepted / result.seconds)} webhooks/s\n`);
      await Promise.all(clients.splice(0).map((c) => c.dispose()));
    }
  } finally {
    await Promise.all(clients.map((c) => c.dispose()));
    client.disconnect();
    const exited = new Promise((resolve) => gateway.once('exit', resolve));
    gateway.kill('SIGTERM');
    await exited;
    await upstream.close();
    await redis.stop();
  }
  const f = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  const lines = [
    `One gateway with Redis; ${values.connections} connections, ${values.warmup} s warm-up + ${values.seconds} s; every webhook has its own id and signature.`,
    '',
    '| subscribers | accepted webhooks/s | POST → 204 p50 / p99 ms | rejected | gateway CPU µs/webhook | 204s / new stream entries | deliveries per entry |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.subscribers} | ${f(r.acceptedPerSec!)} | ${f(r.p50!)} / ${f(r.p99!)} | ${r.rejected} | ${f(r.cpuUsPerWebhook!)} | ${f(r.accepted!)} / ${f(r.streamEntries!)} | ${f(r.deliveriesPerEntry!, 1)} |`,
    ),
  ];
  const out = fileURLToPath(new URL('.out/', import.meta.url));
  mkdirSync(out, { recursive: true });
  writeFileSync(`${out}webhook-ingest.json`, `${JSON.stringify(rows, null, 2)}\n`);
  console.log(lines.join('\n'));
}

if (process.argv[2] === LOAD_FLAG) await runLoadChild(JSON.parse(process.argv[3]!) as LoadJob);
else await main();
