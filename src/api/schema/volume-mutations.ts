/**
 * Volume writes: create (new, forked from another volume, or restored from a snapshot), update, extend, delete and
 * an on-demand snapshot. Each is one declared Fly operation (src/flyio/volume-writes.ts) run as it is; the result
 * is the volume as Fly answered it, or a typed error.
 */
import { z } from 'zod';
import {
  createVolume,
  createVolumeSnapshot,
  deleteVolume,
  extendVolume,
  updateVolume,
  type CreateVolumeInput as CreateVolumeOperationInput,
} from '../../flyio/volume-writes.js';
import { volumeKey } from '../../services/loaders.js';
import { builder } from '../builder.js';
import { appNameSchema, orUndefined, regionSchema } from './inputs.js';
import { nullOnNotFound } from './machines/machine.js';
import { resourceMutationErrors, runResourceWrite } from './resource-mutation.js';
import { VolumeRef, type VolumeParent } from './volume.js';

/** Fly volume names: lowercase letters, digits and underscores. */
export const volumeNameSchema = z
  .string()
  .regex(/^[a-z0-9_]{1,30}$/, 'expected a volume name: 1 to 30 lowercase letters, digits or underscores');
/** Fly volume ids: `vol_` and lowercase letters or digits. */
export const volumeIdSchema = z.string().regex(/^vol_[a-z0-9]{4,40}$/, 'expected a Fly volume id such as vol_1a2b3c4d5e6f7g8h');
const snapshotIdSchema = z.string().regex(/^vs_[A-Za-z0-9]{4,40}$/, 'expected a Fly snapshot id such as vs_1a2b3c4d5e6f7g8h');
const sizeGbSchema = z.number().int('must be a whole number of GB').min(1, 'must be at least 1 GB').max(500, 'must be at most 500 GB');
const retentionSchema = z
  .number()
  .int('must be a whole number of days')
  .min(1, 'must be at least 1 day')
  .max(60, 'must be at most 60 days');

const VolumeFsTypeEnum = builder.enumType('VolumeFsType', {
  description: 'The file system Fly puts on a new volume (`RAW` leaves it unformatted).',
  values: { EXT4: { value: 'ext4' }, RAW: { value: 'raw' } } as const,
});

type InputFields = Parameters<Parameters<typeof builder.inputType>[1]['fields']>[0];

function volumeTargetFields(t: InputFields) {
  return {
    app: t.string({ required: true, description: 'App name.', validate: { schema: appNameSchema } }),
    volumeId: t.string({ required: true, description: "Fly's volume id (vol_...).", validate: { schema: volumeIdSchema } }),
  };
}

function backupFields(t: InputFields) {
  return {
    snapshotRetention: t.int({
      required: false,
      description: 'Days Fly keeps its snapshots (1 to 60).',
      validate: { schema: retentionSchema },
    }),
    autoBackupEnabled: t.boolean({ required: false, description: 'Take a snapshot every day (Fly: on by default).' }),
  };
}

const CreateVolumeInput = builder.inputType('CreateVolumeInput', {
  description: 'A new volume; with `sourceVolumeId` a fork of another volume of the app, with `snapshotId` a restore of a snapshot.',
  fields: (t) => ({
    app: t.string({ required: true, description: 'App name.', validate: { schema: appNameSchema } }),
    name: t.string({ required: true, description: 'Volume name (machines mount it by name).', validate: { schema: volumeNameSchema } }),
    region: t.string({ required: true, description: 'Region code, e.g. iad.', validate: { schema: regionSchema } }),
    sizeGb: t.int({
      required: false,
      description: "Size in GB (1 to 500; Fly's default 1, or the source's size for a fork or restore).",
      validate: { schema: sizeGbSchema },
    }),
    encrypted: t.boolean({ required: false, description: 'Encrypt at rest (Fly: on by default).' }),
    fstype: t.field({ type: VolumeFsTypeEnum, required: false }),
    ...backupFields(t),
    requireUniqueZone: t.boolean({ required: false, description: 'Place it on hardware no other volume of this name uses.' }),
    sourceVolumeId: t.string({ required: false, description: 'Fork this volume of the app.', validate: { schema: volumeIdSchema } }),
    snapshotId: t.string({ required: false, description: 'Restore this snapshot.', validate: { schema: snapshotIdSchema } }),
  }),
});

const UpdateVolumeInput = builder.inputType('UpdateVolumeInput', {
  description: 'What to change; fields left out stay as they are.',
  fields: (t) => ({ ...volumeTargetFields(t), ...backupFields(t) }),
});

const ExtendVolumeInput = builder.inputType('ExtendVolumeInput', {
  fields: (t) => ({
    ...volumeTargetFields(t),
    sizeGb: t.int({ required: true, description: 'The new size in GB: larger than the current one.', validate: { schema: sizeGbSchema } }),
  }),
});

const VolumeTargetInput = builder.inputType('VolumeTargetInput', { fields: (t) => volumeTargetFields(t) });

/** Success payload of a write answered with the volume. */
function volumePayload(name: string, description: string) {
  return builder.objectRef<{ volume: VolumeParent }>(name).implement({
    description,
    fields: (t) => ({ volume: t.field({ type: VolumeRef, description: 'The volume as Fly answered it.', resolve: (p) => p.volume }) }),
  });
}

