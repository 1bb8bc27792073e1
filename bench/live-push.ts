/**
 * Live dashboard pushes: how long from just before a `machine.state_changed` webhook until a `@live` dashboard over
 * graphql-ws has the new answer, and how many bytes each push costs, with whole results and with JSON patches
 * (`@live(patch: true)`). Both kinds of client watch the same dashboard in the same run; with `[clients]` above 1,
 * that many clients of each kind are open (100 per socket) and the latency is that of the last one to get the push.
 * Changes are paced above LIVE_THROTTLE_MS (default 250) so the throttle adds nothing to what is measured.
 *
 *   npx tsx bench/live-push.ts [changes] [clients]     (default 50 changes, 1 client of each kind)
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config/load-config.js';
import { createEmulator } from '../src/emulator/emulator.js';
import { createGateway } from '../src/gateway.js';
import { signWebhook } from '../src/services/webhooks/signature.js';
import { liveWs, openWs, type LiveClient } from '../tests/integration/live/live-clients.js';

const CHANGES = Number(process.argv[2] ?? 50);
const CLIENTS = Number(process.argv[3] ?? 1);
const APPS = 3;
const MACHINES_PER_APP = 5;
const PACE_MS = 320;
const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;

/** The GraphiQL dashboard, kept current. */
const DASHBOARD = `query Dashboard @live {
  apps {
    nodes {
      name
      status
      health { status machineCount checks { passing warning critical } }
      machines { nodes { machineId name state region image updatedAt checks { name status } events(limit: 3) { type status source timestamp } } }
    }
  }
}`;

/** Percentiles in ms, nearest-rank. */
function summarise(samples: number[]): Record<'p50' | 'p90' | 'p99' | 'max', number> {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
  const round = (ms: number) => Math.round(ms * 100) / 100;
  return { p50: round(rank(50)), p90: round(rank(90)), p99: round(rank(99)), max: round(sorted[sorted.length - 1]!) };
}

const mean = (values: number[]) => Math.round(values.reduce((a, b) => a + b, 0) / values.length);

async function main(): Promise<void> {
  const emu = createEmulator({ seed: 'none' });
  await emu.start({ port: 0, host: '127.0.0.1' });
  const gateway = createGateway(
    loadConfig({
      env: {
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'silent',
        FLY_API_TOKEN: emu.token,
        FLY_API_BASE_URL: emu.url,
        FLY_RATE_LIMIT: 'false',
        WEBHOOK_SECRET: SECRET,
        SYNC_ENABLED: 'false',
        WS_MAX_SUBSCRIPTIONS_PER_SOCKET: '200',
        // Every client is on loopback: one address, over the default per-address cap on live queries.
        LIVE_MAX_PER_ADDRESS: '100000',
        LIVE_MAX_PER_PROCESS: '100000',
      },
    }),
  );
  const { url } = await gateway.start();
  const base = url.replace(/\/graphql$/, '');
  const wsUrl = url.replace(/^http/, 'ws');
  const runId = randomUUID().slice(0, 6);
  const machines: Array<{ app: string; id: string; state: 'started' | 'stopped' }> = [];
  for (let a = 0; a < APPS; a++) {
    const app = `live-${runId}-${a}`;
    emu.control.createApp(app);
    for (let m = 0; m < MACHINES_PER_APP; m++) {
      const machine = emu.control.createMachine(app, { state: 'started', config: { image: 'registry.fly.io/web:1' } });
      machines.push({ app, id: machine.id, state: 'started' });
    }
  }

  const sockets = Array.from({ length: Math.max(1, Math.ceil((CLIENTS * 2) / 100)) }, () => openWs(wsUrl));
  const open = (query: string, i: number): LiveClient => liveWs(wsUrl, query, {}, sockets[i % sockets.length]);
  const whole = Array.from({ length: CLIENTS }, (_, i) => open(DASHBOARD, 2 * i));
  const patched = Array.from({ length: CLIENTS }, (_, i) => open(DASHBOARD.replace('@live', '@live(patch: true)'), 2 * i + 1));
  const firsts = await Promise.all([...whole, ...patched].map((client) => client.next(30_000)));
  const firstBytes = firsts[0]!.bytes;
  // The first change must not fall within the throttle window of the first results.
  await new Promise((resolve) => setTimeout(resolve, PACE_MS));

  const latency = { whole: [] as number[], patched: [] as number[] };
  const bytes = { whole: [] as number[], patched: [] as number[] };
  let mismatches = 0;
  for (let n = 0; n < CHANGES; n++) {
    const machine = machines[n % machines.length]!;
    const from = machine.state;
    machine.state = from === 'started' ? 'stopped' : 'started';
    emu.control.setMachineState(machine.app, machine.id, machine.state);
    const body = JSON.stringify({
      type: 'machine.state_changed',
      timestamp: new Date().toISOString(),
      data: { app: machine.app, machine_id: machine.id, from, to: machine.state },
    });
    const headers = signWebhook({ secrets: [SECRET], id: `msg_${randomUUID()}`, timestamp: Math.floor(Date.now() / 1000), body });
    const sentAt = performance.now();
    const answer = await fetch(`${base}/webhooks/fly`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    if (answer.status !== 204) throw new Error(`webhook answered ${answer.status}`);
    const [wholePushes, patchedPushes] = await Promise.all([
      Promise.all(whole.map((client) => client.next(10_000))),
      Promise.all(patched.map((client) => client.next(10_000))),
    ]);
    latency.whole.push(Math.max(...wholePushes.map((m) => m.at)) - sentAt);
    latency.patched.push(Math.max(...patchedPushes.map((m) => m.at)) - sentAt);
    bytes.whole.push(wholePushes[0]!.bytes);
    bytes.patched.push(patchedPushes[0]!.bytes);
    // The patched clients must hold exactly what the whole-result clients were sent.
    if (JSON.stringify(patchedPushes[0]!.data) !== JSON.stringify(wholePushes[0]!.data)) mismatches += 1;
    await new Promise((resolve) => setTimeout(resolve, PACE_MS));
  }

  console.log(
    JSON.stringify(
      {
        dashboard: { apps: APPS, machines: APPS * MACHINES_PER_APP, firstResultBytes: firstBytes },
        clientsPerKind: CLIENTS,
        changes: CHANGES,
        pushLatencyMs: { whole: summarise(latency.whole), patched: summarise(latency.patched) },
        bytesPerPush: {
          whole: mean(bytes.whole),
          patched: mean(bytes.patched),
          saved: `${Math.round((1 - mean(bytes.patched) / mean(bytes.whole)) * 100)}%`,
        },
        patchedEqualsWhole: mismatches === 0,
      },
      null,
      2,
    ),
  );
  await Promise.all(sockets.map((socket) => socket.client.dispose()));
  await gateway.stop();
  await emu.stop();
}

await main();
