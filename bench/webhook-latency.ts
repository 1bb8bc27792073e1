/**
 * Webhook-to-subscriber latency: how long from just before `POST /webhooks/fly` until a graphql-ws subscriber's
 * `next` for that event, for the in-memory bus and (when 127.0.0.1:6379 answers) the Redis bus. A plain
 * `GET /healthz` round trip is measured in the same run as the yardstick for this machine.
 *
 *   npx tsx bench/webhook-latency.ts [count]        (default 500 webhooks per mode)
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createClient } from 'graphql-ws';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { loadConfig } from '../src/config/load-config.js';
import { createEmulator } from '../src/emulator/emulator.js';
import { createGateway } from '../src/gateway.js';
import { signWebhook } from '../src/services/webhooks/signature.js';
import { answersPing } from '../tests/helpers/redis-server.js';

const COUNT = Number(process.argv[2] ?? 500);
const WARMUP = 50;
const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
// A database of its own on the shared Redis, and only keys this run created are removed afterwards.
const REDIS_URL = 'redis://127.0.0.1:6379/13';
const STREAM = 'flygate:events';

interface Delivery {
  seq: number;
  timestamp: string;
}

/** Percentiles in ms, nearest-rank. */
function summarise(samples: number[]): Record<'p50' | 'p90' | 'p99' | 'max', number> {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
  const round = (ms: number) => Math.round(ms * 100) / 100;
  return { p50: round(rank(50)), p90: round(rank(90)), p99: round(rank(99)), max: round(sorted[sorted.length - 1]!) };
}

/** Whether the shared Redis on 127.0.0.1:6379 answers. */
function redisAnswers(): Promise<boolean> {
  return answersPing(6379);
}

/** A graphql-ws subscription read one delivery at a time. */
function subscribe(wsUrl: string, app: string) {
  const queue: Delivery[] = [];
  let wake: (() => void) | undefined;
  let failure: unknown;
  const client = createClient({ url: wsUrl, webSocketImpl: WebSocket, retryAttempts: 0 });
  client.subscribe(
    { query: 'subscription($app: String!) { machineStateChanged(app: $app) { seq timestamp } }', variables: { app } },
    {
      next: (result) => {
        queue.push((result.data as { machineStateChanged: Delivery }).machineStateChanged);
        wake?.();
      },
      error: (error) => {
        failure = error;
        wake?.();
      },
      complete: () => undefined,
    },
  );
  return {
    /** The next delivery, or undefined after `waitMs` without one. */
    async next(waitMs = 5_000): Promise<Delivery | undefined> {
      if (queue.length === 0 && failure === undefined) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, waitMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
      if (failure !== undefined) throw new Error(`subscription failed: ${JSON.stringify(failure)}`);
      return queue.shift();
    },
    dispose: () => client.dispose(),
  };
}

async function measureMode(mode: 'memory' | 'redis', streamWasOurs = false): Promise<{ webhook: number[]; healthz: number[] }> {
  const emu = createEmulator({ seed: 'none' });
  await emu.start({ port: 0, host: '127.0.0.1' });
  const env: Record<string, string> = {
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    FLY_API_TOKEN: emu.token,
    FLY_API_BASE_URL: emu.url,
    FLY_RATE_LIMIT: 'false',
    WEBHOOK_SECRET: SECRET,
    SYNC_ENABLED: 'false',
    ...(mode === 'redis' ? { REDIS_URL } : {}),
  };
  const gateway = createGateway(loadConfig({ env }));
  const { url } = await gateway.start();
  const base = url.replace(/\/graphql$/, '');
  const runId = randomUUID().slice(0, 8);
  const app = `bench-${runId}`;
  const subscriber = subscribe(url.replace(/^http/, 'ws'), app);
  let n = 0;

  /** Posts webhook number `n` (its timestamp encodes n) and returns the expected delivery timestamp. */
  const post = () => {
    n += 1;
    const timestamp = new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString();
    const body = JSON.stringify({
      type: 'machine.state_changed',
      timestamp,
      data: { app, machine_id: 'm1', from: 'stopped', to: 'started' },
    });
    const headers = signWebhook({ secrets: [SECRET], id: `bench-${runId}-${n}`, timestamp: Math.floor(Date.now() / 1000), body });
    const response = fetch(`${base}/webhooks/fly`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body,
    }).then(async (r) => {
      await r.arrayBuffer();
      if (r.status !== 204) throw new Error(`webhook answered ${r.status}`);
    });
    return { response, timestamp };
  };
  const until = async (timestamp: string) => {
    for (;;) {
      const delivery = await subscriber.next();
      if (!delivery) return false;
      if (delivery.timestamp === timestamp) return true;
    }
  };

  try {
    // The subscription is live once a webhook posted after it arrives; the first ones may predate it.
    let live = false;
    for (let attempt = 0; attempt < 100 && !live; attempt++) {
      const { response, timestamp } = post();
      await response;
      live = await until(timestamp);
    }
    if (!live) throw new Error('the subscription never went live');
    for (let i = 0; i < WARMUP; i++) {
      const { response, timestamp } = post();
      await Promise.all([response, until(timestamp)]);
    }

    const webhook: number[] = [];
    for (let i = 0; i < COUNT; i++) {
      const started = performance.now();
      const { response, timestamp } = post();
      if (!(await until(timestamp))) throw new Error(`webhook ${n} never reached the subscriber`);
      webhook.push(performance.now() - started);
      await response;
    }
    const healthz: number[] = [];
    for (let i = 0; i < COUNT; i++) {
      const started = performance.now();
      const response = await fetch(`${base}/healthz`);
      await response.arrayBuffer();
      healthz.push(performance.now() - started);
    }
    return { webhook, healthz };
  } finally {
    await subscriber.dispose();
    await gateway.stop();
    await emu.stop();
    if (mode === 'redis') await cleanUp(runId, streamWasOurs);
  }
}

/** Removes this run's dedupe keys, and the stream itself if this run created it. */
async function cleanUp(runId: string, streamWasOurs: boolean): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    const keys: string[] = [];
    for await (const batch of redis.scanStream({ match: `flygate:dedupe:webhook:bench-${runId}-*`, count: 1_000 }))
      keys.push(...(batch as string[]));
    for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
    if (streamWasOurs) await redis.del(STREAM, `${STREAM}:epoch`);
  } finally {
    redis.disconnect();
  }
}

const modes: Array<'memory' | 'redis'> = ['memory'];
let streamWasOurs = false;
if (await redisAnswers()) {
  const redis = new Redis(REDIS_URL);
  streamWasOurs = (await redis.exists(STREAM)) === 0;
  redis.disconnect();
  modes.push('redis');
} else {
  console.log('127.0.0.1:6379 does not answer: measuring the in-memory bus only');
}

console.log(`${COUNT} sequential webhooks per mode (after ${WARMUP} warm-up), one graphql-ws subscriber; ms`);
console.log('mode     measure                  p50     p90     p99     max');
for (const mode of modes) {
  const { webhook, healthz } = await measureMode(mode, streamWasOurs);
  for (const [label, samples] of [
    ['webhook -> subscriber', webhook],
    ['GET /healthz round trip', healthz],
  ] as const) {
    const s = summarise(samples);
    console.log(`${mode.padEnd(8)} ${label.padEnd(23)} ${[s.p50, s.p90, s.p99, s.max].map((v) => v.toFixed(2).padStart(7)).join(' ')}`);
  }
}
