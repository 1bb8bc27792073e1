import { describe, expect, it } from 'vitest';
import { FlyErrorCode } from '#src/flyio/errors.js';
import { createMachine } from '#src/services/machines/create-machine.js';
import { updateMachine } from '#src/services/machines/update-machine.js';
import { createRecordingFly, flyWithMachine, TARGET } from '../fake-fly-client.js';

const target = TARGET;
const baseConfig = { image: 'old:1', env: { A: '1' }, guest: { cpu_kind: 'shared', cpus: 1, memory_mb: 256 }, metadata: { team: 'x' } };

const world = () => flyWithMachine({ config: baseConfig });

describe('createMachine', () => {
  it('should send one create with the config built from the patch and return its answer without waiting', async () => {
    const f = createRecordingFly();
    const outcome = await createMachine(f.fly, {
      app: 'web',
      name: 'n',
      region: 'ams',
      config: { image: 'img:1', env: { K: 'v' }, guest: { cpus: 2 } },
    });
    expect(f.ops()).toEqual(['machines.create']);
    expect(f.calls[0].input).toEqual({
      app: 'web',
      name: 'n',
      region: 'ams',
      skipLaunch: undefined,
      config: { image: 'img:1', env: { K: 'v' }, guest: { cpus: 2 } },
    });
    expect(outcome).toEqual({ machine: expect.objectContaining({ id: 'm1', state: 'starting' }) });
  });

  it('should wait for the created version to be started, then read the machine', async () => {
    const f = createRecordingFly();
    const outcome = await createMachine(f.fly, { app: 'web', config: { image: 'img:1' }, wait: { timeoutSeconds: 20 } });
    expect(f.ops()).toEqual(['machines.create', 'machines.wait', 'machines.get']);
    expect(f.calls[1].input).toEqual({ app: 'web', machineId: 'm1', state: 'started', version: 'v1', timeoutSeconds: 20 });
    expect(f.calls[2].input).toEqual({ app: 'web', machineId: 'm1', includeLeases: true });
    expect(outcome.wait).toEqual({ targetState: 'started', reached: true, timeoutSeconds: 20 });
  });

  it('should wait for "settled" instead when the machine is created without launching', async () => {
    const f = createRecordingFly();
    await createMachine(f.fly, { app: 'web', config: { image: 'img:1' }, skipLaunch: true, wait: { timeoutSeconds: 5 } });
    expect(f.calls[0].input.skipLaunch).toBe(true);
    expect(f.callsTo('machines.wait')[0].input.state).toBe('settled');
  });

  it('should send create exactly once when it fails (a POST is never repeated here)', async () => {
    const f = createRecordingFly({
      'machines.create': () => {
        throw new Error('timeout');
      },
    });
    await expect(createMachine(f.fly, { app: 'web', config: { image: 'img:1' }, wait: { timeoutSeconds: 5 } })).rejects.toThrow('timeout');
    expect(f.ops()).toEqual(['machines.create']);
  });
});

describe('updateMachine', () => {
  it('should read the current config, merge the patch into it and send it guarded by the version read', async () => {
    const f = world();
    await updateMachine(f.fly, { ...target, config: { image: 'new:2', guest: { memoryMb: 512 } } });
    expect(f.ops()).toEqual(['machines.get', 'machines.update']);
    expect(f.calls[0].input).toEqual(target);
    expect(f.calls[1].input).toEqual({
      ...target,
      currentVersion: 'v1',
      skipLaunch: undefined,
      config: { image: 'new:2', env: { A: '1' }, guest: { cpu_kind: 'shared', cpus: 1, memory_mb: 512 }, metadata: { team: 'x' } },
    });
  });

  it("should send the caller's currentVersion instead of the one it read", async () => {
    const f = world();
    const update = updateMachine(f.fly, { ...target, currentVersion: 'v0', config: { image: 'new:2' } });
    await expect(update).rejects.toMatchObject({ code: FlyErrorCode.VersionConflict });
    expect(f.callsTo('machines.update')[0].input.currentVersion).toBe('v0');
    // The conflict leaves the machine as it was and nothing waits or reads after it.
    expect(f.machines.get('web/m1')?.config?.image).toBe('old:1');
    expect(f.ops()).toEqual(['machines.get', 'machines.update']);
  });

  it('should turn a change made between the read and the write into a version conflict', async () => {
    const f = world();
    f.answer('machines.get', () => {
      const read = structuredClone(f.machines.get('web/m1')!);
      // Someone else updates the machine right after our read.
      f.machines.set('web/m1', { ...read, version: 'v2' });
      return read;
    });
    await expect(updateMachine(f.fly, { ...target, config: { image: 'new:2' } })).rejects.toMatchObject({
      code: FlyErrorCode.VersionConflict,
    });
  });

  it('should pass the lease nonce on the update only, not on the read', async () => {
    const f = world();
    await updateMachine(f.fly, { ...target, leaseNonce: 'n-9', config: { image: 'new:2' } });
    expect(f.calls[0].options?.leaseNonce).toBeUndefined();
    expect(f.calls[1].options?.leaseNonce).toBe('n-9');
  });

  it('should patch an empty config when the machine has none', async () => {
    const f = createRecordingFly();
    f.put('web', { id: 'm1', state: 'created', version: 'v1' });
    await updateMachine(f.fly, { ...target, config: { image: 'a:1' } });
    expect(f.callsTo('machines.update')[0].input.config).toEqual({ image: 'a:1' });
  });

  it('should wait for the new version (started, or settled without launch) and then read', async () => {
    const f = world();
    const outcome = await updateMachine(f.fly, { ...target, config: { image: 'new:2' }, wait: { timeoutSeconds: 9 } });
    expect(f.ops()).toEqual(['machines.get', 'machines.update', 'machines.wait', 'machines.get']);
    expect(f.calls[2].input).toEqual({ ...target, state: 'started', version: 'v1+', timeoutSeconds: 9 });
    expect(outcome.machine.config?.image).toBe('new:2');

    const g = world();
    await updateMachine(g.fly, { ...target, skipLaunch: true, config: { image: 'new:2' }, wait: { timeoutSeconds: 9 } });
    expect(g.callsTo('machines.update')[0].input.skipLaunch).toBe(true);
    expect(g.callsTo('machines.wait')[0].input.state).toBe('settled');
  });

  it('should return the update answer without a second read when no wait is asked', async () => {
    const f = world();
    const outcome = await updateMachine(f.fly, { ...target, config: { image: 'new:2' } });
    expect(outcome).toEqual({ machine: expect.objectContaining({ version: 'v1+', state: 'updating' }) });
    expect(f.callsTo('machines.get')).toHaveLength(1);
  });

  it('should pass the abort signal to the read, the update, the wait and the final read', async () => {
    const f = world();
    const signal = new AbortController().signal;
    await updateMachine(f.fly, { ...target, config: { image: 'new:2' }, wait: { timeoutSeconds: 1 } }, { signal });
    expect(f.calls.map((c) => c.options?.signal)).toEqual([signal, signal, signal, signal]);
  });
});
