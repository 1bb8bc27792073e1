import { createHash } from 'node:crypto';
import type { Handlers, RouteContext } from '../context.js';
import { comparePositions, paginate } from '../cursor.js';
import { flyError } from '../http-error.js';
import { isKnownRegion } from '../regions.js';
import { intQuery, objectBody } from '../request-helpers.js';
import { snapshotToWire, volumeToWire } from '../serialize.js';
import type { VolumeRecord } from '../types.js';

const VOLUME_NAME = /^[a-z0-9_]{1,30}$/;

/** Input for creating a volume (shared by the route and the seed/control API). */
export interface CreateVolumeInput {
  app: string;
  name: string;
  region: string;
  sizeGb?: number;
  encrypted?: boolean;
  fstype?: string;
  snapshotRetention?: number;
  autoBackupEnabled?: boolean;
}

/** Creates a volume record. */
export function createVolumeRecord(ctx: RouteContext, input: CreateVolumeInput): VolumeRecord {
  const now = ctx.clock.now();
  const v: VolumeRecord = {
    id: ctx.ids.volumeId(),
    app: input.app,
    name: input.name,
    state: 'created',
    sizeGb: input.sizeGb ?? 1,
    region: input.region,
    zone: ctx.ids.shortId(4),
    encrypted: input.encrypted ?? true,
    fstype: input.fstype ?? 'ext4',
    createdAtMs: now,
    updatedAtMs: now,
    snapshotRetention: input.snapshotRetention ?? 5,
    autoBackupEnabled: input.autoBackupEnabled ?? true,
    snapshots: [],
  };
  ctx.store.volumes.set(v.id, v);
  return v;
}

const creation = (v: VolumeRecord) => ({ at: v.createdAtMs, id: v.id });

/** Handlers for `/volumes` (MACHINES-API.md §2.3). */
export function volumeRoutes(ctx: RouteContext): Handlers {
  const { store, clock } = ctx;
  return {
    'volumes.list': ({ params, query }) => {
      store.getApp(params.app_name);
      const all = store
        .volumesOf(params.app_name)
        .filter((v) => v.state !== 'destroyed')
        .sort((a, b) => comparePositions(creation(a), creation(b)));
      const { page, next } = paginate(all, creation, query.get('cursor'), intQuery(query, 'limit', 1, 1000));
      const headers: Record<string, string> = next ? { 'fly-next-cursor': next } : {};
      return { status: 200, body: page.map((v) => volumeToWire(v)), headers };
    },
    'volumes.create': ({ params, body }) => {
      store.getApp(params.app_name);
      const input = objectBody(body);
      if (typeof input.name !== 'string' || !VOLUME_NAME.test(input.name))
        throw flyError(400, 'volume name must be 1-30 lowercase letters, digits or underscores');
      if (typeof input.region !== 'string' || !isKnownRegion(input.region)) throw flyError(400, `unknown region: ${String(input.region)}`);
      const size = input.size_gb ?? 1;
      if (typeof size !== 'number' || !Number.isInteger(size) || size < 1 || size > 500)
        throw flyError(400, 'size_gb must be an integer between 1 and 500');
      const v = createVolumeRecord(ctx, {
        app: params.app_name,
        name: input.name,
        region: input.region,
        sizeGb: size,
        encrypted: typeof input.encrypted === 'boolean' ? input.encrypted : undefined,
        fstype: typeof input.fstype === 'string' ? input.fstype : undefined,
        snapshotRetention: typeof input.snapshot_retention === 'number' ? input.snapshot_retention : undefined,
        autoBackupEnabled: typeof input.auto_backup_enabled === 'boolean' ? input.auto_backup_enabled : undefined,
      });
      return { status: 200, body: volumeToWire(v) };
    },
    'volumes.get': ({ params }) => ({ status: 200, body: volumeToWire(store.getVolume(params.app_name, params.volume_id)) }),
    'volumes.update': ({ params, body }) => {
      const v = store.getVolume(params.app_name, params.volume_id);
      const input = objectBody(body);
      if (typeof input.auto_backup_enabled === 'boolean') v.autoBackupEnabled = input.auto_backup_enabled;
      if (typeof input.snapshot_retention === 'number') v.snapshotRetention = input.snapshot_retention;
      v.updatedAtMs = clock.now();
      return { status: 200, body: volumeToWire(v) };
    },
    'volumes.delete': ({ params }) => {
      const v = store.getVolume(params.app_name, params.volume_id);
      if (v.attachedMachineId && store.machines.get(v.attachedMachineId)?.state !== 'destroyed') {
        throw flyError(412, `volume ${v.id} is attached to machine ${v.attachedMachineId}; destroy the machine first`);
      }
      v.state = 'destroyed';
      v.updatedAtMs = clock.now();
      return { status: 200, body: volumeToWire(v) };
    },
    'volumes.extend': ({ params, body }) => {
      const v = store.getVolume(params.app_name, params.volume_id);
      const size = objectBody(body).size_gb;
      if (typeof size !== 'number' || !Number.isInteger(size) || size <= v.sizeGb || size > 500) {
        throw flyError(400, `size_gb must be an integer larger than the current size (${v.sizeGb}) and at most 500`);
      }
      v.sizeGb = size;
      v.updatedAtMs = clock.now();
      const attached = v.attachedMachineId ? store.machines.get(v.attachedMachineId) : undefined;
      return { status: 200, body: { needs_restart: attached?.state === 'started', volume: volumeToWire(v) } };
    },
    'volumes.snapshots.list': ({ params }) => {
      const v = store.getVolume(params.app_name, params.volume_id);
      return { status: 200, body: v.snapshots.map(snapshotToWire) };
    },
    'volumes.snapshots.create': ({ params }) => {
      const v = store.getVolume(params.app_name, params.volume_id);
      const id = `vs_${ctx.ids.shortId(16)}`;
      v.snapshots.push({
        id,
        createdAtMs: clock.now(),
        digest: createHash('sha256').update(id).digest('hex'),
        size: Math.floor(v.sizeGb * 1024 ** 3 * 0.05),
        volumeSize: v.sizeGb * 1024 ** 3,
        status: 'created',
        retentionDays: v.snapshotRetention,
      });
      return { status: 200 };
    },
  };
}
