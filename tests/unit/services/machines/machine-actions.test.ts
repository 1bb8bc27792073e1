import { describe, expect, it } from 'vitest';
import { cordonMachine } from '../../../../src/services/machines/cordon-machine.js';
import { deleteMetadata } from '../../../../src/services/machines/delete-metadata.js';
import { setMetadata } from '../../../../src/services/machines/set-metadata.js';
import { signalMachine } from '../../../../src/services/machines/signal-machine.js';
import { uncordonMachine } from '../../../../src/services/machines/uncordon-machine.js';
import { flyWithMachine, TARGET } from '../fake-fly-client.js';

const target = TARGET;

const world = () => flyWithMachine();

/** Actions that never wait: send one call with the caller's lease nonce, then read the machine with its lease. */
const cases = [
  {
    name: 'signalMachine',
    op: 'machines.signal',
    run: signalMachine,
    input: { ...target, signal: 'SIGHUP' },
    sent: { ...target, signal: 'SIGHUP' },
  },
  { name: 'cordonMachine', op: 'machines.cordon', run: cordonMachine, input: target, sent: target },
  { name: 'uncordonMachine', op: 'machines.uncordon', run: uncordonMachine, input: target, sent: target },
  {
    name: 'setMetadata',
    op: 'machines.setMetadata',
    run: setMetadata,
    input: { ...target, key: 'role', value: 'db' },
    sent: { ...target, key: 'role', value: 'db' },
  },
  {
    name: 'deleteMetadata',
    op: 'machines.deleteMetadata',
    run: deleteMetadata,
    input: { ...target, key: 'role' },
    sent: { ...target, key: 'role' },
  },
] as const;

describe.each(cases)('$name', ({ op, run, input, sent }) => {
  it('should send the one call with the lease nonce, then read the machine including leases', async () => {
    const f = world();
    const signal = new AbortController().signal;
    const machine = await (run as (...args: unknown[]) => Promise<{ id: string }>)(f.fly, { ...input, leaseNonce: 'n-5' }, { signal });
    expect(f.ops()).toEqual([op, 'machines.get']);
    expect(f.calls[0].input).toEqual(sent);
    expect(f.calls[0].options).toEqual({ signal, leaseNonce: 'n-5' });
    expect(f.calls[1].input).toEqual({ ...target, includeLeases: true });
    expect(f.calls[1].options).toEqual({ signal });
    expect(machine.id).toBe('m1');
  });

  it('should send no nonce when the caller holds no lease', async () => {
    const f = world();
    await (run as (...args: unknown[]) => Promise<unknown>)(f.fly, input);
    expect(f.calls[0].options?.leaseNonce).toBeUndefined();
  });
});
