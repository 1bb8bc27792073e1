import { describe, expect, it } from 'vitest';
import { FlyErrorCode } from '#src/flyio/errors.js';
import { acquireLease } from '#src/services/machines/acquire-lease.js';
import { refreshLease } from '#src/services/machines/refresh-lease.js';
import { releaseLease } from '#src/services/machines/release-lease.js';
import { flyWithMachine, TARGET } from '../fake-fly-client.js';

const target = TARGET;

const world = () => flyWithMachine();

describe('acquireLease', () => {
  it('should ask for the lease without a nonce, then read the machine with its lease', async () => {
    const f = world();
    const outcome = await acquireLease(f.fly, { ...target, ttlSeconds: 60, description: 'deploy' });
    expect(f.ops()).toEqual(['machines.acquireLease', 'machines.get']);
    expect(f.calls[0].input).toEqual({ ...target, ttlSeconds: 60, description: 'deploy' });
    expect(f.calls[0].options?.leaseNonce).toBeUndefined();
    expect(f.calls[1].input).toEqual({ ...target, includeLeases: true });
    expect(outcome.nonce).toBe('nonce-granted');
    expect(outcome.machine.id).toBe('m1');
  });

  it('should treat a lease without a nonce as an invalid answer and not read the machine', async () => {
    const f = world();
    f.answer('machines.acquireLease', () => ({ expires_at: 1 }));
    await expect(acquireLease(f.fly, target)).rejects.toMatchObject({
      code: FlyErrorCode.InvalidResponse,
      operation: 'machines.acquireLease',
    });
    expect(f.ops()).toEqual(['machines.acquireLease']);
  });
});

describe('refreshLease', () => {
  it("should send an acquire carrying the holder's nonce, which Fly reads as a refresh", async () => {
    const f = world();
    f.answer('machines.acquireLease', () => ({ nonce: 'n-1', expires_at: 2 }));
    const outcome = await refreshLease(f.fly, { ...target, nonce: 'n-1', ttlSeconds: 120 });
    expect(f.calls[0].input).toEqual({ ...target, ttlSeconds: 120 });
    expect(f.calls[0].options?.leaseNonce).toBe('n-1');
    expect(outcome.nonce).toBe('n-1');
  });

  it("should keep the caller's nonce when Fly's refresh answer omits it", async () => {
    const f = world();
    f.answer('machines.acquireLease', () => ({ expires_at: 2 }));
    const outcome = await refreshLease(f.fly, { ...target, nonce: 'mine' });
    expect(outcome.nonce).toBe('mine');
    expect(f.ops()).toEqual(['machines.acquireLease', 'machines.get']);
  });
});

describe('releaseLease', () => {
  it('should release with the nonce in the input, then read the machine', async () => {
    const f = world();
    const signal = new AbortController().signal;
    const machine = await releaseLease(f.fly, { ...target, nonce: 'n-3' }, { signal });
    expect(f.ops()).toEqual(['machines.releaseLease', 'machines.get']);
    expect(f.calls[0].input).toEqual({ ...target, nonce: 'n-3' });
    expect(f.calls.map((c) => c.options?.signal)).toEqual([signal, signal]);
    expect(machine.id).toBe('m1');
  });
});
