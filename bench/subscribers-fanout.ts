/**
 * Fan-out to many graphql-ws subscribers: two gateways (each its own child process, so memory figures are theirs)
 * share a private redis-server; N subscribers, each on its own socket, split across both, all on one app. Signed
 * webhooks are posted alternately to either gateway. Reports completeness (missing, out of order, resyncs), total
 * time and deliveries per second, per-event fan-out latency (post -> first and last subscriber), gateway memory
 * before and after the subscribers connect, and a `GET /healthz` round trip as the yardstick for this machine.
 *
 *   npx tsx bench/subscribers-fanout.ts [subscribers] [events]     (default 1000 and 1000)
 */
import { attachGatewayChild } from './lib/gateway-child.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { loadConfig } from '../src/config/load-config.js';
import { createEmulator } from '../src/emulator/emulator.js';
import { createGateway } from '../src/gateway.js';
import { startRedisServer } from '../tests/helpers/redis-server.js';
import { NEW_SECRET, postWebhook, stateChanged } from '../tests/integration/events/harness.js';

const CHILD_FLAG = '--gateway-child';
const QUERY = 'subscription($app: String!) { machineStateChanged(app: $app) { kind seq machineId from to } }';
const CONNECT_BATCH = 100;
const WARM_UP = 'warm-up';
/** Give up on deliveries after this long without any progress. */
const STALL_MS = 15_000;

/** A gateway process's memory (after a full GC), open sockets, and CPU time used so far (user + system, ms). */
type Memory = { rss: number; heapUsed: number; sockets: number; cpuMs: number };

/** CPU time this process used so far, user + system, in ms. */
const cpuMs = () => Object.values(process.cpuUsage()).reduce((sum, us) => sum + us, 0) / 1000;

/** Child role: one gateway configured by the environment; answers `memory` (after a full GC), `cpu` and `stop` over IPC. */
async function runGatewayChild(): Promise<void> {
  const gateway = createGateway(loadConfig({ env: process.env }));
  const { url } = await gateway.start();
  process.on('message', (message) => {
    if (message === 'memory' || message === 'cpu') {
      if (message === 'memory') (globalThis as { gc?: () => void }).gc?.();
      const { rss, heapUsed } = process.memoryUsage();
      process.send!({ rss, heapUsed, sockets: gateway.subscriberCount(), cpuMs: cpuMs() } satisfies Memory);
    } else if (message === 'stop') {
      void gateway.stop().then(() => process.disconnect?.());
    }
  });
  process.send!({ url });
}

interface GatewayProcess {
  base: string;
  wsUrl: string;
  /** `memory` runs a full GC first; `cpu` does not, so it adds nothing to the CPU time it reads. */
  probe(kind: 'memory' | 'cpu'): Promise<Memory>;
  stop(): Promise<void>;
}

async function spawnGateway(env: Record<string, string>): Promise<GatewayProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), CHILD_FLAG], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const gateway = await attachGatewayChild(child);
  return {
    base: gateway.base,
    wsUrl: gateway.wsUrl,
    probe: (kind) => gateway.ask<Memory>(kind),
    stop: () => gateway.stop(),
  };
}

/** Nearest-rank percentiles in ms, two decimals. */
function summarise(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
  return ['p50', 'p90', 'p99', 'max'].map((p, i) => `${p} ${rank([50, 90, 99, 100][i]!).toFixed(2)}`).join('  ');
}

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);

/** One phase's events start after seq `base`; arrival times live in flat arrays so a million deliveries stay cheap. */
type Phase = { base: number; events: number; arrivals: Float64Array; first: Float64Array; last: Float64Array; delivered: number };
type Counter = 'outOfOrder' | 'resyncs' | 'duplicates' | 'errors';
type Subscriber = { index: number; client: Client; lastSeq?: number; lastMarker: number } & Record<Counter, number>;

