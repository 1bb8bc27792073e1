/**
 * The loads of the memory and replay findings (security issue, points 3 and 4), against a compiled gateway in a child
 * process, with `/healthz` probed one request at a time (every 10 ms) throughout:
 *
 * - flood: N `@live` dashboard queries from one address over graphql-ws (100 per socket); heap per live operation
 *   (after a full GC, minus the idle gateway's), then `/healthz` latency while one machine change re-runs them all.
 * - replay: E events published, then R subscriptions resuming with `afterSeq: 0` at once (100 per socket);
 *   messages delivered, time until quiet, and `/healthz` latency meanwhile.
 *
 *   npx tsx bench/live-flood.ts [--dist dist] [--scenario flood|replay|both] [--live 5000] [--events 5000] [--resumes 1000]
 *
 * `--dist` may point at another checkout's build (e.g. the code before a change) to compare like with like; the
 * caps the gateway has since grown are lifted through the environment so both serve the same load.
 */
import { attachGatewayChild } from './lib/gateway-child.js';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { createEmulator, type Emulator } from '../src/emulator/emulator.js';
import { NEW_SECRET, postWebhook, stateChanged } from '../tests/integration/events/harness.js';

const { values } = parseArgs({
  options: {
    dist: { type: 'string', default: 'dist' },
    scenario: { type: 'string', default: 'both' },
    live: { type: 'string', default: '5000' },
    events: { type: 'string', default: '5000' },
    resumes: { type: 'string', default: '1000' },
    heap: { type: 'string' },
    snapshot: { type: 'boolean', default: false },
  },
});
const PER_SOCKET = 100;
const DASHBOARD = `query Dashboard($app: String!) @live {
  app(name: $app) { name machines { nodes { machineId state region events(limit: 3) { type } } } }
}`;
const RESUME = 'subscription($app: String!) { machineStateChanged(app: $app, afterSeq: 0) { kind seq resyncReason machineId } }';

interface Child {
  base: string;
  wsUrl: string;
  memory(): Promise<{ heapUsed: number; rss: number }>;
  snapshot(): Promise<{ path: string }>;
  stop(): Promise<void>;
}

