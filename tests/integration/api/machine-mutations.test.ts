import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CordonMachineDocument,
  CreateMachineDocument,
  DestroyMachineDocument,
  MachineDetailDocument,
  RestartMachineDocument,
  SignalMachineDocument,
  StartMachineDocument,
  StopMachineDocument,
  SuspendMachineDocument,
  UncordonMachineDocument,
  UpdateMachineDocument,
} from '../../../schema/generated/graphql.js';
import { startGatewayHarness, type GatewayHarness } from '../../helpers/gateway-harness.js';

let h: GatewayHarness;
beforeEach(async () => {
  h = await startGatewayHarness({ seed: 'none' });
  h.emu.control.createApp('app-one');
});
afterEach(() => h.close());

/** Narrows a result union to its success member, failing the test with the error otherwise. */
function success<T extends { __typename: string }, N extends T['__typename']>(
  result: T | undefined,
  name: N,
): Extract<T, { __typename: N }> {
  if (!result || result.__typename !== name) throw new Error(`expected ${name}, got ${JSON.stringify(result)}`);
  return result as Extract<T, { __typename: N }>;
}

function machineIn(state: string, config?: Record<string, unknown>) {
  return h.emu.control.createMachine('app-one', { state, config: { image: 'registry.fly.io/app-one:v1', ...config } as never });
}

