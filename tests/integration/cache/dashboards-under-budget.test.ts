import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoRelay, type DemoRelay } from '#src/demo/relay.js';
import { createEmulator, type Emulator } from '#src/emulator/emulator.js';
import { systemClock } from '#src/lib/clock.js';
import { silentLogger } from '#src/lib/logger.js';
import { INSTANT } from '../../helpers/test-gateway.js';
import { NEW_SECRET, startTestGateway, type TestGateway } from '../events/harness.js';

const APPS = 5;
const MACHINES = 10;
const CLIENTS = 50;
const RUN_MS = 10_000;
const DASHBOARD = '{ apps { nodes { name machines { nodes { machineId state region } } } } }';

describe('50 dashboards for 10 s inside Fly rate budget', () => {
  let emu: Emulator;
  let gw: TestGateway;
  let relay: DemoRelay;

  beforeAll(async () => {
    // Fly's documented limits enforced by the emulator, and the gateway keeping its own budget too.
    emu = createEmulator({ seed: 'none', delays: INSTANT, rateLimit: true });
    await emu.start({ port: 0, host: '127.0.0.1' });
    for (let a = 0; a < APPS; a++) {
      emu.control.createApp(`team-${a}`);
      for (let m = 0; m < MACHINES; m++)
        emu.control.createMachine(`team-${a}`, { state: 'started', region: 'ams', config: { image: 'x:1' } });
    }
    gw = await startTestGateway({ emulator: emu, env: { FLY_RATE_LIMIT: 'true' } });
    // What a production relay does: every change Fly makes becomes a signed webhook to the gateway.
    relay = createDemoRelay({ source: emu, url: `${gw.base}/webhooks/fly`, secret: NEW_SECRET, clock: systemClock, logger: silentLogger });
  });
  afterAll(async () => {
    await relay?.stop();
    await gw?.close();
    await emu?.stop();
  });

  it('should answer every dashboard once warm without RATE_LIMITED, and show a change in every client within 1 s', async () => {
    const dashboard = async () => {
      const response = await gw.gateway.fetch('http://gateway/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: DASHBOARD }),
      });
      return (await response.json()) as { data?: any; errors?: { extensions?: { code?: string } }[] };
    };
    // Warm-up: one dashboard fills the cache (1 apps list + one machines list per app).
    expect((await dashboard()).errors).toBeUndefined();

    const target = emu.control.listMachines('team-2')[3];
    const stats = { answers: 0, rateLimited: 0, otherErrors: 0 };
    let changedAt = 0;
    const seenAt: number[] = [];
    const started = Date.now();

    const client = async (index: number) => {
      let seen = false;
      while (Date.now() - started < RUN_MS) {
        const answer = await dashboard();
        stats.answers += 1;
        for (const error of answer.errors ?? []) {
          if (error.extensions?.code === 'RATE_LIMITED') stats.rateLimited += 1;
          else stats.otherErrors += 1;
        }
        if (!seen && changedAt > 0) {
          const app = answer.data?.apps.nodes.find((n: { name: string }) => n.name === 'team-2');
          const machine = app?.machines.nodes.find((n: { machineId: string }) => n.machineId === target.id);
          if (machine?.state === 'STOPPED') {
            seen = true;
            seenAt[index] = Date.now() - changedAt;
          }
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const change = (async () => {
      await new Promise((resolve) => setTimeout(resolve, RUN_MS / 2));
      changedAt = Date.now();
      emu.control.setMachineState('team-2', target.id, 'stopped');
    })();

    emu.resetRequestCounts();
    await Promise.all([change, ...Array.from({ length: CLIENTS }, (_, i) => client(i))]);

    expect(stats.rateLimited).toBe(0);
    expect(stats.otherErrors).toBe(0);
    expect(stats.answers).toBeGreaterThan(CLIENTS * 10);
    // Every client saw the stopped machine, each within a second of the change.
    expect(seenAt.filter((ms) => ms !== undefined)).toHaveLength(CLIENTS);
    expect(Math.max(...seenAt)).toBeLessThan(1_000);
    // After the change only the app it touched is read again.
    expect(emu.requestCounts()['apps.list'] ?? 0).toBe(0);
    expect(emu.requestCounts()['machines.list'] ?? 0).toBeLessThanOrEqual(2);
  }, 60_000);
});
