/**
 * Live logs fan-out: two gateways (each its own child process, so memory figures are theirs) share a private
 * redis-server and follow one app of an emulator (in this process, so its request counts are exact). First one
 * subscriber, then N (split across both gateways, one graphql-ws socket each), while lines are printed at a steady
 * rate. Reports Fly log calls per second in both phases (the poll loop is one however many follow), lines lost and
 * duplicated per subscriber, print -> delivery latency, and gateway memory per log subscriber.
 *
 *   npx tsx bench/logs-fanout.ts [subscribers] [lines] [--quick]     (default 1000 subscribers, 500 lines; --quick: 200, 200)
 *
 * Also reports the CPU both gateways spent in the many-subscriber phase (first line printed to last line delivered, GC included)
 * per delivered line (on a shared host it varies less than the latencies), and the CPU of this process (the clients
 * and the emulator): when it nears the time the phase took, the latencies are the clients' more than the gateways'.
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

const CHILD_FLAG = '--gateway-child';
const QUERY = 'subscription($app: String!) { logs(app: $app) { kind seq line { message } } }';
const CONNECT_BATCH = 100;
/** Lines printed per second in both phases. */
const RATE = 50;
const STALL_MS = 15_000;

type Memory = { rss: number; heapUsed: number; sockets: number; cpuMs: number };

async function runGatewayChild(): Promise<void> {
  const gateway = createGateway(loadConfig({ env: process.env }));
  const { url } = await gateway.start();
  process.on('message', (message) => {
    if (message === 'memory') {
      (globalThis as { gc?: () => void }).gc?.();
      const { rss, heapUsed } = process.memoryUsage();
      const { user, system } = process.cpuUsage();
      process.send!({ rss, heapUsed, sockets: gateway.subscriberCount(), cpuMs: (user + system) / 1000 } satisfies Memory);
    } else if (message === 'stop') {
      void gateway.stop().then(() => process.disconnect?.());
    }
  });
  process.send!({ url });
}

async function spawnGateway(env: Record<string, string>) {
  const child: ChildProcess = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), CHILD_FLAG], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const gateway = await attachGatewayChild(child);
  return { wsUrl: gateway.wsUrl, memory: () => gateway.ask<Memory>('memory'), stop: () => gateway.stop() };
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

type Subscriber = {
  client: Client;
  seen: Map<string, number>;
  /** Distinct lines seen per prefix, so settling counts without scanning every subscriber's lines. */
  counts: Map<string, number>;
  duplicates: number;
  resyncs: number;
  outOfOrder: number;
  lastSeq?: number;
};

