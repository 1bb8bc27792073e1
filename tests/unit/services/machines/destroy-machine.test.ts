import { describe, expect, it } from 'vitest';
import { FlyApiError, FlyErrorCode } from '#src/flyio/errors.js';
import { destroyMachine } from '#src/services/machines/destroy-machine.js';
import { createRecordingFly, flyWithMachine, TARGET } from '../fake-fly-client.js';

const target = TARGET;

function world() {
  const f = flyWithMachine();
  // Like Fly: once destroyed, the machine is gone from reads.
  f.answer('machines.destroy', () => {
    f.machines.delete('web/m1');
  });
  return f;
}

describe('destroyMachine', () => {
  it('should send destroy with force and the lease nonce, then treat the vanished machine as done', async () => {
    const f = world();
    const outcome = await destroyMachine(f.fly, { ...target, force: true, leaseNonce: 'n-2' });
    expect(f.ops()).toEqual(['machines.destroy', 'machines.get']);
    expect(f.calls[0].input).toEqual({ ...target, force: true });
    expect(f.calls[0].options?.leaseNonce).toBe('n-2');
    expect(outcome).toEqual({ wait: undefined });
  });

  it('should report the wait as reached when the machine is gone before the wait or the read', async () => {
    const f = world();
    f.answer('machines.wait', () => {
      throw new FlyApiError({ code: FlyErrorCode.NotFound, operation: 'machines.wait', message: 'machine not found' });
    });
    const outcome = await destroyMachine(f.fly, { ...target, wait: { timeoutSeconds: 12 } });
    expect(f.ops()).toEqual(['machines.destroy', 'machines.wait']);
    expect(f.calls[1].input).toMatchObject({ state: 'destroyed' });
    expect(outcome).toEqual({ wait: { targetState: 'destroyed', reached: true, timeoutSeconds: 12 } });
  });

  it('should report the bounded wait, like every other use case, when the machine is already gone', async () => {
    const f = world();
    f.answer('machines.wait', () => {
      throw new FlyApiError({ code: FlyErrorCode.NotFound, operation: 'machines.wait', message: 'machine not found' });
    });
    const outcome = await destroyMachine(f.fly, { ...target, wait: { timeoutSeconds: 10_000 } });
    expect(outcome.wait?.timeoutSeconds).toBe(300);
  });

  it('should return what Fly still shows when the destroyed machine can still be read', async () => {
    const f = createRecordingFly();
    f.put('web', { id: 'm1', state: 'destroyed', version: 'v1' });
    const outcome = await destroyMachine(f.fly, { ...target, wait: { timeoutSeconds: 3 } });
    expect(f.ops()).toEqual(['machines.destroy', 'machines.wait', 'machines.get']);
    expect(outcome.machine?.state).toBe('destroyed');
    expect(outcome.wait).toEqual({ targetState: 'destroyed', reached: true, timeoutSeconds: 3 });
  });

  it('should let errors other than not-found through', async () => {
    const f = world();
    f.answer('machines.get', () => {
      throw new FlyApiError({ code: FlyErrorCode.Unavailable, operation: 'machines.get', message: 'down' });
    });
    await expect(destroyMachine(f.fly, target)).rejects.toMatchObject({ code: FlyErrorCode.Unavailable });
  });

  it('should fail, without reading, when the destroy itself is refused as not found', async () => {
    const f = createRecordingFly();
    f.answer('machines.destroy', () => {
      throw new FlyApiError({ code: FlyErrorCode.NotFound, operation: 'machines.destroy', message: 'no such machine' });
    });
    await expect(destroyMachine(f.fly, target)).rejects.toMatchObject({ code: FlyErrorCode.NotFound });
    expect(f.ops()).toEqual(['machines.destroy']);
  });

  it('should pass the abort signal to the destroy, the wait and the read', async () => {
    const f = createRecordingFly();
    f.put('web', { id: 'm1', state: 'destroyed' });
    const signal = new AbortController().signal;
    await destroyMachine(f.fly, { ...target, wait: { timeoutSeconds: 1 } }, { signal });
    expect(f.calls.map((c) => c.options?.signal)).toEqual([signal, signal, signal]);
  });
});
