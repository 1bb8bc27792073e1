/**
 * Fan-out on ONE gateway instance, from 1,000 to 10,000 graphql-ws subscribers (each its own socket, all on one
 * app, `machineStateChanged` selecting `kind seq machineId from to`). The gateway runs in its own child process
 * (pinned to CPU 0 when taskset exists; the clients and the emulator stay on CPU 1), so its memory and CPU figures
 * are its own. Per size it posts signed webhooks one after another (each awaits its 204) and checks every delivery:
 * per subscriber, seq must follow seq with no hole, repeat or RESYNC.
 *
 * Reports per size: missing / out of order / RESYNC deliveries, deliveries/s, post -> delivery p50/p99 over every
 * delivery and post -> last subscriber per event, POST -> 204, gateway CPU per delivery, and memory per subscriber
 * (rss and heapUsed after a full GC, before and after the subscribers connect). Exits 0 when every subscriber got
 * every event, 1 otherwise.
 *
 *   npm --prefix bench run fanout                                  sizes 1000,10000; 1,000 events each
 *   npm --prefix bench run fanout -- --sizes 1000,5000,10000 --events 200 [--redis] [--client graphql-ws] [--rate 5]
 *   npm --prefix bench run fanout -- --sizes 2000 --events 100 --inflight 4     four posters, each awaiting its 204
 *
 * Subscribers speak graphql-transport-ws over ws directly (bench/lib/lean-subscriber.ts) unless --client graphql-ws
 * picks the client library, which costs about as much CPU per delivery as the gateway and so sets the pace itself.
 *
 * --redis puts the gateway's bus on a private redis-server the script starts (the shared one is left alone).
 */
import { attachGatewayChild } from './lib/gateway-child.js';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync, mkdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { createEmulator } from '../src/emulator/emulator.js';
import { signWebhook } from '../src/services/webhooks/signature.js';
import { startRedisServer, type TestRedisServer } from '../tests/helpers/redis-server.js';
import { buildFlygate } from './lib/flygate-build.js';
import { leanSubscribe, type LeanHandlers } from './lib/lean-subscriber.js';

const CHILD_FLAG = '--gateway-child';
const SECRET = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
const QUERY = 'subscription($app: String!) { machineStateChanged(app: $app) { kind seq machineId from to } }';
const CONNECT_BATCH = 200;
const STALL_MS = 20_000;

type Probe = { rss: number; heapUsed: number; sockets: number; cpuMs: number };
const cpuMs = () => Object.values(process.cpuUsage()).reduce((sum, us) => sum + us, 0) / 1000;

async function runGatewayChild(): Promise<void> {
  // The gateway as `npm start` runs it: compiled (main() builds dist/ before the first child starts).
  const dist = new URL('../dist/', import.meta.url).href;
  const { loadConfig } = (await import(`${dist}config/load-config.js`)) as typeof import('../src/config/load-config.js');
  const { createGateway } = (await import(`${dist}gateway.js`)) as typeof import('../src/gateway.js');
  const gateway = createGateway(loadConfig({ env: process.env }));
  const { url } = await gateway.start();
  process.on('message', (message) => {
    if (message === 'memory') (globalThis as { gc?: () => void }).gc?.();
    if (message === 'memory' || message === 'cpu') {
      const { rss, heapUsed } = process.memoryUsage();
      process.send!({ rss, heapUsed, sockets: gateway.subscriberCount(), cpuMs: cpuMs() } satisfies Probe);
    } else if (message === 'stop') void gateway.stop().then(() => process.disconnect?.());
  });
  process.send!({ url });
}

const hasTaskset = spawnSync('taskset', ['-c', '0', 'true']).status === 0;

