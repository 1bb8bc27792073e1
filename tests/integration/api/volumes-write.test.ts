import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '#src/api/auth/keys.js';
import { createEmulator } from '#src/emulator/emulator.js';
import { startGatewayHarness, type GatewayHarness } from '../../helpers/gateway-harness.js';
import { buildTestGateway, INSTANT } from '../../helpers/test-gateway.js';

// createVolume (new, fork, restore), updateVolume, extendVolume, deleteVolume and createVolumeSnapshot against the
// emulator: each success and typed error, exact upstream counts, what the read cache drops, and who may call them.

const VOLUME = 'volumeId name state sizeGb region encrypted fstype snapshotRetention autoBackupEnabled attachedMachineId';
const RESULT = `__typename ... on Error { code message } ... on InvalidInputError { issues { field } }`;
const CREATE = `mutation($input: CreateVolumeInput!) { createVolume(input: $input) { ${RESULT} ... on CreateVolumeSuccess { volume { ${VOLUME} } } } }`;
const UPDATE = `mutation($input: UpdateVolumeInput!) { updateVolume(input: $input) { ${RESULT} ... on UpdateVolumeSuccess { volume { ${VOLUME} } } } }`;
const EXTEND = `mutation($input: ExtendVolumeInput!) { extendVolume(input: $input) { ${RESULT} ... on ExtendVolumeSuccess { needsRestart volume { ${VOLUME} } } } }`;
const DELETE = `mutation($input: VolumeTargetInput!) { deleteVolume(input: $input) { ${RESULT} ... on DeleteVolumeSuccess { volume { ${VOLUME} } } } }`;
const SNAPSHOT = `mutation($input: VolumeTargetInput!) { createVolumeSnapshot(input: $input) { ${RESULT} ... on CreateVolumeSnapshotSuccess { volumeId volume { snapshots { id status } } } } }`;
const LIST = `query($app: String!) { app(name: $app) { volumeCount volumes { nodes { ${VOLUME} } } } }`;
const ATTACHED = `query($app: String!) { volumes(app: $app) { nodes { volumeId attachedMachine { machineId state } snapshots { id } } } }`;

type Answer = { data: any; errors?: unknown[]; extensions?: { upstreamCalls: { byOperation: Record<string, number> } } };

