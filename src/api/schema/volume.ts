import type { FlyVolume } from '../../flyio/wire/volume.js';
import { machineKey, splitKey, volumeKey } from '../../services/loaders.js';
import { builder } from '../builder.js';
import type { GraphQLContext } from '../context.js';
import { AppRef } from './app.js';
import { resolveFlyConnection, type ConnectionArgs } from './fly-connection.js';
import { appNameSchema } from './inputs.js';
import { MachineRef, nullOnNotFound } from './machines/machine.js';
import { parseTimestamp } from './scalars.js';
import { VolumeSnapshotRef } from './volume-snapshot.js';

/** A volume with its app (Fly's volume body does not name its app). */
export interface VolumeParent {
  appName: string;
  volume: FlyVolume;
}

/** GraphQL `Volume`, backed by a Fly volume body and its app. */
export const VolumeRef = builder.objectRef<VolumeParent>('Volume');

builder.node(VolumeRef, {
  description: 'A Fly Volume: persistent storage in one region, attachable to one machine at a time.',
  id: { resolve: (p) => volumeKey(p.appName, p.volume.id) },
  loadOne: async (key, ctx) => {
    const parts = splitKey(key);
    if (!parts) return null;
    const volume = await ctx.loaders.volume.load(key).catch(nullOnNotFound);
    return volume ? { appName: parts.app, volume } : null;
  },
  fields: (t) => ({
    volumeId: t.string({ description: "Fly's volume id (vol_...).", resolve: (p) => p.volume.id }),
    appName: t.exposeString('appName'),
    name: t.string({ nullable: true, resolve: (p) => p.volume.name ?? null }),
    state: t.string({
      nullable: true,
      description: 'created, extending, restoring, destroyed, ...',
      resolve: (p) => p.volume.state ?? null,
    }),
    sizeGb: t.int({ nullable: true, resolve: (p) => p.volume.size_gb ?? null }),
    region: t.string({ nullable: true, resolve: (p) => p.volume.region ?? null }),
    zone: t.string({ nullable: true, resolve: (p) => p.volume.zone ?? null }),
    encrypted: t.boolean({ nullable: true, resolve: (p) => p.volume.encrypted ?? null }),
    fstype: t.string({ nullable: true, resolve: (p) => p.volume.fstype ?? null }),
    hostStatus: t.string({ nullable: true, resolve: (p) => p.volume.host_status ?? null }),
    snapshotRetention: t.int({
      nullable: true,
      description: 'Days snapshots are kept.',
      resolve: (p) => p.volume.snapshot_retention ?? null,
    }),
    autoBackupEnabled: t.boolean({ nullable: true, resolve: (p) => p.volume.auto_backup_enabled ?? null }),
    createdAt: t.field({ type: 'DateTime', nullable: true, resolve: (p) => parseTimestamp(p.volume.created_at) }),
    attachedMachineId: t.string({ nullable: true, resolve: (p) => p.volume.attached_machine_id ?? null }),
    attachedMachine: t.field({
      type: MachineRef,
      nullable: true,
      description: 'The machine the volume is mounted in, if any (shares the machine loader with other fields).',
      resolve: async (p, _args, ctx) => {
        const id = p.volume.attached_machine_id;
        if (!id) return null;
        const machine = await ctx.loaders.machine.load(machineKey(p.appName, id)).catch(nullOnNotFound);
        return machine ? { appName: p.appName, machine } : null;
      },
    }),
    snapshots: t.field({
      type: [VolumeSnapshotRef],
      description: 'Snapshots of this volume (one Fly call per volume).',
      resolve: (p, _args, ctx) => ctx.loaders.volumeSnapshots.load(volumeKey(p.appName, p.volume.id)),
    }),
  }),
});

/** A page of volumes. */
export const VolumeConnection = builder.connectionObject({ type: VolumeRef, name: 'VolumeConnection' });

/** Volumes of one app as a connection over Fly's list. */
async function resolveVolumeConnection(app: string, args: ConnectionArgs, ctx: GraphQLContext) {
  return resolveFlyConnection(
    args,
    {
      all: () => ctx.loaders.volumes.load(app),
      page: (cursor, limit) => ctx.loaders.volumesPage.load({ filter: app, cursor, limit }),
    },
    (volume) => ({ appName: app, volume }),
  );
}

builder.objectField(AppRef, 'volumes', (t) =>
  t.connection(
    { type: VolumeRef, description: "This app's volumes.", resolve: (app, args, ctx) => resolveVolumeConnection(app.name, args, ctx) },
    VolumeConnection,
  ),
);

builder.queryField('volumes', (t) =>
  t.connection(
    {
      type: VolumeRef,
      description: 'Volumes of one app.',
      args: { app: t.arg.string({ required: true, description: 'App name.', validate: { schema: appNameSchema } }) },
      resolve: (_root, args, ctx) => resolveVolumeConnection(args.app, args, ctx),
    },
    VolumeConnection,
  ),
);
