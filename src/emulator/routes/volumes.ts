import { createHash } from 'node:crypto';
import type { Handlers, RouteContext } from '../context.js';
import { comparePositions, paginate } from '../cursor.js';
import { flyError } from '../http-error.js';
import { isKnownRegion } from '../regions.js';
import { intQuery, objectBody } from '../request-helpers.js';
import { snapshotToWire, volumeToWire } from '../serialize.js';
import type { SnapshotRecord, VolumeRecord } from '../types.js';
import { emitVolumeChange, isLive, settleVolume, VOLUME_SETTLE_MS } from '../volume-states.js';

const VOLUME_NAME = /^[a-z0-9_]{1,30}$/;
const MAX_SIZE_GB = 500;

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
  /** The state it starts in: `created`, or `hydrating`/`restoring` for a fork or a restore (settled by the caller). */
  state?: string;
}

/** Creates a volume record (the route announces it; the control API's setup does not). */
export function createVolumeRecord(ctx: RouteContext, input: CreateVolumeInput): VolumeRecord {
  const now = ctx.clock.now();
  const v: VolumeRecord = {
    id: ctx.ids.volumeId(),
    app: input.app,
    name: input.name,
    state: input.state ?? 'created',
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

/** A whole number of GB within Fly's bounds, or undefined when absent; 400 otherwise. */
function sizeField(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_SIZE_GB)
    throw flyError(400, `${field} must be an integer between 1 and ${MAX_SIZE_GB}`);
  return value;
}

/** Snapshot retention in days (Fly keeps 1 to 60), or undefined when absent; 400 otherwise. */
function retentionField(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 60)
    throw flyError(400, 'snapshot_retention must be an integer between 1 and 60 days');
  return value;
}

function optionalBool(value: unknown, field: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw flyError(400, `${field} must be a boolean`);
  return value;
}

/** A change is refused while the volume is not settled (being forked, restored or destroyed). */
function requireSettled(v: VolumeRecord, action: string): void {
  if (v.state === 'created') return;
  throw flyError(412, `volume ${v.id} is ${v.state}; it cannot ${action} until it is created`);
}