describe('volume mutations', () => {
  let h: GatewayHarness;
  const ask = async (query: string, variables: Record<string, unknown>): Promise<Answer> => (await h.post({ query, variables })) as Answer;
  const calls = (answer: Answer) => answer.extensions!.upstreamCalls.byOperation;
  const create = (input: Record<string, unknown>) => ask(CREATE, { input: { app: 'vols', ...input } });
  const created = async (input: Record<string, unknown>) => {
    const answer = await create(input);
    expect(answer.data.createVolume.__typename).toBe('CreateVolumeSuccess');
    return answer.data.createVolume.volume as { volumeId: string; state: string; sizeGb: number };
  };
  const volumesOf = async (app = 'vols') => (await ask(LIST, { app })).data.app.volumes.nodes as { volumeId: string; state: string }[];

  beforeAll(async () => {
    h = await startGatewayHarness({ seed: 'none', env: { CACHE_RESPONSE_MAX_BYTES: '0' } });
    h.emu.control.createApp('vols');
  });
  afterAll(async () => h?.close());

  it('should create a volume with the options given, in one call, and drop the cached list of the app', async () => {
    const before = await ask(LIST, { app: 'vols' });
    expect(calls(before)).toEqual({ 'apps.get': 1, 'volumes.list': 1 });
    expect(calls(await ask(LIST, { app: 'vols' }))).toEqual({});
    const answer = await create({
      name: 'data',
      region: 'ams',
      sizeGb: 3,
      encrypted: false,
      fstype: 'RAW',
      snapshotRetention: 9,
      autoBackupEnabled: false,
    });
    expect(answer.data.createVolume).toMatchObject({
      __typename: 'CreateVolumeSuccess',
      volume: {
        name: 'data',
        state: 'created',
        sizeGb: 3,
        region: 'ams',
        encrypted: false,
        fstype: 'raw',
        snapshotRetention: 9,
        autoBackupEnabled: false,
      },
    });
    expect(calls(answer)).toEqual({ 'volumes.create': 1 });
    const after = await ask(LIST, { app: 'vols' });
    expect(calls(after)).toEqual({ 'apps.get': 1, 'volumes.list': 1 });
    expect(after.data.app.volumeCount).toBe(1);
    expect(after.data.app.volumes.nodes.map((v: { volumeId: string }) => v.volumeId)).toContain(answer.data.createVolume.volume.volumeId);
  });

  it('should refuse bad input before Fly (InvalidInputError naming the field) and pass on what Fly refuses', async () => {
    const local = await create({ name: 'Bad-Name', region: 'iad', sizeGb: 0 });
    expect(local.data.createVolume.__typename).toBe('InvalidInputError');
    expect(local.data.createVolume.issues.map((i: { field: string }) => i.field).sort()).toEqual(['input.name', 'input.sizeGb']);
    expect(calls(local)).toEqual({});
    const region = await create({ name: 'data', region: 'zzz' });
    expect(region.data.createVolume).toMatchObject({ __typename: 'InvalidInputError', code: 'BAD_USER_INPUT' });
    expect(region.data.createVolume.message).toContain('unknown region');
    expect(calls(region)).toEqual({ 'volumes.create': 1 });
    const app = await ask(CREATE, { input: { app: 'no-such-app', name: 'data', region: 'iad' } });
    expect(app.data.createVolume.__typename).toBe('NotFoundError');
  });

  it('should fork a volume (hydrating, then created on the clock) and refuse an unknown source as not found', async () => {
    const source = await created({ name: 'forkme', region: 'iad', sizeGb: 2 });
    const fork = await create({ name: 'forkme', region: 'iad', sourceVolumeId: source.volumeId });
    expect(fork.data.createVolume.volume).toMatchObject({ state: 'hydrating', sizeGb: 2 });
    expect(calls(fork)).toEqual({ 'volumes.create': 1 });
    const busy = await ask(EXTEND, { input: { app: 'vols', volumeId: fork.data.createVolume.volume.volumeId, sizeGb: 5 } });
    expect(busy.data.extendVolume.__typename).toBe('InvalidStateError');
    await h.clock.advance(1_500);
    const settled = (await volumesOf()).find((v) => v.volumeId === fork.data.createVolume.volume.volumeId);
    expect(settled?.state).toBe('created');
    const missing = await create({ name: 'forkme', region: 'iad', sourceVolumeId: 'vol_doesnotexist00' });
    expect(missing.data.createVolume.__typename).toBe('NotFoundError');
    expect(missing.data.createVolume.message).toContain('source volume');
  });

  it('should take a snapshot and restore it into a new volume (restoring), and refuse an unknown snapshot', async () => {
    const source = await created({ name: 'snapme', region: 'lhr', sizeGb: 4 });
    const snap = await ask(SNAPSHOT, { input: { app: 'vols', volumeId: source.volumeId } });
    expect(snap.data.createVolumeSnapshot).toMatchObject({ __typename: 'CreateVolumeSnapshotSuccess', volumeId: source.volumeId });
    expect(snap.data.createVolumeSnapshot.volume.snapshots).toHaveLength(1);
    expect(calls(snap)).toEqual({ 'volumes.snapshots.create': 1, 'volumes.get': 1, 'volumes.snapshots': 1 });
    const snapshotId = snap.data.createVolumeSnapshot.volume.snapshots[0].id as string;
    const restored = await create({ name: 'restored', region: 'lhr', snapshotId });
    expect(restored.data.createVolume.volume).toMatchObject({ state: 'restoring', sizeGb: 4 });
    await h.clock.advance(1_500);
    expect((await volumesOf()).find((v) => v.volumeId === restored.data.createVolume.volume.volumeId)?.state).toBe('created');
    const unknown = await create({ name: 'restored', region: 'lhr', snapshotId: 'vs_doesnotexist0000' });
    expect(unknown.data.createVolume.__typename).toBe('NotFoundError');
  });

  it('should update retention and backups, and refuse a retention Fly does not keep before sending it', async () => {
    const v = await created({ name: 'tune', region: 'iad' });
    const updated = await ask(UPDATE, { input: { app: 'vols', volumeId: v.volumeId, snapshotRetention: 14, autoBackupEnabled: false } });
    expect(updated.data.updateVolume).toMatchObject({
      __typename: 'UpdateVolumeSuccess',
      volume: { snapshotRetention: 14, autoBackupEnabled: false },
    });
    expect(calls(updated)).toEqual({ 'volumes.update': 1 });
    const tooLong = await ask(UPDATE, { input: { app: 'vols', volumeId: v.volumeId, snapshotRetention: 61 } });
    expect(tooLong.data.updateVolume).toMatchObject({ __typename: 'InvalidInputError', issues: [{ field: 'input.snapshotRetention' }] });
    expect(calls(tooLong)).toEqual({});
    const missing = await ask(UPDATE, { input: { app: 'vols', volumeId: 'vol_doesnotexist00', autoBackupEnabled: true } });
    expect(missing.data.updateVolume.__typename).toBe('NotFoundError');
  });

  it("should extend a volume and say whether its machine needs a restart; a smaller or equal size is Fly's InvalidInputError", async () => {
    const loose = await created({ name: 'grow', region: 'iad' });
    const plain = await ask(EXTEND, { input: { app: 'vols', volumeId: loose.volumeId, sizeGb: 2 } });
    expect(plain.data.extendVolume).toMatchObject({ __typename: 'ExtendVolumeSuccess', needsRestart: false, volume: { sizeGb: 2 } });
    expect(calls(plain)).toEqual({ 'volumes.extend': 1 });
    const mounted = await created({ name: 'grow', region: 'iad' });
    h.emu.control.createMachine('vols', {
      state: 'started',
      config: { image: 'x:1', mounts: [{ volume: mounted.volumeId, path: '/data' }] },
    });
    const running = await ask(EXTEND, { input: { app: 'vols', volumeId: mounted.volumeId, sizeGb: 3 } });
    expect(running.data.extendVolume).toMatchObject({ needsRestart: true, volume: { sizeGb: 3 } });
    for (const sizeGb of [3, 1]) {
      const refused = await ask(EXTEND, { input: { app: 'vols', volumeId: mounted.volumeId, sizeGb } });
      expect(refused.data.extendVolume.__typename).toBe('InvalidInputError');
      expect(refused.data.extendVolume.message).toContain('larger than the current size');
      expect(calls(refused)).toEqual({ 'volumes.extend': 1 });
    }
  });

  it('should refuse to delete an attached volume (InvalidStateError) and delete a loose one (pending_destroy, then gone)', async () => {
    const mounted = await created({ name: 'keep', region: 'iad' });
    h.emu.control.createMachine('vols', { state: 'stopped', config: { image: 'x:1', mounts: [{ volume: mounted.volumeId, path: '/d' }] } });
    const attached = await ask(DELETE, { input: { app: 'vols', volumeId: mounted.volumeId } });
    expect(attached.data.deleteVolume.__typename).toBe('InvalidStateError');
    expect(attached.data.deleteVolume.message).toContain('attached');
    expect(calls(attached)).toEqual({ 'volumes.delete': 1 });
    const loose = await created({ name: 'drop', region: 'iad' });
    await volumesOf();
    const deleted = await ask(DELETE, { input: { app: 'vols', volumeId: loose.volumeId } });
    expect(deleted.data.deleteVolume).toMatchObject({
      __typename: 'DeleteVolumeSuccess',
      volume: { volumeId: loose.volumeId, state: 'pending_destroy' },
    });
    expect(calls(deleted)).toEqual({ 'volumes.delete': 1 });
    const again = await ask(DELETE, { input: { app: 'vols', volumeId: loose.volumeId } });
    expect(again.data.deleteVolume.__typename).toBe('InvalidStateError');
    await h.clock.advance(1_000);
    expect((await volumesOf()).some((v) => v.volumeId === loose.volumeId)).toBe(false);
    const gone = await ask(DELETE, { input: { app: 'vols', volumeId: loose.volumeId } });
    expect(gone.data.deleteVolume.__typename).toBe('NotFoundError');
  });

  it('should resolve attachedMachine through the machine loader: one get per distinct machine, none for loose volumes', async () => {
    h.emu.control.createApp('mounts');
    const ids: string[] = [];
    for (const name of ['a', 'b', 'c']) {
      const v = await ask(CREATE, { input: { app: 'mounts', name, region: 'iad' } });
      ids.push(v.data.createVolume.volume.volumeId);
    }
    const machine = h.emu.control.createMachine('mounts', {
      state: 'started',
      config: {
        image: 'x:1',
        mounts: [
          { volume: ids[0], path: '/a' },
          { volume: ids[1], path: '/b' },
        ],
      },
    });
    const answer = await ask(ATTACHED, { app: 'mounts' });
    const byId = new Map(answer.data.volumes.nodes.map((n: { volumeId: string }) => [n.volumeId, n]));
    expect((byId.get(ids[0]) as any).attachedMachine).toEqual({ machineId: machine.id, state: 'STARTED' });
    expect((byId.get(ids[1]) as any).attachedMachine).toEqual({ machineId: machine.id, state: 'STARTED' });
    expect((byId.get(ids[2]) as any).attachedMachine).toBeNull();
    expect(calls(answer)).toEqual({ 'volumes.list': 1, 'machines.get': 1, 'volumes.snapshots': 3 });
  });
});

