import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestGateway, type BuiltTestGateway } from '../../helpers/test-gateway.js';

// What one tick of the sync job costs Fly, call by call, for an organization of 10 apps with 2 machines each: the
// org feed (`GET /v1/orgs/{org}/machines?updated_after=…&include_deleted=true&summary=true`) is one call per
// organization per tick, plus one `…/events` per machine that changed; only when the feed fails does it fall back to
// listing every app (one call per app). Each tick also reads the org's app list and volume feed once, for app and
// volume events.

const APPS = 10;
/** What every tick also spends on apps and volumes appearing, changing or going (services/sync/resource-changes.ts). */
const RESOURCES = { 'apps.list': 1, 'orgs.volumes': 1 };

describe('sync job: upstream calls per tick', () => {
  let built: BuiltTestGateway;
  const machines: Record<string, string[]> = {};
  let last: Record<string, number> = {};

  /** Runs one tick and answers the emulator's calls during it, by route. */
  const tick = async () => {
    const result = await built.gateway.sync!.runOnce();
    const now = built.emu.requestCounts();
    const spent = Object.fromEntries(
      Object.entries(now)
        .map(([route, n]) => [route, n - (last[route] ?? 0)] as const)
        .filter(([, n]) => n > 0),
    );
    last = { ...now };
    return { result, spent };
  };

  beforeAll(async () => {
    built = await buildTestGateway({ env: { SYNC_ENABLED: 'true', SYNC_INTERVAL_MS: '3600000' } });
    for (let i = 0; i < APPS; i++) {
      const app = `fleet-${i}`;
      built.emu.control.createApp(app);
      machines[app] = [0, 1].map(() => built.emu.control.createMachine(app, { config: { image: `registry.fly.io/${app}:v1` } }).id);
    }
    last = { ...built.emu.requestCounts() };
  });
  afterAll(async () => built?.close());

  it('should record the baseline with one feed call, whatever the number of apps', async () => {
    const { result, spent } = await tick();
    expect(result).toMatchObject({ polled: true, baseline: true, via: 'feed' });
    expect(spent).toEqual({ 'orgs.machines': 1, ...RESOURCES });
  });

  it('should spend exactly one machine-feed call on a tick where nothing changed', async () => {
    const { result, spent } = await tick();
    expect(result).toMatchObject({ polled: true, emitted: 0, via: 'feed' });
    expect(spent).toEqual({ 'orgs.machines': 1, ...RESOURCES });
  });

  it('should add one events call per changed machine, and none for the 17 that did not change', async () => {
    built.emu.control.setMachineState('fleet-1', machines['fleet-1']![0]!, 'stopped');
    built.emu.control.setMachineState('fleet-4', machines['fleet-4']![1]!, 'stopped');
    built.emu.control.setMachineState('fleet-7', machines['fleet-7']![0]!, 'stopped');
    const { result, spent } = await tick();
    expect(result).toMatchObject({ polled: true, via: 'feed' });
    expect(result.emitted).toBeGreaterThanOrEqual(3);
    expect(spent).toEqual({ 'orgs.machines': 1, 'machines.events': 3, ...RESOURCES });
    // The next tick's overlap shows them again; already known, they cost nothing more.
    expect((await tick()).spent).toEqual({ 'orgs.machines': 1, ...RESOURCES });
  });

  it('should see a destroyed machine through include_deleted in the same one feed call', async () => {
    built.emu.control.setMachineState('fleet-2', machines['fleet-2']![0]!, 'destroyed');
    const { result, spent } = await tick();
    expect(result.emitted).toBeGreaterThanOrEqual(1);
    expect(spent).toEqual({ 'orgs.machines': 1, 'machines.events': 1, ...RESOURCES });
  });

  it('should cost one call per app (plus the apps list) only when the feed fails: the old per-app price', async () => {
    built.emu.faults.add({ route: 'orgs.machines', status: 500 });
    try {
      const { result, spent } = await tick();
      expect(result).toMatchObject({ polled: true, via: 'apps' });
      expect(spent['apps.list']).toBe(1 + RESOURCES['apps.list']);
      expect(spent['machines.list']).toBe(APPS);
    } finally {
      built.emu.faults.clear();
    }
    expect((await tick()).spent).toEqual({ 'orgs.machines': 1, ...RESOURCES });
  });
});
