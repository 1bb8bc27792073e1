import { z } from 'zod';
import { optionalBool, optionalInt, optionalString } from './common.js';

/** `Volume`. */
export const flyVolumeSchema = z
  .object({
    id: z.string(),
    name: optionalString,
    state: optionalString,
    size_gb: optionalInt,
    region: optionalString,
    zone: optionalString,
    encrypted: optionalBool,
    fstype: optionalString,
    type: optionalString,
    created_at: optionalString,
    attached_machine_id: z.string().nullish(),
    attached_alloc_id: z.string().nullish(),
    snapshot_retention: optionalInt,
    auto_backup_enabled: optionalBool,
    host_status: optionalString,
  })
  .loose();
export type FlyVolume = z.infer<typeof flyVolumeSchema>;

/** `VolumeSnapshot`. */
export const flyVolumeSnapshotSchema = z
  .object({
    id: z.string(),
    created_at: optionalString,
    digest: optionalString,
    size: optionalInt,
    volume_size: optionalInt,
    status: optionalString,
    retention_days: optionalInt,
  })
  .loose();
export type FlyVolumeSnapshot = z.infer<typeof flyVolumeSnapshotSchema>;

/** Body of `PUT /volumes/{id}/extend`. */
export const flyExtendVolumeResponseSchema = z.object({ needs_restart: optionalBool, volume: flyVolumeSchema }).loose();
export type FlyExtendVolumeResponse = z.infer<typeof flyExtendVolumeResponseSchema>;

/** One volume of the org-wide list: a `Volume` that names its app and when it last changed (`OrgVolume`). */
export const flyOrgVolumeSchema = flyVolumeSchema.extend({ app_name: optionalString, updated_at: optionalString });
export type FlyOrgVolume = z.infer<typeof flyOrgVolumeSchema>;

/** `GET /v1/orgs/{org}/volumes`, sorted by `updated_at` and paged with `next_cursor`. */
export const flyOrgVolumesResponseSchema = z
  .object({
    volumes: z.array(flyOrgVolumeSchema).default([]),
    next_cursor: optionalString,
    last_updated_at: optionalString,
    last_volume_id: optionalString,
  })
  .loose();
export type FlyOrgVolumesResponse = z.infer<typeof flyOrgVolumesResponseSchema>;