describe('who may change volumes', () => {
  const WRITES = ['volumes.create', 'volumes.update', 'volumes.extend', 'volumes.delete', 'volumes.snapshots.create'];
  const INPUTS: [string, string, (volumeId: string) => Record<string, unknown>][] = [
    ['createVolume', CREATE, () => ({ app: 'guarded', name: 'data', region: 'iad' })],
    ['updateVolume', UPDATE, (volumeId) => ({ app: 'guarded', volumeId, autoBackupEnabled: false })],
    ['extendVolume', EXTEND, (volumeId) => ({ app: 'guarded', volumeId, sizeGb: 9 })],
    ['createVolumeSnapshot', SNAPSHOT, (volumeId) => ({ app: 'guarded', volumeId })],
    ['deleteVolume', DELETE, (volumeId) => ({ app: 'guarded', volumeId })],
  ];
  const volumeCalls = (counts: Record<string, number>) =>
    Object.entries(counts)
      .filter(([route]) => WRITES.includes(route))
      .reduce((sum, [, n]) => sum + n, 0);

  it('should refuse every volume write to a read key (FORBIDDEN, nothing sent) and allow it to a write key', async () => {
    const reader = createKey('reader', new Set(['read']));
    const writer = createKey('writer', new Set(['read', 'write']));
    const built = await buildTestGateway({ env: { AUTH_MODE: 'api-keys', API_KEYS: `${reader.entry},${writer.entry}` } });
    try {
      built.emu.control.createApp('guarded');
      const volumeId = String(built.emu.control.createVolume('guarded', { name: 'data', region: 'iad' }).id);
      const send = async (key: string, query: string, input: Record<string, unknown>) =>
        (await (
          await built.gateway.fetch('http://gateway/graphql', {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
            body: JSON.stringify({ query, variables: { input } }),
          })
        ).json()) as Answer;
      for (const [field, query, input] of INPUTS) {
        expect((await send(reader.key, query, input(volumeId))).data[field].__typename, field).toBe('ForbiddenError');
      }
      expect(volumeCalls(built.emu.requestCounts())).toBe(0);
      for (const [field, query, input] of INPUTS) {
        expect((await send(writer.key, query, input(volumeId))).data[field].__typename, field).toMatch(/Success$/);
      }
      expect(volumeCalls(built.emu.requestCounts())).toBe(INPUTS.length);
    } finally {
      await built.close();
    }
  });

  it("should keep another tenant's volumes out of reach in fly-token mode, and let the owner's token change them", async () => {
    const OWNER = 'emu_volumes_owner_0123456789abcdef';
    const STRANGER = 'emu_volumes_stranger_0123456789ab';
    const READER = 'emu_volumes_reader_0123456789abcd';
    const emu = createEmulator({
      seed: 'none',
      delays: INSTANT,
      scopedTokens: { [OWNER]: ['guarded'], [STRANGER]: ['elsewhere'] },
      readOnlyTokens: { [READER]: ['guarded'] },
    });
    await emu.start({ port: 0, host: '127.0.0.1' });
    const built = await buildTestGateway({ emulator: emu, env: { AUTH_MODE: 'fly-token', CACHE_RESPONSE_MAX_BYTES: '0' } });
    try {
      emu.control.createApp('guarded');
      emu.control.createApp('elsewhere');
      const volumeId = String(emu.control.createVolume('guarded', { name: 'data', region: 'iad' }).id);
      const send = async (token: string, query: string, input: Record<string, unknown>) =>
        (await (
          await built.gateway.fetch('http://gateway/graphql', {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ query, variables: { input } }),
          })
        ).json()) as Answer;
      for (const [field, query, input] of INPUTS) {
        expect((await send(STRANGER, query, input(volumeId))).data[field].__typename, field).toBe('ForbiddenError');
      }
      expect(volumeCalls(emu.requestCounts())).toBe(0);
      // A read-only token passes the read check, and Fly itself refuses the write.
      const readOnly = await send(READER, UPDATE, { app: 'guarded', volumeId, autoBackupEnabled: false });
      expect(readOnly.data.updateVolume.__typename).toBe('ForbiddenError');
      expect(JSON.stringify(readOnly)).not.toContain(READER);
      expect(emu.requestCounts()['volumes.update']).toBe(1);
      expect((await send(OWNER, `{ volumes(app: "guarded") { nodes { autoBackupEnabled } } }`, {})).data.volumes.nodes).toEqual([
        { autoBackupEnabled: true },
      ]);
      for (const [field, query, input] of INPUTS) {
        expect((await send(OWNER, query, input(volumeId))).data[field].__typename, field).toMatch(/Success$/);
      }
    } finally {
      await built.close();
      await emu.stop();
    }
  });
});
