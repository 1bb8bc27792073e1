/**
 * The client against the emulator over real loopback HTTP: two independent readings of the Machines API contract
 * meeting on the wire. Transition delays are short real-time values so waits resolve quickly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFlyClient } from '#src/flyio/client.js';
import { FlyApiError } from '#src/flyio/errors.js';
import type { FlyClient } from '#src/flyio/types.js';
import { createEmulator, type Emulator } from '#src/emulator/emulator.js';

const APP = 'itest-app';
const DELAYS = { start: 50, stop: 50, restart: 80, suspend: 60, destroy: 30, update: 80, create: 20 };

describe('fly client against the emulator', () => {
  let emu: Emulator;
  let client: FlyClient;
  let baseUrl: string;

  beforeAll(async () => {
    emu = createEmulator({ delays: DELAYS });
    baseUrl = await emu.start();
    emu.control.createApp(APP);
    client = createFlyClient({ baseUrl, token: emu.token, rateLimit: false });
  });

  afterAll(async () => {
    await client.close();
    await emu.stop();
  });

  async function newMachine(name: string, metadata: Record<string, string> = {}) {
    const machine = await client.machines.create({ app: APP, name, region: 'ams', config: { image: 'nginx:latest', metadata } });
    const settled = await client.machines.wait({ app: APP, machineId: machine.id, state: 'started', timeoutSeconds: 10 });
    expect(settled.reached).toBe(true);
    return machine;
  }

  it('should list and get apps', async () => {
    const page = await client.apps.list({ org: 'personal' });
    expect(page.items.map((a) => a.name)).toContain(APP);
    const all = await client.apps.listAll({ org: 'personal', limit: 1 });
    expect(all.map((a) => a.name)).toContain(APP);
    const app = await client.apps.get(APP);
    expect(app.name).toBe(APP);
  });

  it('should create, get and list machines with filters and pagination', async () => {
    const a = await newMachine('list-a', { role: 'web' });
    const b = await newMachine('list-b', { role: 'worker' });
    const got = await client.machines.get({ app: APP, machineId: a.id });
    expect(got.state).toBe('started');
    expect(got.config?.metadata?.role).toBe('web');
    const web = await client.machines.list({ app: APP, metadata: { role: 'web' } });
    expect(web.items.map((m) => m.id)).toContain(a.id);
    expect(web.items.map((m) => m.id)).not.toContain(b.id);
    const firstPage = await client.machines.list({ app: APP, limit: 1 });
    expect(firstPage.items).toHaveLength(1);
    expect(firstPage.nextCursor).toBeTruthy();
    const all = await client.machines.listAll({ app: APP, limit: 1 });
    expect(all.map((m) => m.id)).toEqual(expect.arrayContaining([a.id, b.id]));
  });

  it('should stop and start a machine and observe both through wait and events', async () => {
    const m = await newMachine('cycle');
    await client.machines.stop({ app: APP, machineId: m.id, signal: 'SIGTERM', timeoutSeconds: 5 });
    const stopped = await client.machines.wait({ app: APP, machineId: m.id, state: 'stopped', timeoutSeconds: 10 });
    expect(stopped).toMatchObject({ reached: true, state: 'stopped' });
    await client.machines.start({ app: APP, machineId: m.id });
    const started = await client.machines.wait({ app: APP, machineId: m.id, state: 'started', timeoutSeconds: 10 });
    expect(started).toMatchObject({ reached: true, state: 'started' });
    const events = await client.machines.events({ app: APP, machineId: m.id, limit: 50 });
    expect(events.length).toBeGreaterThanOrEqual(3);
    expect(events.every((e) => typeof e.timestamp === 'number')).toBe(true);
  });

  it('should report reached:false when the wait times out (408)', async () => {
    const m = await newMachine('never-stops');
    const result = await client.machines.wait({ app: APP, machineId: m.id, state: 'stopped', timeoutSeconds: 1 });
    expect(result).toEqual({ reached: false });
  });

  it('should guard mutations with a lease and release it', async () => {
    const m = await newMachine('leased');
    expect(await client.machines.getLease({ app: APP, machineId: m.id })).toBeNull();
    const lease = await client.machines.acquireLease({ app: APP, machineId: m.id, ttlSeconds: 30, description: 'itest' });
    expect(lease.nonce).toBeTruthy();
    const read = await client.machines.getLease({ app: APP, machineId: m.id });
    expect(read?.description).toBe('itest');
    const second = await client.machines.acquireLease({ app: APP, machineId: m.id }).catch((e: unknown) => e);
    expect((second as FlyApiError).code).toBe('LEASE_HELD');
    const blocked = await client.machines.cordon({ app: APP, machineId: m.id }).catch((e: unknown) => e);
    expect((blocked as FlyApiError).code).toBe('LEASE_HELD');
    await client.machines.cordon({ app: APP, machineId: m.id }, { leaseNonce: lease.nonce });
    const refreshed = await client.machines.acquireLease({ app: APP, machineId: m.id, ttlSeconds: 60 }, { leaseNonce: lease.nonce });
    expect(refreshed.expires_at).toBeGreaterThanOrEqual(lease.expires_at);
    await client.machines.releaseLease({ app: APP, machineId: m.id, nonce: lease.nonce as string });
    expect(await client.machines.getLease({ app: APP, machineId: m.id })).toBeNull();
  });

  it('should set, read and delete metadata', async () => {
    const m = await newMachine('meta');
    await client.machines.setMetadata({ app: APP, machineId: m.id, key: 'tier', value: 'gold' });
    expect(await client.machines.getMetadata({ app: APP, machineId: m.id })).toMatchObject({ tier: 'gold' });
    await client.machines.deleteMetadata({ app: APP, machineId: m.id, key: 'tier' });
    expect(await client.machines.getMetadata({ app: APP, machineId: m.id })).not.toHaveProperty('tier');
  });

  it('should create, list, extend, snapshot and delete volumes', async () => {
    const volume = await client.volumes.create({ app: APP, name: 'data', region: 'ams', sizeGb: 1 });
    expect(volume.id).toMatch(/^vol_/);
    const all = await client.volumes.listAll({ app: APP });
    expect(all.map((v) => v.id)).toContain(volume.id);
    expect((await client.volumes.get({ app: APP, volumeId: volume.id })).size_gb).toBe(1);
    const extended = await client.volumes.extend({ app: APP, volumeId: volume.id, sizeGb: 3 });
    expect(extended.volume.size_gb).toBe(3);
    await client.volumes.createSnapshot({ app: APP, volumeId: volume.id });
    const snapshots = await client.volumes.snapshots({ app: APP, volumeId: volume.id });
    expect(snapshots.length).toBeGreaterThanOrEqual(1);
    const deleted = await client.volumes.delete({ app: APP, volumeId: volume.id });
    expect(deleted.id).toBe(volume.id);
  });

  it('should read the org feed, regions and the current token', async () => {
    const feed = await client.orgs.machines({ org: 'personal' });
    expect(feed.machines.some((m) => m.app_name === APP)).toBe(true);
    const regions = await client.platform.regions();
    expect(regions.regions.length).toBeGreaterThan(0);
    const tokens = await client.tokens.current();
    expect(Array.isArray(tokens.tokens)).toBe(true);
  });

  it('should map a missing machine to NOT_FOUND and a bad token to UNAUTHORIZED', async () => {
    const missing = await client.machines.get({ app: APP, machineId: 'ffffffffffffff' }).catch((e: unknown) => e);
    expect((missing as FlyApiError).code).toBe('NOT_FOUND');
    const intruder = createFlyClient({ baseUrl, token: 'wrong-token', rateLimit: false });
    const denied = await intruder.apps.get(APP).catch((e: unknown) => e);
    await intruder.close();
    expect((denied as FlyApiError).code).toBe('UNAUTHORIZED');
    expect((denied as FlyApiError).message).not.toContain('wrong-token');
  });

  it('should retry a GET through an injected 503 and send a hung POST only once', async () => {
    const m = await newMachine('faulty');
    emu.faults.add({ route: 'machines.get', status: 503, times: 1 });
    emu.resetRequestCounts();
    expect((await client.machines.get({ app: APP, machineId: m.id })).id).toBe(m.id);
    expect(emu.requestCounts()['machines.get']).toBe(2);

    const removeHang = emu.faults.add({ route: 'machines.restart', hang: true });
    const hung = await client.machines.restart({ app: APP, machineId: m.id }, { deadlineMs: 300 }).catch((e: unknown) => e);
    removeHang();
    expect((hung as FlyApiError).code).toBe('OUTCOME_UNKNOWN');
    expect(emu.requestCounts()['machines.restart']).toBe(1);
  });

  it('should end with the machine destroyed when destroy is forced', async () => {
    const m = await newMachine('doomed');
    await client.machines.destroy({ app: APP, machineId: m.id, force: true });
    const result = await client.machines.wait({ app: APP, machineId: m.id, state: 'destroyed', timeoutSeconds: 10 });
    expect(result.reached).toBe(true);
  });

  it('should surface Fly-style 429s as RATE_LIMITED and avoid them with the local budget', async () => {
    const limited = createEmulator({ delays: DELAYS, rateLimit: true });
    const url = await limited.start();
    limited.control.createApp(APP);
    const id = limited.control.createMachine(APP, { state: 'stopped' }).id;
    const raw = createFlyClient({ baseUrl: url, token: limited.token, rateLimit: false });
    const budgeted = createFlyClient({ baseUrl: url, token: limited.token });
    try {
      const outcomes = await Promise.allSettled([1, 2, 3, 4, 5].map(() => raw.machines.cordon({ app: APP, machineId: id })));
      const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected').map((o) => o.reason as FlyApiError);
      expect(rejected.length).toBeGreaterThan(0);
      expect(rejected.every((e) => e.code === 'RATE_LIMITED' && e.httpStatus === 429)).toBe(true);
      // The local budget queues the 4th call for about a second instead of letting Fly refuse it.
      const results = await Promise.allSettled([1, 2, 3, 4].map(() => budgeted.machines.uncordon({ app: APP, machineId: id })));
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
    } finally {
      await raw.close();
      await budgeted.close();
      await limited.stop();
    }
  });
});