describe('machine mutations', () => {
  it('should create a machine with typed config and return it started when asked to wait', async () => {
    const answer = await h.execute(CreateMachineDocument, {
      input: {
        app: 'app-one',
        region: 'ams',
        name: 'web-1',
        config: {
          image: 'registry.fly.io/app-one:v2',
          guest: { cpuKind: 'shared', cpus: 2, memoryMb: 512 },
          env: [{ name: 'MODE', value: 'production' }],
          metadata: [{ key: 'role', value: 'web' }],
          restart: { policy: 'ALWAYS' },
          services: [{ protocol: 'tcp', internal_port: 8080, ports: [{ port: 443, handlers: ['tls', 'http'] }] }],
          extra: { auto_destroy: false, stop_config: { signal: 'SIGTERM' } },
        },
        wait: { timeoutSeconds: 20 },
      },
    });
    const created = success(answer.data?.createMachine, 'CreateMachineSuccess');
    expect(created.machine).toMatchObject({
      appName: 'app-one',
      state: 'STARTED',
      region: 'ams',
      metadata: [{ key: 'role', value: 'web' }],
    });
    expect(created.wait).toEqual({ targetState: 'STARTED', reached: true, timeoutSeconds: 20 });
    const stored = h.emu.control.getMachine('app-one', created.machine.machineId) as unknown as {
      config: Record<string, any>;
      name: string;
    };
    expect(stored.name).toBe('web-1');
    expect(stored.config).toMatchObject({
      image: 'registry.fly.io/app-one:v2',
      guest: { cpu_kind: 'shared', cpus: 2, memory_mb: 512 },
      env: { MODE: 'production' },
      restart: { policy: 'always' },
      stop_config: { signal: 'SIGTERM' },
    });
  });

  it('should create without booting and not wait when skipLaunch is set and wait is omitted', async () => {
    h.resetCounts();
    const answer = await h.execute(CreateMachineDocument, { input: { app: 'app-one', config: { image: 'x:1' }, skipLaunch: true } });
    const created = success(answer.data?.createMachine, 'CreateMachineSuccess');
    expect(created.machine.state).toBe('CREATED');
    expect(created.wait).toBeNull();
    expect(h.counts()).toEqual({ 'machines.create': 1 });
  });

  it('should change only the given config fields and wait for the new version when updating', async () => {
    const m = machineIn('started', {
      guest: { cpu_kind: 'shared', cpus: 1, memory_mb: 256 },
      env: { KEEP: 'yes' },
      metadata: { role: 'api' },
    });
    const answer = await h.execute(UpdateMachineDocument, {
      input: { app: 'app-one', machineId: m.id, config: { image: 'registry.fly.io/app-one:v3', guest: { memoryMb: 1024 } }, wait: {} },
    });
    const updated = success(answer.data?.updateMachine, 'UpdateMachineSuccess');
    expect(updated.machine.image).toBe('registry.fly.io/app-one:v3');
    expect(updated.machine.version).not.toBe(m.version);
    expect(updated.machine.state).toBe('STARTED');
    expect(updated.wait).toMatchObject({ reached: true, targetState: 'STARTED', timeoutSeconds: 60 });
    const stored = h.emu.control.getMachine('app-one', m.id) as unknown as { config: Record<string, any> };
    expect(stored.config.guest).toEqual({ cpu_kind: 'shared', cpus: 1, memory_mb: 1024 });
    expect(stored.config.env).toEqual({ KEEP: 'yes' });
    expect(stored.config.metadata).toEqual({ role: 'api' });
  });

  it('should return the machine started when a stopped machine is started', async () => {
    const m = machineIn('stopped');
    const answer = await h.execute(StartMachineDocument, { input: { app: 'app-one', machineId: m.id } });
    const started = success(answer.data?.startMachine, 'StartMachineSuccess');
    expect(started.machine.state).toBe('STARTED');
    expect(started.wait).toBeNull();
  });

  it('should return the machine stopped when stopped with a signal and a kill timeout', async () => {
    const m = machineIn('started');
    const answer = await h.execute(StopMachineDocument, {
      input: { app: 'app-one', machineId: m.id, signal: 'SIGTERM', timeoutSeconds: 5, wait: { timeoutSeconds: 10 } },
    });
    const stopped = success(answer.data?.stopMachine, 'StopMachineSuccess');
    expect(stopped.machine.state).toBe('STOPPED');
    expect(stopped.wait?.reached).toBe(true);
  });

  it('should log a restart event and return the machine started when it is restarted', async () => {
    const m = machineIn('started');
    const answer = await h.execute(RestartMachineDocument, { input: { app: 'app-one', machineId: m.id, wait: { timeoutSeconds: 10 } } });
    const restarted = success(answer.data?.restartMachine, 'RestartMachineSuccess');
    expect(restarted.machine.state).toBe('STARTED');
    const detail = await h.execute(MachineDetailDocument, { app: 'app-one', machineId: m.id });
    expect(detail.data?.machine?.events.map((e) => e.type)).toContain('restart');
  });

  it('should return the machine suspended when a started machine is suspended', async () => {
    const m = machineIn('started');
    const answer = await h.execute(SuspendMachineDocument, { input: { app: 'app-one', machineId: m.id, wait: { timeoutSeconds: 10 } } });
    expect(success(answer.data?.suspendMachine, 'SuspendMachineSuccess').machine.state).toBe('SUSPENDED');
  });

  it('should destroy a running machine when forced, and report it destroyed', async () => {
    const m = machineIn('started');
    const answer = await h.execute(DestroyMachineDocument, {
      input: { app: 'app-one', machineId: m.id, force: true, wait: { timeoutSeconds: 10 } },
    });
    const destroyed = success(answer.data?.destroyMachine, 'DestroyMachineSuccess');
    expect(destroyed.machineId).toBe(m.id);
    expect(destroyed.machine?.state).toBe('DESTROYED');
    expect(destroyed.wait?.reached).toBe(true);
    expect(h.emu.control.getMachine('app-one', m.id).state).toBe('destroyed');
  });

  it('should return the machine after one signal call when a signal is sent', async () => {
    const m = machineIn('started');
    h.resetCounts();
    const answer = await h.execute(SignalMachineDocument, { input: { app: 'app-one', machineId: m.id, signal: 'SIGUSR1' } });
    expect(success(answer.data?.signalMachine, 'SignalMachineSuccess').machine.machineId).toBe(m.id);
    expect(h.counts()).toEqual({ 'machines.signal': 1, 'machines.get': 1 });
  });

  it('should flip cordoned when a machine is cordoned and uncordoned', async () => {
    const m = machineIn('started');
    const cordoned = await h.execute(CordonMachineDocument, { input: { app: 'app-one', machineId: m.id } });
    expect(success(cordoned.data?.cordonMachine, 'CordonMachineSuccess').machine.cordoned).toBe(true);
    const uncordoned = await h.execute(UncordonMachineDocument, { input: { app: 'app-one', machineId: m.id } });
    expect(success(uncordoned.data?.uncordonMachine, 'UncordonMachineSuccess').machine.cordoned).toBe(false);
  });

  it('should show later fields the new machine when an earlier mutation in the same operation changed it', async () => {
    const m = machineIn('started');
    const answer = await h.post({
      query: `mutation($app: String!, $id: String!) {
        stop: stopMachine(input: { app: $app, machineId: $id }) { ... on StopMachineSuccess { machine { app { machines { nodes { state } } } } } }
        start: startMachine(input: { app: $app, machineId: $id }) { ... on StartMachineSuccess { machine { app { machines { nodes { state } } } } } }
      }`,
      variables: { app: 'app-one', id: m.id },
    });
    expect(answer.data.stop.machine.app.machines.nodes).toEqual([{ state: 'STOPPED' }]);
    expect(answer.data.start.machine.app.machines.nodes).toEqual([{ state: 'STARTED' }]);
  });
});