async function runBench(): Promise<void> {
  const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const quick = process.argv.includes('--quick');
  const subscriberCount = Number(args[0] ?? (quick ? 200 : 1_000));
  const lineCount = Number(args[1] ?? (quick ? 200 : 500));
  const app = `logs-${process.pid}`;
  const redis = await startRedisServer();
  const emu = createEmulator({ seed: 'none' });
  await emu.start({ port: 0, host: '127.0.0.1' });
  emu.control.createApp(app);
  const env = {
    ...{
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      FLY_API_TOKEN: emu.token,
      FLY_API_BASE_URL: emu.url,
      FLY_PLATFORM_BASE_URL: emu.url,
    },
    ...{ FLY_RATE_LIMIT: 'true', SYNC_ENABLED: 'false', REDIS_URL: redis.url, LOGS_MAX_BUFFERED: String(lineCount * 2) },
    WS_MAX_SOCKETS_PER_ADDRESS: String(subscriberCount + 10),
    STREAMS_MAX_PER_PROCESS: String(subscriberCount + 100),
  };
  const gateways = [await spawnGateway(env), await spawnGateway(env)];
  const printedAt = new Map<string, number>();
  const subscribers: Subscriber[] = [];

  const open = async (count: number) => {
    for (let opened = 0; opened < count; opened += CONNECT_BATCH) {
      const batch = Array.from({ length: Math.min(CONNECT_BATCH, count - opened) }, (_, i) => {
        const sub: Subscriber = {
          client: undefined as unknown as Client,
          seen: new Map(),
          counts: new Map(),
          duplicates: 0,
          resyncs: 0,
          outOfOrder: 0,
        };
        subscribers.push(sub);
        return new Promise<void>((resolve, reject) => {
          sub.client = createClient({ url: gateways[(opened + i) % 2]!.wsUrl, webSocketImpl: WebSocket, retryAttempts: 0, lazy: false });
          sub.client.subscribe<{ logs: { kind: string; seq: number | null; line: { message: string } | null } }>(
            { query: QUERY, variables: { app } },
            {
              next: ({ data }) => {
                const d = data!.logs;
                if (d.kind !== 'EVENT') return void (sub.resyncs += 1);
                if (sub.lastSeq !== undefined && d.seq! <= sub.lastSeq) sub.outOfOrder += 1;
                sub.lastSeq = d.seq!;
                const message = d.line!.message;
                if (sub.seen.has(message)) sub.duplicates += 1;
                else {
                  sub.seen.set(message, performance.now());
                  const prefix = message.slice(0, message.lastIndexOf('-'));
                  sub.counts.set(prefix, (sub.counts.get(prefix) ?? 0) + 1);
                }
              },
              error: reject,
              complete: () => undefined,
            },
          );
          // Connected and subscribed once the socket has opened: give the server a moment per batch.
          sub.client.on('connected', () => resolve());
        });
      });
      await Promise.all(batch);
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  };

  /** Prints `count` lines at RATE per second; returns the Fly log calls per second meanwhile. */
  const print = async (prefix: string, count: number) => {
    emu.resetRequestCounts();
    const started = performance.now();
    for (let i = 0; i < count; i++) {
      const message = `${prefix}-${i}`;
      printedAt.set(message, performance.now());
      emu.logs.append({ app, instance: 'm1', region: 'iad', level: 'info', message });
      await new Promise((resolve) => setTimeout(resolve, 1000 / RATE));
    }
    const seconds = (performance.now() - started) / 1000;
    return (emu.requestCounts()['logs.list'] ?? 0) / seconds;
  };

  const settle = async (prefix: string, count: number, subs: Subscriber[]) => {
    let last = -1;
    let since = performance.now();
    for (;;) {
      const have = subs.reduce((sum, s) => sum + (s.counts.get(prefix) ?? 0), 0);
      if (have >= count * subs.length) return;
      if (have !== last) [last, since] = [have, performance.now()];
      if (performance.now() - since > STALL_MS) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };

  const report = (prefix: string, count: number, subs: Subscriber[]) => {
    const latencies: number[] = [];
    let lost = 0;
    for (const sub of subs) {
      for (let i = 0; i < count; i++) {
        const at = sub.seen.get(`${prefix}-${i}`);
        if (at === undefined) lost += 1;
        else latencies.push(at - printedAt.get(`${prefix}-${i}`)!);
      }
    }
    const duplicates = subs.reduce((sum, s) => sum + s.duplicates, 0);
    const resyncs = subs.reduce((sum, s) => sum + s.resyncs, 0);
    const outOfOrder = subs.reduce((sum, s) => sum + s.outOfOrder, 0);
    return {
      lost,
      duplicates,
      resyncs,
      outOfOrder,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: percentile(latencies, 100),
    };
  };

  try {
    const idle = await Promise.all(gateways.map((g) => g.memory()));
    await open(1);
    const one = await print('one', lineCount);
    await settle('one', lineCount, subscribers.slice(0, 1));
    const oneReport = report('one', lineCount, subscribers.slice(0, 1));
    await Promise.all(subscribers.splice(0).map((s) => s.client.dispose()));
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    const before = await Promise.all(gateways.map((g) => g.memory()));
    const opening = performance.now();
    await open(subscriberCount);
    const openedMs = performance.now() - opening;
    const after = await Promise.all(gateways.map((g) => g.memory()));
    const cpuBefore = after.reduce((sum, m) => sum + m.cpuMs, 0);
    const clientCpu = process.cpuUsage();
    const many = await print('many', lineCount);
    await settle('many', lineCount, subscribers);
    // CPU both gateways spent printing and delivering (less noisy than latency on a shared host).
    const cpuMs = (await Promise.all(gateways.map((g) => g.memory()))).reduce((sum, m) => sum + m.cpuMs, 0) - cpuBefore;
    const { user, system } = process.cpuUsage(clientCpu);
    const manyReport = report('many', lineCount, subscribers);
    const heapPer = (after.reduce((s, m) => s + m.heapUsed, 0) - before.reduce((s, m) => s + m.heapUsed, 0)) / subscriberCount;
    const rssPer = (after.reduce((s, m) => s + m.rss, 0) - before.reduce((s, m) => s + m.rss, 0)) / subscriberCount;

    console.log(`logs fan-out: ${lineCount} lines at ${RATE}/s, Fly's rate budget on, two gateways sharing Redis`);
    console.log(
      `  1 subscriber:        Fly log calls ${one.toFixed(2)}/s; lost ${oneReport.lost}, duplicated ${oneReport.duplicates}; print->delivery p50 ${oneReport.p50.toFixed(1)} ms, p99 ${oneReport.p99.toFixed(1)} ms`,
    );
    console.log(
      `  ${subscriberCount} subscribers: Fly log calls ${many.toFixed(2)}/s; lost ${manyReport.lost}, duplicated ${manyReport.duplicates}, out of order ${manyReport.outOfOrder}, resyncs ${manyReport.resyncs}`,
    );
    console.log(
      `                       print->delivery p50 ${manyReport.p50.toFixed(1)} ms, p99 ${manyReport.p99.toFixed(1)} ms, max ${manyReport.max.toFixed(1)} ms`,
    );
    console.log(
      `                       gateway CPU (both) ${(cpuMs / 1000).toFixed(2)} s, ${((cpuMs * 1000) / (lineCount * subscriberCount)).toFixed(2)} µs per delivered line; clients and emulator (this process) ${((user + system) / 1e6).toFixed(2)} s`,
    );
    console.log(
      `  memory per log subscriber (both gateways, after GC): heap ${(heapPer / 1024).toFixed(1)} KiB, rss ${(rssPer / 1024).toFixed(1)} KiB; opened in ${(openedMs / 1000).toFixed(1)} s`,
    );
    console.log(`  idle gateway heap ${(idle[0]!.heapUsed / 2 ** 20).toFixed(1)} MiB`);
  } finally {
    await Promise.all(subscribers.map((s) => s.client.dispose()));
    for (const g of gateways) await g.stop();
    await emu.stop();
    await redis.stop();
  }
}

if (process.argv.includes(CHILD_FLAG)) await runGatewayChild();
else await runBench();
