import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AcquireMachineLeaseDocument,
  DeleteMachineMetadataDocument,
  MachineDetailDocument,
  RefreshMachineLeaseDocument,
  ReleaseMachineLeaseDocument,
  SetMachineMetadataDocument,
  StopMachineDocument,
} from '../../../schema/generated/graphql.js';
import { startGatewayHarness, type GatewayHarness } from '../../helpers/gateway-harness.js';

let h: GatewayHarness;
let machineId: string;
beforeEach(async () => {
  h = await startGatewayHarness({ seed: 'none' });
  h.emu.control.createApp('leased');
  machineId = h.emu.control.createMachine('leased', { state: 'started', config: { image: 'x:1', metadata: { team: 'core' } } }).id;
});
afterEach(() => h.close());

const target = () => ({ app: 'leased', machineId });

describe('leases', () => {
  it('should give the nonce only to its acquirer when a lease is taken', async () => {
    const answer = await h.execute(AcquireMachineLeaseDocument, { input: { ...target(), ttlSeconds: 120, description: 'deploying' } });
    const grant = answer.data?.acquireMachineLease;
    if (grant?.__typename !== 'AcquireMachineLeaseSuccess') throw new Error(JSON.stringify(grant));
    expect(grant.nonce).toMatch(/\S+/);
    expect(grant.lease).toMatchObject({ description: 'deploying', owner: expect.any(String) });
    expect(Date.parse(grant.lease.expiresAt ?? '')).toBe(h.clock.now() + 120_000);
    expect(grant.machine.lease?.description).toBe('deploying');

    const read = await h.execute(MachineDetailDocument, target());
    expect(read.data?.machine?.lease?.description).toBe('deploying');
    expect(JSON.stringify(read)).not.toContain(grant.nonce);
    const lease = await h.post({ query: `{ machine(app: "leased", machineId: "${machineId}") { lease { nonce } } }` });
    expect(lease.status).toBe(400);
    expect(lease.errors?.[0].message).toContain('nonce');
  });

  it('should let only the holder change the machine when it is leased', async () => {
    const grant = await h.execute(AcquireMachineLeaseDocument, { input: target() });
    if (grant.data?.acquireMachineLease.__typename !== 'AcquireMachineLeaseSuccess') throw new Error('no lease');
    const nonce = grant.data.acquireMachineLease.nonce;

    const refused = await h.execute(StopMachineDocument, { input: target() });
    expect(refused.data?.stopMachine).toMatchObject({ __typename: 'LeaseHeldError', code: 'LEASE_HELD', retryable: false });

    const allowed = await h.execute(StopMachineDocument, { input: { ...target(), leaseNonce: nonce } });
    expect(allowed.data?.stopMachine.__typename).toBe('StopMachineSuccess');
  });

  it('should extend the lease when the holder refreshes it', async () => {
    const grant = await h.execute(AcquireMachineLeaseDocument, { input: { ...target(), ttlSeconds: 30 } });
    if (grant.data?.acquireMachineLease.__typename !== 'AcquireMachineLeaseSuccess') throw new Error('no lease');
    const nonce = grant.data.acquireMachineLease.nonce;
    await h.clock.advance(20_000);

    const answer = await h.execute(RefreshMachineLeaseDocument, { input: { ...target(), nonce, ttlSeconds: 60 } });
    const refreshed = answer.data?.refreshMachineLease;
    if (refreshed?.__typename !== 'RefreshMachineLeaseSuccess') throw new Error(JSON.stringify(refreshed));
    expect(refreshed.nonce).toBe(nonce);
    expect(Date.parse(refreshed.lease.expiresAt ?? '')).toBe(h.clock.now() + 60_000);
  });

  it('should return LeaseHeldError when a second caller tries to acquire the lease', async () => {
    h.emu.control.acquireLease('leased', machineId, 60);
    const answer = await h.execute(AcquireMachineLeaseDocument, { input: target() });
    expect(answer.data?.acquireMachineLease).toMatchObject({ __typename: 'LeaseHeldError', code: 'LEASE_HELD' });
  });

  it('should release the lease when its holder asks and refuse a wrong nonce', async () => {
    const grant = await h.execute(AcquireMachineLeaseDocument, { input: target() });
    if (grant.data?.acquireMachineLease.__typename !== 'AcquireMachineLeaseSuccess') throw new Error('no lease');

    const wrong = await h.execute(ReleaseMachineLeaseDocument, { input: { ...target(), nonce: 'not-the-nonce' } });
    expect(wrong.data?.releaseMachineLease.__typename).toBe('LeaseHeldError');

    const released = await h.execute(ReleaseMachineLeaseDocument, { input: { ...target(), nonce: grant.data.acquireMachineLease.nonce } });
    const result = released.data?.releaseMachineLease;
    if (result?.__typename !== 'ReleaseMachineLeaseSuccess') throw new Error(JSON.stringify(result));
    expect(result.machine.lease).toBeNull();
  });

  it('should answer NotFoundError when releasing a lease nobody holds', async () => {
    const answer = await h.execute(ReleaseMachineLeaseDocument, { input: { ...target(), nonce: 'abc' } });
    expect(answer.data?.releaseMachineLease).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
  });
});

describe('metadata', () => {
  it('should return the machine with the key and keep its version when a metadata key is set', async () => {
    const before = h.emu.control.getMachine('leased', machineId);
    const answer = await h.execute(SetMachineMetadataDocument, { input: { ...target(), key: 'owner', value: 'platform' } });
    const result = answer.data?.setMachineMetadata;
    if (result?.__typename !== 'SetMachineMetadataSuccess') throw new Error(JSON.stringify(result));
    expect(result.machine.metadata).toEqual([
      { key: 'owner', value: 'platform' },
      { key: 'team', value: 'core' },
    ]);
    expect(result.machine.state).toBe('STARTED');
    expect(h.emu.control.getMachine('leased', machineId).version).toBe(before.version);
  });

  it('should return the machine without the key when a metadata key is deleted', async () => {
    const answer = await h.execute(DeleteMachineMetadataDocument, { input: { ...target(), key: 'team' } });
    const result = answer.data?.deleteMachineMetadata;
    if (result?.__typename !== 'DeleteMachineMetadataSuccess') throw new Error(JSON.stringify(result));
    expect(result.machine.metadata).toEqual([]);
  });

  it('should return InvalidInputError naming the key without calling Fly when the key is malformed', async () => {
    h.resetCounts();
    const answer = await h.execute(SetMachineMetadataDocument, { input: { ...target(), key: 'bad key!', value: 'x' } });
    expect(answer.data?.setMachineMetadata).toMatchObject({
      __typename: 'InvalidInputError',
      code: 'BAD_USER_INPUT',
      issues: [{ field: 'input.key', message: expect.stringContaining('letters') }],
    });
    expect(h.total()).toBe(0);
  });
});