async function spawnGateway(env: Record<string, string>) {
  // FANOUT_GATEWAY_NODE_OPTIONS adds node flags to the gateway child only (e.g. --cpu-prof to profile the fan-out).
  const extra = process.env.FANOUT_GATEWAY_NODE_OPTIONS?.split(' ').filter(Boolean) ?? [];
  const args = [...extra, '--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), CHILD_FLAG];
  const child: ChildProcess = hasTaskset
    ? spawn('taskset', ['-c', '0', process.execPath, ...args], {
        env: { PATH: process.env.PATH ?? '', ...env },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      })
    : spawn(process.execPath, args, { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const gateway = await attachGatewayChild(child);
  return {
    base: gateway.base,
    wsUrl: gateway.wsUrl,
    probe: (kind: 'memory' | 'cpu') => gateway.ask<Probe>(kind),
    stop: () => gateway.stop(),
  };
}

function percentile(sorted: ArrayLike<number>, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

type Delivery = { kind: string; seq: number; machineId: string };
type Subscriber = {
  client: { dispose(): unknown };
  lastSeq?: number;
  lastMarker: number;
  outOfOrder: number;
  resyncs: number;
  errors: number;
};

export interface FanoutResult {
  subscribers: number;
  events: number;
  missing: number;
  outOfOrder: number;
  resyncs: number;
  failedSubscriptions: number;
  deliveriesPerSec: number;
  deliveryP50: number;
  deliveryP99: number;
  lastP50: number;
  lastP99: number;
  ackP50: number;
  ackP99: number;
  gatewayCpuUsPerDelivery: number;
  /** CPU of this process (every client and the poster) per delivery: when it nears the span, the clients set the pace. */
  clientCpuUsPerDelivery: number;
  rssKiBPerSubscriber: number;
  heapKiBPerSubscriber: number;
  rssMiBAfter: number;
  heapMiBAfter: number;
}

async function runSize(
  count: number,
  events: number,
  redis: TestRedisServer | undefined,
  clientKind: 'lean' | 'graphql-ws',
  rate: number | undefined,
  inflight: number,
): Promise<FanoutResult> {
  const emu = createEmulator({ seed: 'none' });
  await emu.start({ port: 0, host: '127.0.0.1' });
  const gateway = await spawnGateway({
    ...{ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', FLY_API_TOKEN: emu.token, FLY_API_BASE_URL: emu.url },
    ...{ FLY_RATE_LIMIT: 'false', WEBHOOK_SECRET: SECRET, SYNC_ENABLED: 'false', ...(redis ? { REDIS_URL: redis.url } : {}) },
    // Every subscriber connects from loopback: lift the per-address and total caps above the bench's own count.
    WS_MAX_SOCKETS_PER_ADDRESS: String(count + 100),
    SERVER_MAX_CONNECTIONS: String(count + 1_000),
    STREAMS_MAX_PER_PROCESS: String(count + 1_000),
    // The bench measures the heap its subscribers take: it must not be shed on the way.
    STREAMS_SHED_HEAP_RATIO: '1',
    // A fan-out to 10,000 sockets on a loaded host can hold the gateway's event loop for seconds; with Node's 5 s
    // keep-alive timer firing before the next webhook on the same connection is read, the poster's request would be
    // dropped ("other side closed"), which measures the host, not the fan-out.
    SERVER_KEEPALIVE_TIMEOUT_MS: '60000',
  });
  const app = `fanout-${randomUUID().slice(0, 8)}`;
  const subscribers: Subscriber[] = [];
  let markers = 0;
  // The current phase: event i has seq base + 1 + i; latencies are stored flat (one slot per delivery).
  let base = -1;
  let posted = new Float64Array(0);
  let latencies = new Float32Array(0);
  let last = new Float64Array(0);
  let delivered = 0;

  const post = async (machineId: string, n: number) => {
    const body = JSON.stringify({
      type: 'machine.state_changed',
      timestamp: '2026-01-01T12:00:00Z',
      data: { app, machine_id: machineId, from: n % 2 ? 'stopped' : 'started', to: n % 2 ? 'started' : 'stopped' },
    });
    const headers = signWebhook({ secrets: [SECRET], id: `msg_${randomUUID()}`, timestamp: Math.floor(Date.now() / 1000), body });
    const response = await fetch(`${gateway.base}/webhooks/fly`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body,
    });
    await response.arrayBuffer();
    if (response.status !== 204) throw new Error(`webhook answered ${response.status}`);
  };

  const onDelivery = (sub: Subscriber, d: Delivery) => {
    const now = performance.now();
    if (d.kind !== 'EVENT') return void (sub.resyncs += 1);
    if (sub.lastSeq !== undefined && d.seq !== sub.lastSeq + 1) sub.outOfOrder += 1;
    sub.lastSeq = d.seq;
    if (d.machineId.startsWith('marker-')) return void (sub.lastMarker = Number(d.machineId.slice(7)));
    const index = d.seq - base - 1;
    if (base < 0 || index < 0 || index >= posted.length) return;
    latencies[delivered] = now - posted[index]!;
    last[index] = Math.max(last[index]!, now);
    delivered += 1;
  };

  const waitUntil = async (done: () => boolean, progress: () => number) => {
    let seen = progress();
    let since = performance.now();
    while (!done()) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      if (progress() !== seen) [seen, since] = [progress(), performance.now()];
      else if (performance.now() - since > STALL_MS) return false;
    }
    return true;
  };

  /** The graphql-ws client library's way of subscribing (one client and socket per subscriber). */
  const graphqlWs = (handlers: LeanHandlers): Client => {
    const client = createClient({
      url: gateway.wsUrl,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: false,
      on: { connected: () => handlers.connected() },
    });
    client.subscribe({ query: QUERY, variables: { app } }, { next: handlers.next, error: handlers.error, complete: () => undefined });
    return client;
  };

  const connect = async (n: number) => {
    for (let opened = 0; opened < n; opened += CONNECT_BATCH) {
      await Promise.all(
        Array.from({ length: Math.min(CONNECT_BATCH, n - opened) }, () => {
          const sub: Subscriber = { lastMarker: -1, outOfOrder: 0, resyncs: 0, errors: 0 } as Subscriber;
          subscribers.push(sub);
          return new Promise<void>((resolve, reject) => {
            const handlers = {
              connected: () => resolve(),
              next: (result: { data?: unknown }) => onDelivery(sub, (result.data as { machineStateChanged: Delivery }).machineStateChanged),
              error: (error: unknown) => {
                sub.errors += 1;
                reject(new Error(`subscriber failed: ${JSON.stringify(error)}`));
              },
            };
            sub.client =
              clientKind === 'lean' ? leanSubscribe(gateway.wsUrl, { query: QUERY, variables: { app } }, handlers) : graphqlWs(handlers);
          });
        }),
      );
    }
  };

  /** Posts markers until one has reached every subscriber; returns that marker's seq. */
  const allLive = async () => {
    for (let attempt = 0; attempt < 50; attempt++) {
      const marker = markers++;
      await post(`marker-${marker}`, marker);
      const reached = () => subscribers.filter((s) => s.lastMarker >= marker).length;
      if (await waitUntil(() => reached() === subscribers.length, reached)) return subscribers[0]!.lastSeq!;
    }
    throw new Error('not every subscription went live after 50 markers');
  };

  /** Posts n events: back to back (each after the last one's 204), or at `rate` per second when given. */
  const runPhase = async (n: number, rate?: number, inflight = 1) => {
    base = await allLive();
    for (const s of subscribers) [s.outOfOrder, s.resyncs] = [0, 0];
    posted = new Float64Array(n);
    last = new Float64Array(n);
    latencies = new Float32Array(n * subscribers.length);
    delivered = 0;
    const acks = new Float64Array(n);
    const cpuBefore = (await gateway.probe('cpu')).cpuMs;
    const clientCpuBefore = cpuMs();
    const start = performance.now();
    // `inflight` posters share the events: each posts the next one as soon as its own previous one got its 204.
    let next = 0;
    const poster = async () => {
      for (let i = next++; i < n; i = next++) {
        if (rate) {
          const due = start + (i * 1000) / rate;
          if (due > performance.now()) await new Promise((resolve) => setTimeout(resolve, due - performance.now()));
        }
        posted[i] = performance.now();
        await post(`m${i % 4}`, i);
        acks[i] = performance.now() - posted[i]!;
      }
    };
    await Promise.all(Array.from({ length: inflight }, poster));
    const complete = await waitUntil(
      () => delivered === n * subscribers.length,
      () => delivered,
    );
    const cpu = (await gateway.probe('cpu')).cpuMs - cpuBefore;
    const clientCpu = cpuMs() - clientCpuBefore;
    const span = Math.max(...last) - posted[0]!;
    return { complete, acks, cpu, clientCpu, span };
  };

  try {
    await connect(4);
    await runPhase(20);
    for (const s of subscribers.splice(0)) await s.client.dispose();
    await new Promise((r) => setTimeout(r, 500));
    const before = await gateway.probe('memory');

    const connectStarted = performance.now();
    await connect(count);
    await allLive();
    const connectMs = performance.now() - connectStarted;
    const after = await gateway.probe('memory');
    process.stderr.write(
      `  ${count} subscribers connected and live in ${(connectMs / 1000).toFixed(1)} s (gateway sockets ${after.sockets})\n`,
    );

    const { complete, acks, cpu, clientCpu, span } = await runPhase(events, rate, inflight);
    const sortedLatency = latencies.slice(0, delivered).sort();
    const sortedLast = last
      .filter((t) => t > 0)
      .map((t, i) => t - posted[i]!)
      .sort();
    const sortedAcks = acks.slice().sort();
    const sum = (key: 'outOfOrder' | 'resyncs' | 'errors') => subscribers.reduce((n, s) => n + s[key], 0);
    const result: FanoutResult = {
      subscribers: count,
      events,
      missing: events * count - delivered,
      outOfOrder: sum('outOfOrder'),
      resyncs: sum('resyncs'),
      failedSubscriptions: sum('errors'),
      deliveriesPerSec: delivered / (span / 1000),
      deliveryP50: percentile(sortedLatency, 50),
      deliveryP99: percentile(sortedLatency, 99),
      lastP50: percentile(sortedLast, 50),
      lastP99: percentile(sortedLast, 99),
      ackP50: percentile(sortedAcks, 50),
      ackP99: percentile(sortedAcks, 99),
      gatewayCpuUsPerDelivery: (cpu * 1000) / Math.max(1, delivered),
      clientCpuUsPerDelivery: (clientCpu * 1000) / Math.max(1, delivered),
      rssKiBPerSubscriber: (after.rss - before.rss) / 1024 / count,
      heapKiBPerSubscriber: (after.heapUsed - before.heapUsed) / 1024 / count,
      rssMiBAfter: after.rss / 2 ** 20,
      heapMiBAfter: after.heapUsed / 2 ** 20,
    };
    if (!complete) process.stderr.write(`  STALLED: ${result.missing} deliveries missing\n`);
    return result;
  } finally {
    await Promise.all(subscribers.map((s) => s.client.dispose()));
    await gateway.stop();
    await emu.stop();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '1000,10000' },
      events: { type: 'string', default: '1000' },
      redis: { type: 'boolean', default: false },
      // lean: the protocol over ws directly (bench/lib/lean-subscriber.ts); graphql-ws: the client library.
      client: { type: 'string', default: 'lean' },
      // Events per second, paced; without it each event is posted as soon as the previous one's 204 is back.
      rate: { type: 'string' },
      // Webhooks posted at once: that many posters, each awaiting its own 204 before its next event.
      inflight: { type: 'string', default: '1' },
    },
  });
  const inflight = Number(values.inflight);
  if (!Number.isInteger(inflight) || inflight < 1) throw new Error(`--inflight must be a positive integer, got ${values.inflight}`);
  buildFlygate(fileURLToPath(new URL('..', import.meta.url)));
  // The clients (this process) stay off the gateway's core.
  if (hasTaskset) spawnSync('taskset', ['-cp', '1', String(process.pid)]);
  const sizes = values.sizes.split(',').map(Number);
  const events = Number(values.events);
  const redis = values.redis ? await startRedisServer() : undefined;
  const results: FanoutResult[] = [];
  try {
    for (const size of sizes) {
      process.stderr.write(`${size} subscribers x ${events} events${redis ? ' (Redis bus)' : ' (in-memory bus)'}\n`);
      results.push(
        await runSize(
          size,
          events,
          redis,
          values.client === 'graphql-ws' ? 'graphql-ws' : 'lean',
          values.rate ? Number(values.rate) : undefined,
          inflight,
        ),
      );
    }
  } finally {
    await redis?.stop();
  }
  const f = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  const lines = [
    `One gateway instance, ${redis ? 'Redis' : 'in-memory'} bus, ${events} events per size${values.rate ? ` at ${values.rate}/s` : ', back to back'}${inflight > 1 ? ` (${inflight} in flight)` : ''}, ${values.client === 'graphql-ws' ? 'graphql-ws client library' : 'lean protocol clients'}; ms unless noted.`,
    '',
    '| subscribers | missing / out of order / RESYNC / failed | deliveries/s | post → delivery p50 / p99 | post → last subscriber p50 / p99 | POST → 204 p50 / p99 | CPU µs/delivery gateway / clients | KiB/subscriber rss / heap | rss / heap after connect (MiB) |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|',
    ...results.map(
      (r) =>
        `| ${f(r.subscribers)} | ${r.missing} / ${r.outOfOrder} / ${r.resyncs} / ${r.failedSubscriptions} | ${f(r.deliveriesPerSec)} | ${f(r.deliveryP50, 1)} / ${f(r.deliveryP99, 1)} | ${f(r.lastP50, 1)} / ${f(r.lastP99, 1)} | ${f(r.ackP50, 1)} / ${f(r.ackP99, 1)} | ${f(r.gatewayCpuUsPerDelivery)} / ${f(r.clientCpuUsPerDelivery)} | ${f(r.rssKiBPerSubscriber, 1)} / ${f(r.heapKiBPerSubscriber, 1)} | ${f(r.rssMiBAfter)} / ${f(r.heapMiBAfter)} |`,
    ),
  ];
  const out = fileURLToPath(new URL('.out/', import.meta.url));
  mkdirSync(out, { recursive: true });
  writeFileSync(`${out}fanout.json`, `${JSON.stringify(results, null, 2)}\n`);
  console.log(lines.join('\n'));
  const ok = results.every((r) => r.missing === 0 && r.outOfOrder === 0 && r.resyncs === 0 && r.failedSubscriptions === 0);
  process.exit(ok ? 0 : 1);
}

if (process.argv[2] === CHILD_FLAG) await runGatewayChild();
else await main();
