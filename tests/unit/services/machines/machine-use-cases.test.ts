import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '#src/emulator/emulator.js';
import { FlyErrorCode } from '#src/flyio/errors.js';
import { cordonMachine, stopMachine } from '#src/flyio/machine-actions.js';
import { createFlyClient } from '#src/flyio/client.js';
import type { FlyClient } from '#src/flyio/types.js';
import { createMachineUseCases, type MachineUseCases } from '#src/services/machines/machine-use-cases.js';
import { INSTANT } from '../../../helpers/test-gateway.js';
import { createRecordingFly } from '../fake-fly-client.js';

const target = { app: 'web', machineId: 'm1' };

/** Each bound use case, a valid input, and the Fly call it must start with. */
const bindings: { method: keyof MachineUseCases; input: object; firstOp: string }[] = [
  { method: 'create', input: { app: 'web', config: { image: 'i:1' } }, firstOp: 'machines.create' },
  { method: 'update', input: { ...target, config: { image: 'i:2' } }, firstOp: 'machines.get' },
  { method: 'destroy', input: target, firstOp: 'machines.destroy' },
  { method: 'acquireLease', input: target, firstOp: 'machines.acquireLease' },
  { method: 'refreshLease', input: { ...target, nonce: 'n' }, firstOp: 'machines.acquireLease' },
  { method: 'releaseLease', input: { ...target, nonce: 'n' }, firstOp: 'machines.releaseLease' },
];
/** `act` takes a declaration; it is bound like the others and checked with one of them. */
const ACT = 'act';

describe('createMachineUseCases', () => {
  it('should bind every use case', () => {
    const useCases = createMachineUseCases({ fly: createRecordingFly().fly });
    expect(Object.keys(useCases).sort()).toEqual([ACT, ...bindings.map((b) => b.method)].sort());
  });

  it('act should send the declared operation with the signal, then read the machine', async () => {
    const f = createRecordingFly();
    f.put('web', { id: 'm1', state: 'started', version: 'v1', config: { image: 'i:1' } });
    const signal = new AbortController().signal;
    await createMachineUseCases({ fly: f.fly }).act(cordonMachine, target, { leaseNonce: 'n-1' }, { signal });
    expect(f.ops()).toEqual(['machines.cordon', 'machines.get']);
    expect(f.calls[0].options).toEqual({ signal, leaseNonce: 'n-1' });
    for (const call of f.calls) expect(call.options?.signal).toBe(signal);
  });

  it.each(bindings)(
    '$method should drive the bound client, starting with $firstOp, and pass the signal on',
    async ({ method, input, firstOp }) => {
      const f = createRecordingFly();
      f.put('web', { id: 'm1', state: 'started', version: 'v1', config: { image: 'i:1' } });
      const signal = new AbortController().signal;
      const run = createMachineUseCases({ fly: f.fly })[method] as (input: object, options: object) => Promise<unknown>;
      await run(input, { signal });
      expect(f.ops()[0]).toBe(firstOp);
      for (const call of f.calls) expect(call.options?.signal).toBe(signal);
    },
  );
});

/** The same use cases through the real client against the emulator on loopback. */
describe('machine use cases against the emulator', () => {
  let emu: Emulator;
  let fly: FlyClient;
  let useCases: MachineUseCases;

  beforeAll(async () => {
    emu = createEmulator({ seed: 'none', delays: INSTANT });
    await emu.start({ port: 0, host: '127.0.0.1' });
    emu.control.createApp('web');
    fly = createFlyClient({ baseUrl: emu.url, token: emu.token, rateLimit: false });
    useCases = createMachineUseCases({ fly });
  });
  afterAll(async () => {
    await fly?.close();
    await emu?.stop();
  });

  it('should refuse an update guarded by a stale current_version and leave the config as it was', async () => {
    const { machine } = await useCases.create({ app: 'web', config: { image: 'img:1', env: { A: '1' } }, wait: { timeoutSeconds: 5 } });
    const first = await useCases.update({ app: 'web', machineId: machine.id, config: { image: 'img:2' }, wait: { timeoutSeconds: 5 } });
    expect(first.machine.config?.image).toBe('img:2');
    expect(first.machine.config?.env).toEqual({ A: '1' });
    expect(first.machine.version).not.toBe(machine.version);

    const stale = useCases.update({ app: 'web', machineId: machine.id, currentVersion: machine.version, config: { image: 'img:3' } });
    await expect(stale).rejects.toMatchObject({ code: FlyErrorCode.VersionConflict });
    expect(emu.control.getMachine('web', machine.id).config).toMatchObject({ image: 'img:2' });
  });

  it('should need the lease nonce on a leased machine and succeed with the one acquire returned', async () => {
    const { machine } = await useCases.create({ app: 'web', config: { image: 'img:1' }, wait: { timeoutSeconds: 5 } });
    const { nonce } = await useCases.acquireLease({ app: 'web', machineId: machine.id, ttlSeconds: 30 });
    const ref = { app: 'web', machineId: machine.id };
    await expect(useCases.act(stopMachine, ref, { waitFor: 'stopped' })).rejects.toMatchObject({ code: FlyErrorCode.LeaseHeld });
    const stopped = await useCases.act(stopMachine, ref, { leaseNonce: nonce, wait: { timeoutSeconds: 5 }, waitFor: 'stopped' });
    expect(stopped.wait?.reached).toBe(true);
    expect(stopped.machine.state).toBe('stopped');
  });

  it('should report a destroyed machine as done and return it as Fly still shows it', async () => {
    const { machine } = await useCases.create({ app: 'web', config: { image: 'img:1' }, wait: { timeoutSeconds: 5 } });
    const outcome = await useCases.destroy({ app: 'web', machineId: machine.id, force: true, wait: { timeoutSeconds: 5 } });
    expect(outcome.wait).toEqual({ targetState: 'destroyed', reached: true, timeoutSeconds: 5 });
    // A single-machine read still answers for a destroyed machine (lists hide it); the fake covers the 404 case.
    expect(outcome.machine).toMatchObject({ id: machine.id, state: 'destroyed' });
  });
});