/** Handlers for `/volumes` (MACHINES-API.md §2.3). */
export function volumeRoutes(ctx: RouteContext): Handlers {
  const { store, clock } = ctx;

  /** Where a new volume's data comes from: a snapshot of any of the app's volumes, or another live volume of the app. */
  const sourceOf = (app: string, input: Record<string, unknown>) => {
    const { snapshot_id: snapshotId, source_volume_id: sourceId } = input;
    if (snapshotId !== undefined && sourceId !== undefined) throw flyError(400, 'give either snapshot_id or source_volume_id, not both');
    if (typeof sourceId === 'string') {
      const source = store.volumes.get(sourceId);
      if (!source || source.app !== app || !isLive(source)) throw flyError(404, `source volume not found: ${sourceId}`);
      return { kind: 'fork' as const, sizeGb: source.sizeGb, state: 'hydrating' };
    }
    if (typeof snapshotId === 'string') {
      let found: SnapshotRecord | undefined;
      for (const v of store.volumesOf(app)) found ??= v.snapshots.find((s) => s.id === snapshotId);
      if (!found) throw flyError(404, `snapshot not found: ${snapshotId}`);
      return { kind: 'restore' as const, sizeGb: Math.ceil(found.volumeSize / 1024 ** 3), state: 'restoring' };
    }
    if (snapshotId !== undefined || sourceId !== undefined) throw flyError(400, 'snapshot_id and source_volume_id must be strings');
    return undefined;
  };

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
      const source = sourceOf(params.app_name, input);
      const size = sizeField(input.size_gb, 'size_gb') ?? source?.sizeGb ?? 1;
      if (source && size < source.sizeGb) throw flyError(400, `size_gb must be at least the source's ${source.sizeGb} GB`);
      const fstype = input.fstype ?? 'ext4';
      if (fstype !== 'ext4' && fstype !== 'raw') throw flyError(400, 'fstype must be ext4 or raw');
      const v = createVolumeRecord(ctx, {
        app: params.app_name,
        name: input.name,
        region: input.region,
        sizeGb: size,
        encrypted: optionalBool(input.encrypted, 'encrypted'),
        fstype,
        snapshotRetention: retentionField(input.snapshot_retention),
        autoBackupEnabled: optionalBool(input.auto_backup_enabled, 'auto_backup_enabled'),
        state: source?.state,
      });
      emitVolumeChange(store, 'volume.created', v);
      // A fork or restore copies its data in the background; the volume is usable once that is done.
      if (source) settleVolume(ctx, v, 'created', VOLUME_SETTLE_MS.hydrate);
      return { status: 200, body: volumeToWire(v) };
    },
    'volumes.get': ({ params }) => ({ status: 200, body: volumeToWire(store.getVolume(params.app_name, params.volume_id)) }),
    'volumes.update': ({ params, body }) => {
      const v = store.getVolume(params.app_name, params.volume_id);
      const input = objectBody(body);
      const autoBackup = optionalBool(input.auto_backup_enabled, 'auto_backup_enabled');
      const retention = retentionField(input.snapshot_retention);
      if (!isLive(v)) throw flyError(412, `volume ${v.id} is ${v.state}`);
      if (autoBackup !== undefined) v.autoBackupEnabled = autoBackup;
      if (retention !== undefined) v.snapshotRetention = retention;
      v.updatedAtMs = clock.now();
      emitVolumeChange(store, 'volume.updated', v);
      return { status: 200, body: volumeToWire(v) };
    },
    'volumes.delete': ({ params }) => {
      const v = store.getVolume(params.app_name, params.volume_id);
      if (v.state === 'pending_destroy') throw flyError(412, `volume ${v.id} is already being destroyed`);
      if (v.attachedMachineId && store.machines.get(v.attachedMachineId)?.state !== 'destroyed') {
        throw flyError(412, `volume ${v.id} is attached to machine ${v.attachedMachineId}; destroy the machine first`);
      }
      // Fly answers at once and removes the data a moment later: the volume reads `pending_destroy` until then.
      v.state = 'pending_destroy';
      v.updatedAtMs = clock.now();
      emitVolumeChange(store, 'volume.destroyed', v);
      settleVolume(ctx, v, 'destroyed', VOLUME_SETTLE_MS.destroy);
      return { status: 200, body: volumeToWire(v) };
    },
    'volumes.extend': ({ params, body }) => {
      const v = store.getVolume(params.app_name, params.volume_id);
      const size = objectBody(body).size_gb;
      if (typeof size !== 'number' || !Number.isInteger(size) || size <= v.sizeGb || size > MAX_SIZE_GB) {
        throw flyError(400, `size_gb must be an integer larger than the current size (${v.sizeGb}) and at most ${MAX_SIZE_GB}`);
      }
      requireSettled(v, 'be extended');
      v.sizeGb = size;
      v.updatedAtMs = clock.now();
      emitVolumeChange(store, 'volume.extended', v);
      // A mounted file system grows online only while its machine is stopped; a running one sees it after a restart.
      const attached = v.attachedMachineId ? store.machines.get(v.attachedMachineId) : undefined;
      return { status: 200, body: { needs_restart: attached?.state === 'started', volume: volumeToWire(v) } };
    },
    'volumes.snapshots.list': ({ params }) => {
      const v = store.getVolume(params.app_name, params.volume_id);
      return { status: 200, body: v.snapshots.map(snapshotToWire) };
    },
    'volumes.snapshots.create': ({ params }) => {
      const v = store.getVolume(params.app_name, params.volume_id);
      requireSettled(v, 'be snapshotted');
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
      emitVolumeChange(store, 'volume.snapshot_created', v);
      return { status: 200 };
    },
  };
}
