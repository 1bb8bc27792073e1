import { afterEach, describe, expect, it } from 'vitest';
import {
  AppDetailDocument,
  DashboardDocument,
  MachineDetailDocument,
  MachineTwiceDocument,
  StartMachineDocument,
} from '../../../schema/generated/graphql.js';
import { startGatewayHarness, type GatewayHarness } from '../../helpers/gateway-harness.js';

let h: GatewayHarness;
afterEach(() => h?.close());

/** The emulator's own count (route ids) and the gateway's extension (client operation names) must agree. */
function expectSameTotal(h: GatewayHarness, extension: { total: number } | undefined): void {
  expect(extension?.total).toBe(h.total());
}

describe('upstream calls per operation', () => {
  it('should make one apps list and one machines list per app when the dashboard asks for machines, events and checks', async () => {
    h = await startGatewayHarness({ seed: 'demo' });
    const apps = h.emu.control.listApps();
    h.resetCounts();

    const answer = await h.execute(DashboardDocument, { eventLimit: 3 });

    expect(answer.errors).toBeUndefined();
    const nodes = answer.data!.apps.nodes;
    expect(nodes.map((a) => a.name)).toEqual(apps);
    const machines = nodes.flatMap((a) => a.machines.nodes);
    expect(machines.length).toBeGreaterThan(apps.length);
    expect(machines.every((m) => m.events.length > 0 && m.events.length <= 3)).toBe(true);
    expect(h.counts()).toEqual({ 'apps.list': 1, 'machines.list': apps.length });
    expectSameTotal(h, answer.extensions?.upstreamCalls);
    expect(answer.extensions?.upstreamCalls?.byOperation).toEqual({ 'apps.list': 1, 'machines.list': apps.length });
  });

  it('should call Fly once when one operation names the same machine twice', async () => {
    h = await startGatewayHarness({ seed: 'demo' });
    const [machine] = h.emu.control.listMachines('demo-web');
    h.resetCounts();

    const answer = await h.execute(MachineTwiceDocument, { app: 'demo-web', machineId: machine.id });

    expect(answer.data?.first?.machineId).toBe(machine.id);
    expect(answer.data?.second?.region).toBe(machine.region);
    expect(h.counts()).toEqual({ 'machines.get': 1 });
    expectSameTotal(h, answer.extensions?.upstreamCalls);
  });

  it('should share one machine list between App.machines and App.health when both are selected', async () => {
    h = await startGatewayHarness({ seed: 'demo' });
    h.resetCounts();

    const answer = await h.execute(AppDetailDocument, { name: 'demo-web' });

    expect(answer.data?.app?.health.machineCount).toBe(answer.data?.app?.machines.nodes.length);
    expect(h.counts()).toEqual({ 'apps.get': 1, 'machines.list': 1, 'volumes.list': 1 });
    expectSameTotal(h, answer.extensions?.upstreamCalls);
  });

  it('should read the full event log only when more events are asked for than the machine body carries', async () => {
    h = await startGatewayHarness({ seed: 'demo' });
    const [machine] = h.emu.control.listMachines('demo-web');

    h.resetCounts();
    await h.execute(MachineDetailDocument, { app: 'demo-web', machineId: machine.id, eventLimit: 5 });
    expect(h.counts()).toEqual({ 'machines.get': 1, 'apps.get': 1 });

    h.resetCounts();
    const answer = await h.execute(MachineDetailDocument, { app: 'demo-web', machineId: machine.id, eventLimit: 50 });
    expect(answer.data?.machine?.events.length).toBeGreaterThan(0);
    // The machine and its app come from the cache the first query filled; only the full event log is new.
    expect(h.counts()).toEqual({ 'machines.events': 1 });
  });

  it('should make exactly start, wait and get calls when a start mutation waits for the machine to be started', async () => {
    h = await startGatewayHarness({ seed: 'none', delays: { start: 1000 } });
    h.emu.control.createApp('counted');
    const machine = h.emu.control.createMachine('counted', { state: 'stopped' });
    h.resetCounts();

    const pending = h.execute(StartMachineDocument, { input: { app: 'counted', machineId: machine.id, wait: { timeoutSeconds: 30 } } });
    // The transition timer and the wait's own timeout are both on the emulator clock once the wait has arrived.
    await h.timersAtLeast(2);
    expect(h.emu.control.getMachine('counted', machine.id).state).toBe('starting');
    await h.clock.advance(1000);
    const answer = await pending;

    const result = answer.data!.startMachine;
    expect(result.__typename).toBe('StartMachineSuccess');
    if (result.__typename !== 'StartMachineSuccess') return;
    expect(result.machine.state).toBe('STARTED');
    expect(result.wait).toEqual({ targetState: 'STARTED', reached: true, timeoutSeconds: 30 });
    expect(h.counts()).toEqual({ 'machines.start': 1, 'machines.wait': 1, 'machines.get': 1 });
    expectSameTotal(h, answer.extensions?.upstreamCalls);
  });

  it('should report the wait as not reached and return the machine mid-transition when the timeout passes first', async () => {
    h = await startGatewayHarness({ seed: 'none', delays: { start: 600_000 } });
    h.emu.control.createApp('slow');
    const machine = h.emu.control.createMachine('slow', { state: 'stopped' });
    h.resetCounts();

    const pending = h.execute(StartMachineDocument, { input: { app: 'slow', machineId: machine.id, wait: { timeoutSeconds: 2 } } });
    await h.timersAtLeast(2);
    await h.clock.advance(2000);
    const answer = await pending;

    const result = answer.data!.startMachine;
    if (result.__typename !== 'StartMachineSuccess') throw new Error(`unexpected ${result.__typename}`);
    expect(result.wait).toEqual({ targetState: 'STARTED', reached: false, timeoutSeconds: 2 });
    expect(result.machine.state).toBe('STARTING');
    expect(h.counts()).toEqual({ 'machines.start': 1, 'machines.wait': 1, 'machines.get': 1 });
  });

  it('should record upstream calls per operation in the metrics when an operation runs', async () => {
    h = await startGatewayHarness({ seed: 'demo' });
    await h.execute(DashboardDocument, {});

    const text = await h.gateway.metrics.registry.metrics();
    expect(text).toMatch(/flygate_graphql_upstream_calls_count\{operation_type="query"\} 1/);
    expect(text).toMatch(/flygate_graphql_upstream_calls_sum\{operation_type="query"\} 5/);
  });
});