async function spawnGateway(emu: Emulator): Promise<Child> {
  const script = fileURLToPath(new URL('./lib/dist-gateway-child.mjs', import.meta.url));
  const flags = ['--expose-gc', ...(values.heap ? [`--max-old-space-size=${values.heap}`] : [])];
  const env = {
    PATH: process.env.PATH ?? '',
    ...{ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', FLY_API_TOKEN: emu.token, FLY_API_BASE_URL: emu.url },
    ...{ FLY_RATE_LIMIT: 'false', WEBHOOK_SECRET: NEW_SECRET, SYNC_ENABLED: 'false', CALLER_RATE_LIMIT: '0' },
    // One address carries the whole load: lift every cap (builds that predate a cap ignore its variable).
    ...{ WS_MAX_SOCKETS_PER_ADDRESS: '100000', WS_MAX_SUBSCRIPTIONS_PER_SOCKET: String(PER_SOCKET), SERVER_MAX_CONNECTIONS: '100000' },
    ...{ LIVE_MAX_PER_ADDRESS: '100000', LIVE_MAX_PER_PROCESS: '100000', STREAMS_MAX_PER_PROCESS: '100000', STREAMS_SHED_HEAP_RATIO: '1' },
    ...{ EVENTS_MAX_REPLAY: process.env.FLOOD_EVENTS_MAX_REPLAY ?? '1000' },
  };
  const child: ChildProcess = spawn(process.execPath, [...flags, script, path.resolve(values.dist!)], {
    env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const gateway = await attachGatewayChild(child);
  return {
    base: gateway.base,
    wsUrl: gateway.wsUrl,
    memory: () => gateway.ask('memory'),
    snapshot: () => gateway.ask('snapshot'),
    stop: () => gateway.stop(5_000),
  };
}

/**
 * Probes `/healthz` one request at a time until stopped, from a child process (bench/lib/health-probe.mjs); resolves
 * once the probe has warmed up, so the load starts under a probe already running.
 */
async function probeHealth(base: string): Promise<{ stop(): Promise<number[]> }> {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./lib/health-probe.mjs', import.meta.url)), base], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await new Promise((resolve) => child.once('message', resolve));
  return {
    async stop() {
      const answer = new Promise<Array<number | null>>((resolve) => child.once('message', (m) => resolve(m as Array<number | null>)));
      child.send('stop');
      return (await answer).map((latency) => latency ?? Infinity);
    },
  };
}

function summary(latencies: number[]): string {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
  const failed = sorted.filter((latency) => latency === Infinity).length;
  return `n=${sorted.length} p50=${at(50).toFixed(1)} ms p99=${at(99).toFixed(1)} ms max=${at(100).toFixed(1)} ms${failed ? ` (${failed} failed)` : ''}`;
}

const sockets = (wsUrl: string, count: number): Client[] =>
  Array.from({ length: count }, () =>
    createClient({ url: wsUrl, webSocketImpl: WebSocket, retryAttempts: 0, lazy: false, onNonLazyError: () => undefined }),
  );

async function flood(emu: Emulator): Promise<void> {
  const count = Number(values.live);
  const gw = await spawnGateway(emu);
  const app = `flood-${process.pid}`;
  emu.control.createApp(app);
  const ids = [0, 1, 2].map(() => emu.control.createMachine(app, { state: 'started', config: { image: 'x:1' } }).id);
  const idle = await gw.memory();
  const clients = sockets(gw.wsUrl, Math.ceil(count / PER_SOCKET));
  const received = new Array<number>(count).fill(0);
  let errors = 0;
  const firsts: Array<Promise<void>> = [];
  for (let i = 0; i < count; i++) {
    firsts.push(
      new Promise((resolve) => {
        clients[Math.floor(i / PER_SOCKET)]!.subscribe(
          { query: DASHBOARD, variables: { app } },
          {
            next: () => {
              received[i]! += 1;
              resolve();
            },
            error: () => {
              errors += 1;
              resolve();
            },
            complete: () => undefined,
          },
        );
      }),
    );
  }
  await Promise.all(firsts);
  const loaded = await gw.memory();
  const perOp = (loaded.heapUsed - idle.heapUsed) / count;
  console.log(
    `flood: ${count} live operations (${errors} refused): heap ${(idle.heapUsed / 2 ** 20).toFixed(0)} -> ${(loaded.heapUsed / 2 ** 20).toFixed(0)} MiB, ${(perOp / 1024).toFixed(1)} KiB per live operation; rss ${(loaded.rss / 2 ** 20).toFixed(0)} MiB`,
  );
  // --snapshot: a heap snapshot of the loaded gateway (in its working directory), to see what a live operation holds.
  if (values.snapshot) console.log(`flood: heap snapshot ${(await gw.snapshot()).path}`);
  const quiet = await probeHealth(gw.base);
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  console.log(`flood: /healthz at rest: ${summary(await quiet.stop())}`);
  let state: 'started' | 'stopped' = 'started';
  const all: number[] = [];
  for (let change = 1; change <= 3; change++) {
    const before = received.reduce((a, b) => a + b, 0);
    const probe = await probeHealth(gw.base);
    const started = performance.now();
    const from = state;
    state = state === 'started' ? 'stopped' : 'started';
    emu.control.setMachineState(app, ids[1]!, state);
    await postWebhook(gw.base, stateChanged(app, ids[1]!, from, state));
    const deadline = started + 30_000;
    while (received.reduce((a, b) => a + b, 0) - before < count - errors && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const pushedIn = performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 300));
    const latencies = await probe.stop();
    all.push(...latencies);
    console.log(`flood: change ${change}: pushed to all in ${pushedIn.toFixed(0)} ms; /healthz meanwhile ${summary(latencies)}`);
  }
  console.log(`flood: /healthz over the 3 changes: ${summary(all)}`);
  await Promise.all(clients.map((c) => c.dispose()));
  await gw.stop();
}

async function replay(emu: Emulator): Promise<void> {
  const events = Number(values.events);
  const resumes = Number(values.resumes);
  const gw = await spawnGateway(emu);
  const app = `replay-${process.pid}`;
  for (let from = 0; from < events; from += 100) {
    await Promise.all(
      Array.from({ length: Math.min(100, events - from) }, (_, i) =>
        postWebhook(gw.base, stateChanged(app, `m${from + i}`, 'stopped', 'started')),
      ),
    );
  }
  const clients = sockets(gw.wsUrl, Math.ceil(resumes / PER_SOCKET));
  let messages = 0;
  let resyncs = 0;
  let last = performance.now();
  const probe = await probeHealth(gw.base);
  const started = performance.now();
  for (let i = 0; i < resumes; i++) {
    clients[Math.floor(i / PER_SOCKET)]!.subscribe(
      { query: RESUME, variables: { app } },
      {
        next: (result) => {
          messages += 1;
          last = performance.now();
          if ((result.data as { machineStateChanged?: { kind: string } })?.machineStateChanged?.kind === 'RESYNC') resyncs += 1;
        },
        error: () => undefined,
        complete: () => undefined,
      },
    );
  }
  // Done once nothing arrived for two seconds (or after two minutes).
  while (performance.now() - last < 2_000 && performance.now() - started < 120_000)
    await new Promise((resolve) => setTimeout(resolve, 100));
  const latencies = await probe.stop();
  console.log(
    `replay: ${resumes} resumes over ${events} events: ${messages} messages (${resyncs} RESYNC) in ${((last - started) / 1000).toFixed(1)} s; /healthz meanwhile ${summary(latencies)}`,
  );
  await Promise.all(clients.map((c) => c.dispose()));
  await gw.stop();
}

async function main(): Promise<void> {
  const emu = createEmulator({ seed: 'none' });
  await emu.start({ port: 0, host: '127.0.0.1' });
  console.log(`gateway build: ${path.resolve(values.dist!)}`);
  try {
    if (values.scenario !== 'replay') await flood(emu);
    if (values.scenario !== 'flood') await replay(emu);
  } finally {
    await emu.stop();
  }
}

await main();
process.exit(0);
