import { describe, expect, it } from 'vitest';
import {
  cordonMachine as cordonOperation,
  deleteMachineMetadata,
  setMachineMetadata,
  signalMachine as signalOperation,
  uncordonMachine as uncordonOperation,
} from '#src/flyio/machine-actions.js';
import type { FlyOperation } from '#src/flyio/operation.js';
import type { FlyClient, MachineRef } from '#src/flyio/types.js';
import { machineAction } from '#src/services/machines/machine-action.js';
import type { UseCaseOptions } from '#src/services/machines/types.js';
import { flyWithMachine, TARGET } from '../fake-fly-client.js';

const target = TARGET;

/** The generic action over one declaration with nothing to wait for: the machine is all it answers. */
function action<Input extends MachineRef>(operation: FlyOperation<Input, unknown>) {
  return async (fly: FlyClient, input: Input & { leaseNonce?: string }, options?: UseCaseOptions) => {
    const { leaseNonce, ...rest } = input;
    return (await machineAction(fly, operation, rest as unknown as Input, { leaseNonce }, options)).machine;
  };
}
const signalMachine = action(signalOperation);
const cordonMachine = action(cordonOperation);
const uncordonMachine = action(uncordonOperation);
const setMetadata = action(setMachineMetadata);
const deleteMetadata = action(deleteMachineMetadata);

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
