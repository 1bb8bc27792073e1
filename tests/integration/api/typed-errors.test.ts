import { afterEach, describe, expect, it } from 'vitest';
import {
  AppMachinesDocument,
  CreateMachineDocument,
  SignalMachineDocument,
  StartMachineDocument,
  StopMachineDocument,
  UpdateMachineDocument,
} from '../../../schema/generated/graphql.js';
import { startGatewayHarness, type GatewayHarness, type GatewayHarnessOptions } from '../../helpers/gateway-harness.js';

let h: GatewayHarness;
afterEach(() => h?.close());

async function withMachine(state: string, options: GatewayHarnessOptions = {}) {
  h = await startGatewayHarness({ seed: 'none', ...options });
  h.emu.control.createApp('errs');
  const machine = h.emu.control.createMachine('errs', { state, config: { image: 'x:1' } });
  h.resetCounts();
  return { app: 'errs', machineId: machine.id, version: machine.version };
}

describe('typed mutation errors', () => {
  it('should return NotFoundError when the machine does not exist', async () => {
    const target = await withMachine('started');
    const answer = await h.execute(StartMachineDocument, { input: { app: target.app, machineId: '0123456789abcd' } });
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.startMachine).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND', retryable: false });
  });

  it('should return NotFoundError when the app does not exist', async () => {
    await withMachine('started');
    const answer = await h.execute(CreateMachineDocument, { input: { app: 'no-such-app', config: { image: 'x:1' } } });
    expect(answer.data?.createMachine).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
  });

  it('should return LeaseHeldError when another holder leases the machine', async () => {
    const target = await withMachine('started');
    h.emu.control.acquireLease(target.app, target.machineId, 60);
    const answer = await h.execute(StopMachineDocument, { input: { app: target.app, machineId: target.machineId } });
    expect(answer.data?.stopMachine).toMatchObject({ __typename: 'LeaseHeldError', code: 'LEASE_HELD' });
  });

  it('should return VersionConflictError when the machine moved past the expected version', async () => {
    const target = await withMachine('started');
    const answer = await h.execute(UpdateMachineDocument, {
      input: { app: target.app, machineId: target.machineId, currentVersion: '01ARZ3NDEKTSV4RRFFQ69G5FAV', config: { image: 'x:2' } },
    });
    expect(answer.data?.updateMachine).toMatchObject({ __typename: 'VersionConflictError', code: 'VERSION_CONFLICT' });
    expect(h.emu.control.getMachine(target.app, target.machineId).version).toBe(target.version);
  });

  it("should return InvalidStateError when the machine's state does not allow the action", async () => {
    const target = await withMachine('started');
    const answer = await h.execute(StartMachineDocument, { input: { app: target.app, machineId: target.machineId } });
    expect(answer.data?.startMachine).toMatchObject({ __typename: 'InvalidStateError', code: 'INVALID_STATE' });
  });

  it('should return RateLimitedError with Retry-After when Fly rate-limits the action', async () => {
    const target = await withMachine('started', { emulator: { rateLimit: true } });
    const results = [];
    for (let i = 0; i < 4; i++) {
      const answer = await h.execute(SignalMachineDocument, { input: { app: target.app, machineId: target.machineId, signal: 'SIGUSR1' } });
      results.push(answer.data?.signalMachine);
    }
    expect(results.slice(0, 3).map((r) => r?.__typename)).toEqual(['SignalMachineSuccess', 'SignalMachineSuccess', 'SignalMachineSuccess']);
    expect(results[3]).toMatchObject({ __typename: 'RateLimitedError', code: 'RATE_LIMITED', retryable: true, retryAfterSeconds: 1 });
  });

  it('should return InvalidInputError naming each argument when validation fails, without calling Fly', async () => {
    const target = await withMachine('started');
    const answer = await h.execute(StartMachineDocument, { input: { app: target.app, machineId: 'XYZ', wait: { timeoutSeconds: 301 } } });
    expect(answer.data?.startMachine).toMatchObject({
      __typename: 'InvalidInputError',
      code: 'BAD_USER_INPUT',
      issues: [
        { field: 'input.machineId', message: expect.stringContaining('machine id') },
        { field: 'input.wait.timeoutSeconds', message: 'must be at most 300 seconds' },
      ],
    });
    expect(h.total()).toBe(0);
  });

  it('should return InvalidInputError when Fly rejects the input', async () => {
    await withMachine('started');
    const answer = await h.execute(CreateMachineDocument, { input: { app: 'errs', region: 'zzz', config: { image: 'x:1' } } });
    expect(answer.data?.createMachine).toMatchObject({ __typename: 'InvalidInputError', code: 'BAD_USER_INPUT', issues: [] });
    expect(h.counts()).toEqual({ 'machines.create': 1 });
  });

  it('should return InvalidInputError naming the field when create is missing the image', async () => {
    await withMachine('started');
    const answer = await h.execute(CreateMachineDocument, { input: { app: 'errs', config: { guest: { cpus: 1 } } } });
    expect(answer.data?.createMachine).toMatchObject({ __typename: 'InvalidInputError', issues: [{ field: 'input.config.image' }] });
    expect(h.total()).toBe(0);
  });

  it('should return UpstreamUnavailableError when Fly answers with a server error', async () => {
    const target = await withMachine('stopped');
    h.emu.faults.add({ route: 'machines.start', status: 503, times: 1 });
    const answer = await h.execute(StartMachineDocument, { input: { app: target.app, machineId: target.machineId } });
    expect(answer.data?.startMachine).toMatchObject({
      __typename: 'UpstreamUnavailableError',
      code: 'UPSTREAM_UNAVAILABLE',
      retryable: true,
    });
    expect(h.counts()).toEqual({ 'machines.start': 1 });
  });

  it('should return OutcomeUnknownError after exactly one attempt when a proxy times out on the change', async () => {
    const target = await withMachine('stopped');
    h.emu.faults.add({ route: 'machines.start', status: 504, times: 1 });
    const answer = await h.execute(StartMachineDocument, { input: { app: target.app, machineId: target.machineId } });
    expect(answer.data?.startMachine).toMatchObject({ __typename: 'OutcomeUnknownError', code: 'OUTCOME_UNKNOWN', retryable: false });
    expect(h.counts()).toEqual({ 'machines.start': 1 });
  });

  it('should return OutcomeUnknownError after exactly one attempt when Fly never answers a change', async () => {
    const target = await withMachine('stopped', { env: { FLY_API_DEADLINE_MS: '300' } });
    h.emu.faults.add({ route: 'machines.start', hang: true, times: 1 });
    const answer = await h.execute(StartMachineDocument, { input: { app: target.app, machineId: target.machineId } });
    expect(answer.data?.startMachine).toMatchObject({ __typename: 'OutcomeUnknownError', code: 'OUTCOME_UNKNOWN' });
    expect(answer.data?.startMachine).toMatchObject({ message: expect.stringContaining('may or may not') });
    expect(h.counts()).toEqual({ 'machines.start': 1 });
  });
});

describe('query errors', () => {
  it('should answer a GraphQL error with code NOT_FOUND when listing machines of a missing app', async () => {
    await withMachine('started');
    const answer = await h.execute(AppMachinesDocument, { app: 'no-such-app' });
    expect(answer.data).toBeNull();
    expect(answer.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', upstreamStatus: 404 });
  });

  it('should answer UNAUTHORIZED without echoing the token when Fly rejects the gateway token', async () => {
    h = await startGatewayHarness({ seed: 'demo', env: { FLY_API_TOKEN: 'wrong-token-value' } });
    const answer = await h.execute(AppMachinesDocument, { app: 'demo-web' });
    expect(answer.errors?.[0].extensions?.code).toBe('UNAUTHORIZED');
    expect(JSON.stringify(answer)).not.toContain('wrong-token-value');
  });
});
