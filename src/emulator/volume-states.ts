/**
 * A volume's life in the emulator: `created`, `hydrating` while a fork copies its source, `restoring` while a
 * snapshot is written back, `pending_destroy` between a delete and the data being gone, then `destroyed`. The
 * transient states settle on the emulator's clock; each change is announced as a resource change for relays.
 */
import type { RouteContext } from './context.js';
import type { Store } from './store.js';
import type { VolumeRecord } from './types.js';

/** How long the transient states last, in ms of the emulator clock. */
export const VOLUME_SETTLE_MS = { hydrate: 1_500, destroy: 1_000 } as const;

/** Whether the volume still exists for its owner (not being destroyed, not destroyed). */
export function isLive(v: VolumeRecord): boolean {
  return v.state !== 'pending_destroy' && v.state !== 'destroyed';
}

/** Volume change kinds the emulator announces. */
export type VolumeChangeType = 'volume.created' | 'volume.updated' | 'volume.extended' | 'volume.destroyed' | 'volume.snapshot_created';

/**
 * Announces a volume change. What rides along is what a poller of the org's volume list can see too, so both paths
 * name one change alike (the gateway de-duplicates on it): a creation or a destruction is its id alone (ids never
 * come back), an extension its new size in GB, an update its `updated_at`, a snapshot the snapshot's id.
 */
export function emitVolumeChange(store: Store, type: VolumeChangeType, v: VolumeRecord): void {
  const resource = { kind: 'volume' as const, id: v.id };
  switch (type) {
    case 'volume.extended':
      return store.emitResource(type, v.app, { ...resource, state: v.state, version: String(v.sizeGb) });
    case 'volume.updated':
      return store.emitResource(type, v.app, { ...resource, state: v.state, version: new Date(v.updatedAtMs).toISOString() });
    case 'volume.snapshot_created':
      return store.emitResource(type, v.app, { ...resource, version: v.snapshots[v.snapshots.length - 1]?.id });
    default:
      return store.emitResource(type, v.app, resource);
  }
}

/** Moves a volume from its transient state to `to` after `ms`, unless something else changed it meanwhile. */
export function settleVolume(ctx: RouteContext, v: VolumeRecord, to: 'created' | 'destroyed', ms: number): void {
  const from = v.state;
  ctx.clock.setTimeout(() => {
    if (ctx.store.volumes.get(v.id) !== v || v.state !== from) return;
    v.state = to;
    v.updatedAtMs = ctx.clock.now();
    // The end of a fork or restore is a change subscribers care about; the end of a destroy was announced already.
    if (to === 'created') emitVolumeChange(ctx.store, 'volume.updated', v);
  }, ms);
}
