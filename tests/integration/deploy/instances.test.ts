import { afterEach, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '#src/emulator/emulator.js';
import { createFlyClient } from '#src/flyio/client.js';
import type { FlyCallRecord, FlyClient } from '#src/flyio/types.js';
import { createMemoryDeploymentStore, type MemoryDeploymentData } from '#src/infra/memory/deployment-store.js';
import { createMemoryLock, type MemoryLockRegistry } from '#src/infra/memory/lock.js';
import { createManualClock, type ManualClock } from '#src/lib/clock.js';
import { createDeploymentService, type DeploymentService } from '#src/services/deploy/deployment-service.js';
import { FINAL_STATUSES, type DeploymentRecord } from '#src/services/deploy/types.js';
import { DEPLOY_DELAYS, HEALTHY_CONFIG } from './harness.js';

/** Two gateway instances (deployment services) sharing storage and locks, as they would share Redis. */
interface World {
  clock: ManualClock;
  emu: Emulator;
  fly: FlyClient;
  calls: FlyCallRecord[];
  instance(name: string): DeploymentService;
  close(): Promise<void>;
}

let world: World | undefined;
afterEach(async () => world?.close());

async function startWorld(options: { rateLimit?: boolean } = {}): Promise<World> {
  const clock = createManualClock();
  const emu = createEmulator({ seed: 'none', clock, delays: DEPLOY_DELAYS, rateLimit: options.rateLimit ?? false });
  await emu.start({ port: 0, host: '127.0.0.1' });
  const calls: FlyCallRecord[] = [];
  // The gateway's own budget is off: the emulator enforces Fly's, so a call over budget shows up as a 429.
  const fly = createFlyClient({
    baseUrl: emu.url,
    token: emu.token,
    rateLimit: false,
    retry: { maxAttempts: 1 },
    onCall: (c) => calls.push(c),
  });
  const data: MemoryDeploymentData = { records: new Map(), ends: new Map() };
  const locks: MemoryLockRegistry = new Map();
  return {
    clock,
    emu,
    fly,
    calls,
    instance: (name) =>
      createDeploymentService({
        fly,
        clock,
        owner: name,
        store: createMemoryDeploymentStore(data),
        lockFor: (app, ttlMs) => createMemoryLock({ key: app, ttlMs, clock, owner: name, registry: locks }),
      }),
    async close() {
      await fly.close();
      await emu.stop();
    },
  };
}

async function until(
  w: World,
  service: DeploymentService,
  id: string,
  done: (r: DeploymentRecord) => boolean,
  maxMs = 600_000,
): Promise<DeploymentRecord> {
  const start = w.clock.now();
  for (;;) {
    const record = (await service.get(id))!;
    if (done(record)) return record;
    if (w.clock.now() - start > maxMs) throw new Error(`not reached: ${record.status} ${JSON.stringify(record.steps.map((s) => s.step))}`);
    await w.clock.advance(100);
    await new Promise((r) => setTimeout(r, 1));
  }
}

function machines(w: World, app: string, states: string[]): string[] {
  w.emu.control.createApp(app);
  return states.map((state) => w.emu.control.createMachine(app, { config: HEALTHY_CONFIG, state }).id);
}

it('reads INTERRUPTED on every instance when the running one dies mid-deploy, and its leases expire', async () => {
  const w = (world = await startWorld());
  const ids = machines(w, 'shop', ['started', 'started', 'started', 'started']);
  const a = w.instance('a');
  const b = w.instance('b');
  const started = await a.deploy({ app: 'shop', image: 'registry.fly.io/shop:v2', strategy: 'rolling' });
  await until(w, a, started.id, (r) => r.steps.some((s) => s.step === 'healthy'));
  a.halt();
  const leased = ids.filter((id) => w.emu.control.getMachine('shop', id).lease);
  expect(leased).toHaveLength(4);
  expect((await b.get(started.id))!.status).toBe('running');

  await w.clock.advance(31_000);
  for (const reader of [a, b]) {
    const record = (await reader.get(started.id))!;
    expect(record.status).toBe('interrupted');
    expect(FINAL_STATUSES.has(record.status)).toBe(true);
  }
  for (const id of ids) expect(w.emu.control.getMachine('shop', id).lease).toBeUndefined();
  // A progress follower ends with INTERRUPTED rather than waiting forever.
  const messages = [];
  for await (const m of await b.progress(started.id)) messages.push(m);
  expect(messages.at(-1)).toMatchObject({ kind: 'status', status: 'interrupted' });
  // The app's lock expired too: another instance can deploy.
  const next = await b.deploy({ app: 'shop', image: 'registry.fly.io/shop:v3', strategy: 'immediate' });
  expect((await until(w, b, next.id, (r) => FINAL_STATUSES.has(r.status))).status).toBe('succeeded');
});

it('refreshes leases and the heartbeat while a long deployment runs', async () => {
  const w = (world = await startWorld());
  const ids = machines(w, 'shop', ['started', 'started']);
  const a = w.instance('a');
  const record = await a.deploy({ app: 'shop', image: 'registry.fly.io/shop:v2-unhealthy', strategy: 'rolling', waitTimeoutSeconds: 90 });
  // 90 s of waiting is three lease TTLs: without refreshes the leases would lapse and the record would read INTERRUPTED.
  const midway = await until(w, a, record.id, (r) => w.clock.now() - r.createdAt > 70_000);
  expect(midway.status).toBe('running');
  for (const id of ids) expect(w.emu.control.getMachine('shop', id).lease).toBeDefined();
  const done = await until(w, a, record.id, (r) => FINAL_STATUSES.has(r.status));
  expect(done.status).toBe('rolled_back');
  expect(w.emu.requestCounts()['machines.lease.acquire']).toBeGreaterThanOrEqual(2 + 2 * 8);
});

it('cancels from another instance', async () => {
  const w = (world = await startWorld());
  machines(w, 'shop', ['started', 'started']);
  const a = w.instance('a');
  const b = w.instance('b');
  const record = await a.deploy({ app: 'shop', image: 'registry.fly.io/shop:v2-unhealthy', strategy: 'rolling' });
  await until(w, a, record.id, (r) => r.steps.some((s) => s.step === 'waiting_for_checks'));
  await b.cancel(record.id);
  const done = await until(w, b, record.id, (r) => FINAL_STATUSES.has(r.status));
  expect(done.status).toBe('cancelled');
  expect(done.finishedAt! - record.createdAt).toBeLessThan(60_000);
});

it('cancels a healthy deployment from another instance before it can succeed, and says when a cancel came too late', async () => {
  const w = (world = await startWorld());
  machines(w, 'shop', ['started', 'started', 'started']);
  const a = w.instance('a');
  const b = w.instance('b');
  // Healthy: it would succeed within seconds, well before the runner's next heartbeat (10 s).
  const record = await a.deploy({ app: 'shop', image: 'registry.fly.io/shop:v2', strategy: 'rolling', maxUnavailable: 1 });
  await until(w, a, record.id, (r) => r.steps.some((s) => s.step === 'updating'));
  const asked = await b.cancel(record.id);
  expect(asked?.accepted).toBe(true);
  const done = await until(w, b, record.id, (r) => FINAL_STATUSES.has(r.status));
  expect(done.status).toBe('cancelled');
  // Once it has ended, a cancel from either instance is refused, not acknowledged.
  expect(await b.cancel(record.id)).toMatchObject({ accepted: false, record: { status: 'cancelled' } });
  machines(w, 'shop-next', ['started']);
  const next = await a.deploy({ app: 'shop-next', image: 'registry.fly.io/shop:v3', strategy: 'immediate' });
  expect((await until(w, a, next.id, (r) => FINAL_STATUSES.has(r.status))).status).toBe('succeeded');
  expect(await b.cancel(next.id)).toMatchObject({ accepted: false, record: { status: 'succeeded' } });
});

it('stays within Fly rate budgets (the emulator enforces them) for every strategy, with exact call counts', async () => {
  const w = (world = await startWorld({ rateLimit: true }));
  const a = w.instance('a');
  const n = 6;
  const report: Record<string, unknown> = {};
  for (const strategy of ['rolling', 'canary', 'immediate', 'bluegreen'] as const) {
    const app = `shop-${strategy}`;
    machines(w, app, Array(n).fill('started'));
    w.emu.resetRequestCounts();
    w.calls.length = 0;
    const record = await a.deploy({ app, image: 'registry.fly.io/shop:v2', strategy, maxUnavailable: 2 });
    const done = await until(w, a, record.id, (r) => FINAL_STATUSES.has(r.status));
    expect(done.status, `${strategy}: ${done.error}`).toBe('succeeded');
    expect(w.calls.filter((c) => c.status === 429)).toEqual([]);
    const counts = w.emu.requestCounts();
    expect(counts['machines.list']).toBe(1);
    expect(counts['machines.lease.acquire']).toBe(n);
    if (strategy === 'bluegreen') {
      expect([counts['machines.create'], counts['machines.delete'], counts['machines.lease.release']]).toEqual([n, n, n]);
    } else {
      expect([counts['machines.update'], counts['machines.lease.release']]).toEqual([n, n]);
    }
    report[strategy] = {
      elapsedMs: done.finishedAt! - done.createdAt,
      steps: done.steps.length,
      calls: Object.values(counts).reduce((x, y) => x + y, 0),
      counts,
    };
  }
  console.log(JSON.stringify(report));
});

it('on a graceful shutdown ends INTERRUPTED at once with every lease released', async () => {
  const w = (world = await startWorld());
  const ids = machines(w, 'shop', ['started', 'started', 'started']);
  const a = w.instance('a');
  const record = await a.deploy({ app: 'shop', image: 'registry.fly.io/shop:v2-unhealthy', strategy: 'rolling' });
  await until(w, a, record.id, (r) => r.steps.some((s) => s.step === 'waiting_for_checks'));
  await a.close();
  const after = (await w.instance('b').get(record.id))!;
  expect(after.status).toBe('interrupted');
  expect(after.error).toMatch(/shut down/);
  for (const id of ids) expect(w.emu.control.getMachine('shop', id).lease).toBeUndefined();
});
