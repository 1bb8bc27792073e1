import { describe, expect, it } from 'vitest';
import { boundedWaitSeconds, MAX_WAIT_SECONDS } from '#src/services/machines/read-after.js';
import {
  restartMachine as restartOperation,
  startMachine as startOperation,
  stopMachine as stopOperation,
  suspendMachine as suspendOperation,
} from '#src/flyio/machine-actions.js';
import type { FlyOperation } from '#src/flyio/operation.js';
import type { FlyClient, MachineRef, WaitState } from '#src/flyio/types.js';
import { machineAction } from '#src/services/machines/machine-action.js';
import type { UseCaseExtras, UseCaseOptions } from '#src/services/machines/types.js';
import { flyWithMachine, TARGET } from '../fake-fly-client.js';

const target = TARGET;

/** The generic action over one declaration, called as the old per-action use cases were: input, then options. */
function action<Input extends MachineRef>(operation: FlyOperation<Input, unknown>, waitFor: WaitState) {
  return (fly: FlyClient, input: Input & UseCaseExtras, options?: UseCaseOptions) => {
    const { leaseNonce, wait, ...rest } = input;
    return machineAction(fly, operation, rest as Input, { leaseNonce, wait, waitFor }, options);
  };
}
const startMachine = action(startOperation, 'started');
const stopMachine = action(stopOperation, 'stopped');
const restartMachine = action(restartOperation, 'started');
const suspendMachine = action(suspendOperation, 'suspended');

const world = () => flyWithMachine({ state: 'stopped', version: 'v7' });

/** The four actions whose tail is "optionally wait for a state, then read". */
const actions = [
  { name: 'startMachine', op: 'machines.start', state: 'started', run: startMachine },
  { name: 'stopMachine', op: 'machines.stop', state: 'stopped', run: stopMachine },
  { name: 'restartMachine', op: 'machines.restart', state: 'started', run: restartMachine },
  { name: 'suspendMachine', op: 'machines.suspend', state: 'suspended', run: suspendMachine },
] as const;

describe.each(actions)('$name', ({ op, state, run }) => {
  it('should send the action with the lease nonce, skip the wait when none is asked, and read the machine with its lease', async () => {
    const f = world();
    const outcome = await run(f.fly, { ...target, leaseNonce: 'n-1' });
    expect(f.ops()).toEqual([op, 'machines.get']);
    expect(f.calls[0].input).toMatchObject(target);
    expect(f.calls[0].options?.leaseNonce).toBe('n-1');
    expect(f.calls[1].input).toEqual({ ...target, includeLeases: true });
    expect(outcome.wait).toBeUndefined();
    expect(outcome.machine).toMatchObject({ id: 'm1', version: 'v7' });
  });

  it(`should wait for "${state}" before reading when asked, and report the wait`, async () => {
    const f = world();
    const outcome = await run(f.fly, { ...target, wait: { timeoutSeconds: 30 } });
    expect(f.ops()).toEqual([op, 'machines.wait', 'machines.get']);
    expect(f.calls[1].input).toEqual({ ...target, state, version: undefined, timeoutSeconds: 30 });
    // The wait carries no lease nonce: Fly does not ask for one on reads.
    expect(f.calls[1].options?.leaseNonce).toBeUndefined();
    expect(outcome.wait).toEqual({ targetState: state, reached: true, timeoutSeconds: 30 });
  });

  it('should report a wait that ran out without failing, and still read the machine', async () => {
    const f = world();
    f.answer('machines.wait', () => ({ reached: false }));
    const outcome = await run(f.fly, { ...target, wait: { timeoutSeconds: 5 } });
    expect(outcome.wait).toEqual({ targetState: state, reached: false, timeoutSeconds: 5 });
    expect(f.ops().at(-1)).toBe('machines.get');
  });

  it('should pass the caller abort signal to every call', async () => {
    const f = world();
    const signal = new AbortController().signal;
    await run(f.fly, { ...target, wait: { timeoutSeconds: 1 } }, { signal });
    expect(f.calls).toHaveLength(3);
    for (const call of f.calls) expect(call.options?.signal).toBe(signal);
  });

  it('should not read the machine when the action itself fails', async () => {
    const f = world();
    f.answer(op, () => {
      throw new Error('refused');
    });
    await expect(run(f.fly, { ...target, wait: { timeoutSeconds: 1 } })).rejects.toThrow('refused');
    expect(f.ops()).toEqual([op]);
  });
});

describe('stop and restart options', () => {
  it('should pass the stop signal and timeout in seconds to the client (which formats the Go duration)', async () => {
    const f = world();
    await stopMachine(f.fly, { ...target, signal: 'SIGTERM', timeoutSeconds: 15 });
    expect(f.calls[0].input).toEqual({ ...target, signal: 'SIGTERM', timeoutSeconds: 15 });
  });

  it('should leave the stop timeout out when none is given', async () => {
    const f = world();
    await stopMachine(f.fly, target);
    expect(f.calls[0].input).toEqual({ ...target, signal: undefined, timeoutSeconds: undefined });
  });

  it('should send the restart signal and timeout the same way', async () => {
    const f = world();
    await restartMachine(f.fly, { ...target, signal: 'SIGUSR1', timeoutSeconds: 0 });
    expect(f.calls[0].input).toEqual({ ...target, signal: 'SIGUSR1', timeoutSeconds: 0 });
  });
});

describe('wait bounds', () => {
  it('should keep a requested wait inside 1..MAX_WAIT_SECONDS, rounding up', () => {
    expect(boundedWaitSeconds(0)).toBe(1);
    expect(boundedWaitSeconds(-10)).toBe(1);
    expect(boundedWaitSeconds(2.1)).toBe(3);
    expect(boundedWaitSeconds(MAX_WAIT_SECONDS + 1)).toBe(MAX_WAIT_SECONDS);
  });

  it('should send the bounded value to Fly and report it', async () => {
    const f = world();
    const outcome = await startMachine(f.fly, { ...target, wait: { timeoutSeconds: 10_000 } });
    expect(f.callsTo('machines.wait')[0].input.timeoutSeconds).toBe(MAX_WAIT_SECONDS);
    expect(outcome.wait?.timeoutSeconds).toBe(MAX_WAIT_SECONDS);
  });
});