const CreateVolumeSuccess = volumePayload(
  'CreateVolumeSuccess',
  'The volume was created; a fork reads `hydrating` and a restore `restoring` until its data is in place.',
);
const UpdateVolumeSuccess = volumePayload('UpdateVolumeSuccess', 'The volume was changed.');
const DeleteVolumeSuccess = volumePayload(
  'DeleteVolumeSuccess',
  'Fly is destroying the volume: it reads `pending_destroy` until its data is gone, then disappears.',
);

const ExtendVolumeSuccess = builder.objectRef<{ volume: VolumeParent; needsRestart: boolean }>('ExtendVolumeSuccess').implement({
  description: 'The volume was extended.',
  fields: (t) => ({
    volume: t.field({ type: VolumeRef, resolve: (p) => p.volume }),
    needsRestart: t.exposeBoolean('needsRestart', {
      description: "Fly's `needs_restart`: the machine it is mounted in sees the new size only after a restart.",
    }),
  }),
});

const CreateVolumeSnapshotSuccess = builder.objectRef<{ app: string; volumeId: string }>('CreateVolumeSnapshotSuccess').implement({
  description: 'Fly took the snapshot (it answers with no body: select `volume { snapshots }` to see it, one more call).',
  fields: (t) => ({
    volumeId: t.exposeString('volumeId'),
    volume: t.field({
      type: VolumeRef,
      nullable: true,
      description: 'The volume as it is now (one Fly call when selected).',
      resolve: async (p, _args, ctx) => {
        const volume = await ctx.loaders.volume.load(volumeKey(p.app, p.volumeId)).catch(nullOnNotFound);
        return volume ? { appName: p.app, volume } : null;
      },
    }),
  }),
});

builder.mutationFields((t) => ({
  createVolume: t.field({
    type: CreateVolumeSuccess,
    description: 'Creates a volume, forks one (`sourceVolumeId`) or restores a snapshot (`snapshotId`). Sent once, never retried.',
    errors: resourceMutationErrors('createVolume'),
    args: { input: t.arg({ type: CreateVolumeInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const request: CreateVolumeOperationInput = {
        app: input.app,
        name: input.name,
        region: input.region,
        sizeGb: orUndefined(input.sizeGb),
        encrypted: orUndefined(input.encrypted),
        fstype: orUndefined(input.fstype),
        snapshotRetention: orUndefined(input.snapshotRetention),
        autoBackupEnabled: orUndefined(input.autoBackupEnabled),
        requireUniqueZone: orUndefined(input.requireUniqueZone),
        sourceVolumeId: orUndefined(input.sourceVolumeId),
        snapshotId: orUndefined(input.snapshotId),
      };
      const volume = await runResourceWrite(ctx, 'volumes', () => ctx.services.fly.call(createVolume, request, { signal: ctx.signal }));
      return { volume: { appName: input.app, volume } };
    },
  }),
  updateVolume: t.field({
    type: UpdateVolumeSuccess,
    description: "Changes a volume's snapshot retention or automatic backups.",
    errors: resourceMutationErrors('updateVolume'),
    args: { input: t.arg({ type: UpdateVolumeInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const request = {
        app: input.app,
        volumeId: input.volumeId,
        snapshotRetention: orUndefined(input.snapshotRetention),
        autoBackupEnabled: orUndefined(input.autoBackupEnabled),
      };
      const volume = await runResourceWrite(ctx, 'volumes', () => ctx.services.fly.call(updateVolume, request, { signal: ctx.signal }));
      return { volume: { appName: input.app, volume } };
    },
  }),
  extendVolume: t.field({
    type: ExtendVolumeSuccess,
    description: 'Grows a volume (it never shrinks); says whether its machine needs a restart to see the new size.',
    errors: resourceMutationErrors('extendVolume'),
    args: { input: t.arg({ type: ExtendVolumeInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const request = { app: input.app, volumeId: input.volumeId, sizeGb: input.sizeGb };
      const answer = await runResourceWrite(ctx, 'volumes', () => ctx.services.fly.call(extendVolume, request, { signal: ctx.signal }));
      return { volume: { appName: input.app, volume: answer.volume }, needsRestart: answer.needs_restart ?? false };
    },
  }),
  deleteVolume: t.field({
    type: DeleteVolumeSuccess,
    description: 'Destroys a volume and its data. Fly refuses while a machine has it mounted (InvalidStateError).',
    errors: resourceMutationErrors('deleteVolume'),
    args: { input: t.arg({ type: VolumeTargetInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const request = { app: input.app, volumeId: input.volumeId };
      const volume = await runResourceWrite(ctx, 'volumes', () => ctx.services.fly.call(deleteVolume, request, { signal: ctx.signal }));
      return { volume: { appName: input.app, volume } };
    },
  }),
  createVolumeSnapshot: t.field({
    type: CreateVolumeSnapshotSuccess,
    description: 'Takes a snapshot of a volume now (kept for its snapshot retention).',
    errors: resourceMutationErrors('createVolumeSnapshot'),
    args: { input: t.arg({ type: VolumeTargetInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const request = { app: input.app, volumeId: input.volumeId };
      await runResourceWrite(ctx, 'volumes', () => ctx.services.fly.call(createVolumeSnapshot, request, { signal: ctx.signal }));
      return request;
    },
  }),
}));
