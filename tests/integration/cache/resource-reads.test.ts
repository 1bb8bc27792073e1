import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, uniqueApp, type TestGateway } from '../events/harness.js';
import { queryGateway as query } from '../../helpers/gateway-queries.js';

// The reads beyond machines (the app list, volumes and their snapshots, secrets, certificates, IP addresses, Postgres
// clusters) share the machines' path: one Fly call however many identical reads are in flight together, and none for
// a second identical read while nothing changed. Counted exactly at the emulator.

/** How many identical cold reads are sent at once. */
const AT_ONCE = 50;

describe('reads of apps, volumes, secrets, certificates, IP addresses and Postgres clusters', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(() => gw?.close());
  afterEach(() => gw.emu.faults.clear());

  /** Sends `text` AT_ONCE times together while every route in `slow` answers late, and returns the Fly calls made. */
  async function together(text: string, slow: string[]): Promise<Record<string, number>> {
    for (const route of slow) gw.emu.faults.add({ route, latencyMs: 300 });
    gw.emu.resetRequestCounts();
    const answers = await Promise.all(Array.from({ length: AT_ONCE }, () => query(gw, text)));
    expect(answers.filter((a) => a.errors !== undefined)).toEqual([]);
    expect(new Set(answers.map((a) => JSON.stringify(a.data))).size).toBe(1);
    gw.emu.faults.clear();
    return gw.emu.requestCounts();
  }

  /** Reads `text` once more after it was read, and returns the Fly calls that made. */
  async function again(text: string): Promise<Record<string, number>> {
    gw.emu.resetRequestCounts();
    const answer = await query(gw, text);
    expect(answer.errors).toBeUndefined();
    return gw.emu.requestCounts();
  }

  it('should list the organization’s apps with one call for concurrent reads and none for the next one', async () => {
    const app = uniqueApp();
    gw.emu.control.createApp(app);
    const text = '{ apps { nodes { name status } } }';
    expect(await together(text, ['apps.list'])).toEqual({ 'apps.list': 1 });
    expect(await again(text)).toEqual({});
  });

  it('should read an app’s volumes and each volume’s snapshots once for concurrent reads and not again', async () => {
    const app = uniqueApp();
    gw.emu.control.createApp(app);
    gw.emu.control.createVolume(app, { name: 'data', region: 'ams', sizeGb: 1 });
    gw.emu.control.createVolume(app, { name: 'logs', region: 'ams', sizeGb: 1 });
    const text = `{ volumes(app: "${app}") { nodes { volumeId name snapshots { id status } } } }`;
    expect(await together(text, ['volumes.list', 'volumes.snapshots.list'])).toEqual({
      'volumes.list': 1,
      'volumes.snapshots.list': 2,
    });
    expect(await again(text)).toEqual({});
  });

  it('should read an app’s secret names and digests once for concurrent reads and not again', async () => {
    const app = uniqueApp();
    gw.emu.control.createApp(app);
    const set = await query(
      gw,
      `mutation { setSecrets(input: { app: "${app}", values: [{ name: "A", value: "one" }, { name: "B", value: "two" }] }) { __typename } }`,
    );
    expect(set.data.setSecrets.__typename).toBe('SetSecretsSuccess');
    const text = `{ app(name: "${app}") { secrets { name digest } } }`;
    expect(await together(text, ['secrets.list'])).toEqual({ 'apps.get': 1, 'secrets.list': 1 });
    expect(await again(text)).toEqual({});
  });

  it('should read an app’s certificates once for concurrent reads and not again', async () => {
    const app = uniqueApp();
    gw.emu.control.createApp(app);
    gw.emu.control.addCertificate(app, `${app}.example.com`);
    const text = `{ app(name: "${app}") { certificates { nodes { hostname status } } } }`;
    expect(await together(text, ['certificates.list'])).toEqual({ 'apps.get': 1, 'certificates.list': 1 });
    expect(await again(text)).toEqual({});
  });

  it('should read an app’s IP addresses once for concurrent reads and not again', async () => {
    const app = uniqueApp();
    gw.emu.control.createApp(app);
    gw.emu.control.allocateIp(app, { type: 'shared_v4' });
    const text = `{ app(name: "${app}") { ipAddresses { address type } } }`;
    expect(await together(text, ['ips.list'])).toEqual({ 'apps.get': 1, 'ips.list': 1 });
    expect(await again(text)).toEqual({});
  });

  it('should share one Postgres list among concurrent reads, yet ask Fly again for the next read so a new cluster shows', async () => {
    const first = gw.emu.postgres.createCluster({ name: 'first' });
    const text = '{ postgresClusters(org: "personal") { clusterId name } }';
    expect(await together(text, ['postgres.list'])).toEqual({ 'postgres.list': 1 });

    // Never cached: a cluster made outside the gateway (a fork, another tool) is on the very next list.
    const second = gw.emu.postgres.createCluster({ name: 'second' });
    gw.emu.resetRequestCounts();
    const next = await query(gw, text);
    expect(gw.emu.requestCounts()).toEqual({ 'postgres.list': 1 });
    const ids = next.data.postgresClusters.map((c: { clusterId: string }) => c.clusterId);
    expect(ids).toEqual(expect.arrayContaining([first, second]));
  });
});
