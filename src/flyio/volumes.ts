/** The Volumes resource: `/v1/apps/{app}/volumes`. */
import { z } from 'zod';
import { collectPages } from './pagination.js';
import { segment } from './request-parts.js';
import type { Requester } from './request.js';
import type { VolumesApi } from './types.js';
import { flyExtendVolumeResponseSchema, flyVolumeSchema, flyVolumeSnapshotSchema } from './wire/volume.js';

const volumeListSchema = z.array(flyVolumeSchema);
const snapshotListSchema = z.array(flyVolumeSnapshotSchema);

function volumesPath(operation: string, app: string): string {
  return `/apps/${segment(operation, 'app', app)}/volumes`;
}

function volumePath(operation: string, input: { app: string; volumeId: string }, suffix = ''): string {
  return `${volumesPath(operation, input.app)}/${segment(operation, 'volumeId', input.volumeId)}${suffix}`;
}

/** Builds the volumes API over a requester. */
export function createVolumesApi(requester: Requester): VolumesApi {
  const volumes: VolumesApi = {
    async list(input, options) {
      const result = await requester.send({
        operation: 'volumes.list',
        method: 'GET',
        path: volumesPath('volumes.list', input.app),
        query: { limit: input.limit, cursor: input.cursor },
        schema: volumeListSchema,
        rateScope: input.app,
        options,
      });
      if (!result.ok) return { items: [] };
      return { items: result.data, nextCursor: result.header('fly-next-cursor') };
    },

    listAll(input, options) {
      return collectPages('volumes.listAll', (cursor) => volumes.list({ app: input.app, cursor }, options));
    },

    async get(input, options) {
      return requester.call({
        operation: 'volumes.get',
        method: 'GET',
        path: volumePath('volumes.get', input),
        schema: flyVolumeSchema,
        rateScope: input.volumeId,
        options,
      });
    },

    async create(input, options) {
      return requester.call({
        operation: 'volumes.create',
        method: 'POST',
        path: volumesPath('volumes.create', input.app),
        body: {
          name: input.name,
          region: input.region,
          size_gb: input.sizeGb,
          encrypted: input.encrypted,
          snapshot_id: input.snapshotId,
          source_volume_id: input.sourceVolumeId,
        },
        schema: flyVolumeSchema,
        rateScope: input.app,
        options,
      });
    },

    async extend(input, options) {
      return requester.call({
        operation: 'volumes.extend',
        method: 'PUT',
        path: volumePath('volumes.extend', input, '/extend'),
        body: { size_gb: input.sizeGb },
        schema: flyExtendVolumeResponseSchema,
        rateScope: input.volumeId,
        options,
      });
    },

    async delete(input, options) {
      return requester.call({
        operation: 'volumes.delete',
        method: 'DELETE',
        path: volumePath('volumes.delete', input),
        schema: flyVolumeSchema,
        rateScope: input.volumeId,
        options,
      });
    },

    async snapshots(input, options) {
      return requester.call({
        operation: 'volumes.snapshots',
        method: 'GET',
        path: volumePath('volumes.snapshots', input, '/snapshots'),
        schema: snapshotListSchema,
        rateScope: input.volumeId,
        options,
      });
    },

    async createSnapshot(input, options) {
      await requester.call({
        operation: 'volumes.createSnapshot',
        method: 'POST',
        path: volumePath('volumes.createSnapshot', input, '/snapshots'),
        rateScope: input.volumeId,
        options,
      });
    },
  };
  return volumes;
}
