import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { postWebhook, startTestGateway, stateChanged, uniqueApp, type TestGateway } from '../events/harness.js';
import { queryGateway as query, machinesOf } from '../../helpers/gateway-queries.js';

describe('the read cache in front of Fly', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(() => gw?.close());
  afterEach(() => gw.emu.faults.clear());

  it('should answer a repeated read from the cache, then refetch once an event says the machine changed', async () => {
    const app = uniqueApp();
    gw.emu.control.createApp(app);
    const machine = gw.emu.control.createMachine(app, { state: 'started', config: { image: 'x:1' } });

    gw.emu.resetRequestCounts();
    const cold = await query(gw, machinesOf(app));
    expect(cold.data.machines.nodes).toEqual([{ machineId: machine.id, state: 'STARTED' }]);
    expect(gw.emu.requestCounts()).toEqual({ 'machines.list': 1 });
    expect(cold.extensions.cache).toMatchObject({ misses: 1, hits: 0 });

    gw.emu.resetRequestCounts();
    const warm = await query(gw, machinesOf(app));
    expect(warm.data).toEqual(cold.data);
    expect(gw.emu.requestCounts()).toEqual({});
    expect(warm.extensions.cache).toMatchObject({ hits: 1, misses: 0 });

    // Fly changes; the cache keeps the old answer until the event about it arrives.
    gw.emu.control.setMachineState(app, machine.id, 'stopped');
    expect((await query(gw, machinesOf(app))).data.machines.nodes[0].state).toBe('STARTED');
    expect((await postWebhook(gw.base, stateChanged(app, machine.id, 'started', 'stopped'))).status).toBe(204);

    gw.emu.resetRequestCounts();
    const fresh = await query(gw, machinesOf(app));
    expect(fresh.data.machines.nodes[0].state).toBe('STOPPED');
    expect(gw.emu.requestCounts()).toEqual({ 'machines.list': 1 });
  });

  it('should show a change made through the gateway on the very next read, with no event needed', async () => {
    const app = uniqueApp();
    gw.emu.control.createApp(app);
    const machine = gw.emu.control.createMachine(app, { state: 'started', config: { image: 'x:1' } });
    await query(gw, machinesOf(app));
    const stop = await query(gw, `mutation { stopMachine(input: { app: "${app}", machineId: "${machine.id}" }) { __typename } }`);
    expect(stop.data.stopMachine.__typename).toBe('StopMachineSuccess');
    expect((await query(gw, machinesOf(app))).data.machines.nodes[0].state).not.toBe('STARTED');
  });

  it('should say when each app and machine was read from Fly: unchanged on a cache hit, later after an event', async () => {
    const app = uniqueApp();
    gw.emu.control.createApp(app);
    const machine = gw.emu.control.createMachine(app, { state: 'started', config: { image: 'x:1' } });
    const read = `{ app(name: "${app}") { fetchedAt machines { nodes { fetchedAt } } } }`;
    const first = await query(gw, read);
    const fetchedAt = first.data.app.machines.nodes[0].fetchedAt;
    expect(Date.parse(fetchedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(Date.parse(first.data.app.fetchedAt)).toBeGreaterThan(Date.now() - 60_000);

    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await query(gw, read)).data.app.machines.nodes[0].fetchedAt).toBe(fetchedAt);
    expect((await postWebhook(gw.base, stateChanged(app, machine.id, 'started', 'stopped'))).status).toBe(204);
    const after = (await query(gw, read)).data.app.machines.nodes[0].fetchedAt;
    expect(Date.parse(after)).toBeGreaterThan(Date.parse(fetchedAt));
  });

  it('should make one upstream call for 1,000 identical cold queries at once', async () => {
    const app = uniqueApp();
    gw.emu.control.createApp(app);
    gw.emu.control.createMachine(app, { state: 'started', config: { image: 'x:1' } });
    // A slow answer keeps every query in flight together.
    gw.emu.faults.add({ route: 'machines.list', latencyMs: 300 });
    gw.emu.resetRequestCounts();
    const answers = await Promise.all(Array.from({ length: 1_000 }, () => query(gw, machinesOf(app))));
    expect(answers.every((a) => a.data?.machines.nodes.length === 1)).toBe(true);
    expect(gw.emu.requestCounts()).toEqual({ 'machines.list': 1 });
  }, 60_000);
});

describe('with CACHE_ENABLED=false', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ env: { CACHE_ENABLED: 'false' } });
  });
  afterAll(() => gw?.close());

  it('should send every read to Fly, yet still share identical reads that are in flight together', async () => {
    const app = uniqueApp();
    gw.emu.control.createApp(app);
    gw.emu.control.createMachine(app, { state: 'started', config: { image: 'x:1' } });
    gw.emu.resetRequestCounts();
    await query(gw, machinesOf(app));
    await query(gw, machinesOf(app));
    expect(gw.emu.requestCounts()).toEqual({ 'machines.list': 2 });

    gw.emu.faults.add({ route: 'machines.list', latencyMs: 300 });
    gw.emu.resetRequestCounts();
    await Promise.all(Array.from({ length: 1_000 }, () => query(gw, machinesOf(app))));
    expect(gw.emu.requestCounts()).toEqual({ 'machines.list': 1 });
  }, 60_000);
});
