/**
 * A team's dashboards against Fly's rate budget, with and without the read cache, in one run. The upstream is the
 * emulator shaped like a small Fly org (10 apps x 20 machines) enforcing Fly's documented limits; the gateway keeps
 * its own budget too (FLY_RATE_LIMIT=true). 50 clients poll the dashboard query in process for 10 s each way.
 *
 *   npx tsx bench/dashboard-cache.ts [clients] [seconds]
 *
 * Reports, for cache on and off: answers, answers with a RATE_LIMITED error, bytes, Fly calls, Fly calls per cold
 * and per warm dashboard, and the cache hit ratio from the gateway's own metrics.
 */
import { loadConfig } from '../src/config/load-config.js';
import { createEmulator, type Emulator } from '../src/emulator/emulator.js';
import { createGateway, type Gateway } from '../src/gateway.js';

const CLIENTS = Number(process.argv[2] ?? 50);
const SECONDS = Number(process.argv[3] ?? 10);
const APPS = 10;
const MACHINES = 20;
const DASHBOARD = `query Dashboard { apps { nodes { name status machines { nodes { machineId name state region image
  checks { name status } events(limit: 3) { type status timestamp } } } } } }`;

function upstreamTotal(emu: Emulator): number {
  return Object.values(emu.requestCounts()).reduce((a, b) => a + b, 0);
}

async function ask(gateway: Gateway): Promise<{ rateLimited: boolean; bytes: number }> {
  const response = await gateway.fetch('http://bench/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: DASHBOARD }),
  });
  const text = await response.text();
  return { rateLimited: text.includes('"RATE_LIMITED"'), bytes: text.length };
}

async function run(cache: boolean) {
  const emu = createEmulator({
    seed: 'none',
    rateLimit: true,
    delays: { start: 0, stop: 0, restart: 0, suspend: 0, destroy: 0, update: 0, create: 0 },
  });
  await emu.start({ port: 0, host: '127.0.0.1' });
  for (let a = 0; a < APPS; a++) {
    emu.control.createApp(`team-${a}`);
    for (let m = 0; m < MACHINES; m++)
      emu.control.createMachine(`team-${a}`, { state: 'started', config: { image: `registry.fly.io/team-${a}:v1` } });
  }
  const config = loadConfig({
    env: {
      FLY_API_TOKEN: emu.token,
      FLY_API_BASE_URL: emu.url,
      LOG_LEVEL: 'silent',
      SYNC_ENABLED: 'false',
      FLY_RATE_LIMIT: 'true',
      CACHE_ENABLED: String(cache),
    },
  });
  const gateway = createGateway(config);

  emu.resetRequestCounts();
  await ask(gateway);
  const cold = upstreamTotal(emu);
  emu.resetRequestCounts();
  await ask(gateway);
  const warm = upstreamTotal(emu);

  emu.resetRequestCounts();
  const stats = { answers: 0, rateLimited: 0, bytes: 0 };
  const until = Date.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (Date.now() < until) {
        const answer = await ask(gateway);
        stats.answers += 1;
        stats.bytes += answer.bytes;
        if (answer.rateLimited) stats.rateLimited += 1;
      }
    }),
  );
  const calls = upstreamTotal(emu);
  const reads = (await gateway.metrics.cacheReads.get()).values;
  const count = (outcome: string) => reads.filter((v) => v.labels.outcome === outcome).reduce((s, v) => s + v.value, 0);
  const hits = count('hit') + count('stale');
  const all = hits + count('miss');
  await gateway.stop();
  await emu.stop();
  return {
    cache: cache ? 'on' : 'off',
    answers: stats.answers,
    rateLimited: stats.rateLimited,
    MB: Math.round(stats.bytes / 1e5) / 10,
    flyCalls: calls,
    coldDashboardCalls: cold,
    warmDashboardCalls: warm,
    hitRatio: all > 0 ? Math.round((hits / all) * 10_000) / 10_000 : null,
  };
}

const results = [await run(true), await run(false)];
console.table(results);