async function runBench(): Promise<void> {
  const subscriberCount = Number(process.argv[2] ?? 1_000);
  const eventCount = Number(process.argv[3] ?? 1_000);
  const app = `fanout-${process.pid}`;
  const redis = await startRedisServer();
  const emu = createEmulator({ seed: 'none' });
  await emu.start({ port: 0, host: '127.0.0.1' });
  const env = {
    ...{ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', FLY_API_TOKEN: emu.token, FLY_API_BASE_URL: emu.url },
    ...{ FLY_RATE_LIMIT: 'false', WEBHOOK_SECRET: NEW_SECRET, SYNC_ENABLED: 'false', REDIS_URL: redis.url },
    // Every subscriber connects from loopback: lift the per-address socket cap above the bench's own count.
    WS_MAX_SOCKETS_PER_ADDRESS: String(subscriberCount),
    STREAMS_MAX_PER_PROCESS: String(subscriberCount + 100),
  };
  const gateways = [await spawnGateway(env), await spawnGateway(env)];
  const subscribers: Subscriber[] = [];
  let phase: Phase | undefined;
  let markers = 0;

  const post = async (n: number, machineId: string) => {
    const { status } = await postWebhook(
      gateways[n % 2]!.base,
      stateChanged(app, machineId, n % 4 < 2 ? 'stopped' : 'started', n % 4 < 2 ? 'started' : 'stopped'),
    );
    if (status !== 204) throw new Error(`webhook answered ${status}`);
  };

  const onDelivery = (sub: Subscriber, d: { kind: string; seq: number; machineId: string }) => {
    const now = performance.now();
    if (d.kind !== 'EVENT') return void (sub.resyncs += 1);
    if (sub.lastSeq !== undefined && d.seq !== sub.lastSeq + 1) sub.outOfOrder += 1;
    sub.lastSeq = d.seq;
    if (d.machineId.startsWith('marker-')) return void (sub.lastMarker = Number(d.machineId.slice(7)));
    const index = phase ? d.seq - phase.base - 1 : -1;
    if (!phase || index < 0 || index >= phase.events) return;
    const slot = sub.index * phase.events + index;
    if (phase.arrivals[slot]) return void (sub.duplicates += 1);
    phase.arrivals[slot] = now;
    phase.first[index] = phase.first[index] || now;
    phase.last[index] = Math.max(phase.last[index]!, now);
    phase.delivered += 1;
  };

  /** Opens `count` subscribers in batches, each batch acknowledged by the server before the next opens. */
  const connect = async (count: number) => {
    for (let opened = 0; opened < count; opened += CONNECT_BATCH) {
      const batch = Array.from({ length: Math.min(CONNECT_BATCH, count - opened) }, (_, i) => {
        const sub = { index: subscribers.length, lastMarker: -1, outOfOrder: 0, resyncs: 0, duplicates: 0, errors: 0 } as Subscriber;
        return new Promise<void>((resolve, reject) => {
          sub.client = createClient({
            url: gateways[(opened + i) % 2]!.wsUrl,
            webSocketImpl: WebSocket,
            retryAttempts: 0,
            on: { connected: () => resolve() },
          });
          sub.client.subscribe(
            { query: QUERY, variables: { app } },
            {
              next: (result) =>
                onDelivery(
                  sub,
                  (result.data as { machineStateChanged: { kind: string; seq: number; machineId: string } }).machineStateChanged,
                ),
              error: (error) => {
                sub.errors += 1; // after the connection was acknowledged this is reported per phase, not thrown
                reject(new Error(`subscriber failed: ${JSON.stringify(error)}`));
              },
              complete: () => undefined,
            },
          );
          subscribers.push(sub);
        });
      });
      await Promise.all(batch);
    }
  };

  const waitUntil = async (done: () => boolean, progress: () => number, stallMs: number) => {
    let seen = progress();
    let since = performance.now();
    while (!done()) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      if (progress() !== seen) [seen, since] = [progress(), performance.now()];
      else if (performance.now() - since > stallMs) return false;
    }
    return true;
  };

  /** Posts markers until one reaches every subscriber (every subscription is live); returns its seq via lastSeq. */
  const primeUntilAllLive = async () => {
    for (let attempt = 0; attempt < 50; attempt++) {
      const marker = markers++;
      await post(marker, `marker-${marker}`);
      const reached = () => subscribers.filter((s) => s.lastMarker >= marker).length;
      if (await waitUntil(() => reached() === subscribers.length, reached, 2_000)) return subscribers[0]!.lastSeq!;
    }
    throw new Error('not every subscription went live after 50 markers');
  };

  const healthz = async (count: number) => {
    const samples: number[] = [];
    for (let i = 0; i < count; i++) {
      const started = performance.now();
      await (await fetch(`${gateways[i % 2]!.base}/healthz`)).arrayBuffer();
      samples.push(performance.now() - started);
    }
    return samples;
  };

  const cpuNow = async () => [cpuMs(), ...(await Promise.all(gateways.map((g) => g.probe('cpu')))).map((m) => m.cpuMs)];

  /** Posts `events` webhooks one after another (each awaits its 204); `paced` also waits for the full fan-out. */
  const runPhase = async (label: string, events: number, paced: boolean) => {
    const base = await primeUntilAllLive();
    for (const sub of subscribers) [sub.outOfOrder, sub.resyncs, sub.duplicates] = [0, 0, 0];
    const current: Phase = {
      base,
      events,
      delivered: 0,
      arrivals: new Float64Array(subscribers.length * events),
      first: new Float64Array(events),
      last: new Float64Array(events),
    };
    phase = current;
    const [posted, responded] = [new Float64Array(events), new Float64Array(events)];
    const cpuBefore = await cpuNow();
    for (let i = 0; i < events; i++) {
      posted[i] = performance.now();
      await post(i, `m${i % 4}`);
      responded[i] = performance.now() - posted[i]!;
      if (paced)
        await waitUntil(
          () => current.delivered === (i + 1) * subscribers.length,
          () => current.delivered,
          STALL_MS,
        );
    }
    const complete = await waitUntil(
      () => current.delivered === events * subscribers.length,
      () => current.delivered,
      STALL_MS,
    );
    const total = Math.max(...current.last) - posted[0]!;
    const cpu = (await cpuNow()).map((ms, n) => ms - cpuBefore[n]!);
    const latency = (arrivals: Float64Array) => Array.from(arrivals, (t, i) => t - posted[i]!).filter((_, i) => arrivals[i]! > 0);
    if (label === WARM_UP) return;
    const sum = (key: Counter) => subscribers.reduce((n, s) => n + s[key], 0);
    const perDelivery = (ms: number) => `${((ms * 1000) / Math.max(1, current.delivered)).toFixed(0)} µs`;
    console.log(`\n${label}: ${events} webhooks x ${subscribers.length} subscribers${complete ? '' : ' (STALLED)'}`);
    console.log(
      `  missing ${events * subscribers.length - current.delivered}  out-of-order ${sum('outOfOrder')}  resync ${sum('resyncs')}  duplicates ${sum('duplicates')}  failed subscriptions ${sum('errors')}`,
    );
    console.log(`  first post -> last delivery ${total.toFixed(0)} ms; ${Math.round(current.delivered / (total / 1000))} deliveries/s`);
    console.log(`  webhook POST -> 204 (ms): ${summarise(Array.from(responded))}`);
    console.log(`  fan-out latency, post -> first subscriber (ms): ${summarise(latency(current.first))}`);
    console.log(`  fan-out latency, post -> last subscriber  (ms): ${summarise(latency(current.last))}`);
    console.log(
      `  CPU per delivery: gateways ${perDelivery(cpu[1]! + cpu[2]!)}, clients ${perDelivery(cpu[0]!)} (gateway s: ${(cpu[1]! / 1000).toFixed(1)} + ${(cpu[2]! / 1000).toFixed(1)})`,
    );
  };

  try {
    // Warm-up: the code paths a subscriber exercises are loaded and compiled before the baseline is taken.
    await connect(4);
    await runPhase(WARM_UP, 20, true);
    for (const sub of subscribers.splice(0)) await sub.client.dispose();
    const before = await Promise.all(gateways.map((g) => g.probe('memory')));
    const idle = await healthz(500);

    await connect(subscriberCount);
    await primeUntilAllLive();
    const after = await Promise.all(gateways.map((g) => g.probe('memory')));
    const busy = await healthz(500);
    console.log(
      `${subscriberCount} subscribers on 2 gateway processes (sockets: ${after.map((m) => m.sockets).join(' + ')}), ${eventCount} events`,
    );
    for (const [n, m] of after.entries())
      console.log(
        `  gateway ${n}: rss ${mib(before[n]!.rss)} -> ${mib(m.rss)} MiB, heapUsed ${mib(before[n]!.heapUsed)} -> ${mib(m.heapUsed)} MiB (after full GC)`,
      );
    const per1000 = (key: 'rss' | 'heapUsed') => (after.reduce((s, m, n) => s + m[key] - before[n]![key], 0) * 1_000) / subscriberCount;
    console.log(`  per 1,000 subscribers (both gateways): rss +${mib(per1000('rss'))} MiB, heapUsed +${mib(per1000('heapUsed'))} MiB`);
    console.log(`  GET /healthz round trip, no subscribers (ms): ${summarise(idle)}`);
    console.log(`  GET /healthz round trip, ${subscriberCount} idle subscribers (ms): ${summarise(busy)}`);

    await runPhase('burst (next post as soon as the previous one got its 204)', eventCount, false);
    await runPhase('paced (next post once every subscriber got the previous event)', Math.min(eventCount, 200), true);
  } finally {
    for (const sub of subscribers) void sub.client.dispose();
    for (const gateway of gateways) await gateway.stop();
    await emu.stop();
    await redis.stop();
  }
}

if (process.argv[2] === CHILD_FLAG) await runGatewayChild();
else await runBench();
