import type { FlyVolumeSnapshot } from '../../flyio/wire/volume.js';
import { builder } from '../builder.js';
import { parseTimestamp } from './scalars.js';

/** A point-in-time copy of a volume. */
export const VolumeSnapshotRef = builder.objectRef<FlyVolumeSnapshot>('VolumeSnapshot').implement({
  description: 'A point-in-time copy of a volume (daily automatic or on demand).',
  fields: (t) => ({
    id: t.id({ description: "Fly's snapshot id.", resolve: (s) => s.id }),
    status: t.string({ nullable: true, resolve: (s) => s.status ?? null }),
    createdAt: t.field({ type: 'DateTime', nullable: true, resolve: (s) => parseTimestamp(s.created_at) }),
    sizeBytes: t.float({ nullable: true, description: 'Stored size in bytes.', resolve: (s) => s.size ?? null }),
    volumeSizeBytes: t.float({
      nullable: true,
      description: 'Size of the volume it was taken from, in bytes.',
      resolve: (s) => s.volume_size ?? null,
    }),
    digest: t.string({ nullable: true, resolve: (s) => s.digest ?? null }),
    retentionDays: t.int({ nullable: true, resolve: (s) => s.retention_days ?? null }),
  }),
});
