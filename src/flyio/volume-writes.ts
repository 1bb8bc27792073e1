/**
 * The volume writes, each declared once (src/flyio/operation.ts): create (also a fork of another volume or a restore
 * of a snapshot), update, extend, destroy and an on-demand snapshot. Each changes the app's volumes, so a write
 * drops the app's cached volume reads (and the app, whose `volume_count` moves).
 */
import { defineOperation } from './operation.js';
import { flyExtendVolumeResponseSchema, flyVolumeSchema, type FlyExtendVolumeResponse, type FlyVolume } from './wire/volume.js';

const VOLUMES = '/apps/{app}/volumes';
const VOLUME = `${VOLUMES}/{volumeId}`;

/** One volume of an app. */
export interface VolumeTarget {
  app: string;
  volumeId: string;
}

const onVolumes = ({ app }: { app: string }) => ({ app, collection: 'volumes' as const });

/** Input of {@link createVolume}: Fly's `CreateVolumeRequest`, camelCased. */
export interface CreateVolumeInput {
  app: string;
  name: string;
  region: string;
  sizeGb?: number;
  encrypted?: boolean;
  fstype?: 'ext4' | 'raw';
  /** Days Fly keeps this volume's snapshots. */
  snapshotRetention?: number;
  autoBackupEnabled?: boolean;
  /** Place it in a zone no other volume of the same name uses (Fly's default is true). */
  requireUniqueZone?: boolean;
  /** Fork: a copy of this volume of the app. */
  sourceVolumeId?: string;
  /** Restore: the data of this snapshot. */
  snapshotId?: string;
}

/** `POST /apps/{app}/volumes`: a new volume, a fork of one (`source_volume_id`) or a restore of a snapshot (`snapshot_id`). */
export const createVolume = defineOperation<CreateVolumeInput, FlyVolume>({
  name: 'volumes.create',
  method: 'POST',
  path: VOLUMES,
  body: (input) => ({
    name: input.name,
    region: input.region,
    size_gb: input.sizeGb,
    encrypted: input.encrypted,
    fstype: input.fstype,
    snapshot_retention: input.snapshotRetention,
    auto_backup_enabled: input.autoBackupEnabled,
    require_unique_zone: input.requireUniqueZone,
    source_volume_id: input.sourceVolumeId,
    snapshot_id: input.snapshotId,
  }),
  response: flyVolumeSchema,
  target: onVolumes,
});

/** Input of {@link updateVolume}: only what is given changes. */
export interface UpdateVolumeInput extends VolumeTarget {
  snapshotRetention?: number;
  autoBackupEnabled?: boolean;
}

/** `PUT /apps/{app}/volumes/{id}`: snapshot retention and automatic backups. */
export const updateVolume = defineOperation<UpdateVolumeInput, FlyVolume>({
  name: 'volumes.update',
  method: 'PUT',
  path: VOLUME,
  body: ({ snapshotRetention, autoBackupEnabled }) => ({ snapshot_retention: snapshotRetention, auto_backup_enabled: autoBackupEnabled }),
  response: flyVolumeSchema,
  target: onVolumes,
});

/** Input of {@link extendVolume}. */
export interface ExtendVolumeInput extends VolumeTarget {
  sizeGb: number;
}

/** `PUT /apps/{app}/volumes/{id}/extend`: grows the volume; Fly says whether its machine must restart to see it. */
export const extendVolume = defineOperation<ExtendVolumeInput, FlyExtendVolumeResponse>({
  name: 'volumes.extend',
  method: 'PUT',
  path: `${VOLUME}/extend`,
  body: ({ sizeGb }) => ({ size_gb: sizeGb }),
  response: flyExtendVolumeResponseSchema,
  target: onVolumes,
});

/** `DELETE /apps/{app}/volumes/{id}`: destroys the volume and its data; Fly answers the volume as it now is. */
export const deleteVolume = defineOperation<VolumeTarget, FlyVolume>({
  name: 'volumes.delete',
  method: 'DELETE',
  path: VOLUME,
  response: flyVolumeSchema,
  target: onVolumes,
});

/** `POST /apps/{app}/volumes/{id}/snapshots`: takes a snapshot now (Fly answers with an empty body). */
export const createVolumeSnapshot = defineOperation<VolumeTarget>({
  name: 'volumes.snapshots.create',
  method: 'POST',
  path: `${VOLUME}/snapshots`,
  target: onVolumes,
});
