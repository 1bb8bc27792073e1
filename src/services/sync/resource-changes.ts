/**
 * What the sync job sees of an organization's apps and volumes between two polls, as resource events: apps that
 * appear in or disappear from the org's app list, and volumes created, extended, changed or destroyed according to
 * the org's volume feed. Each run costs two Fly calls (the app list, and the volume feed since the last change seen
 * minus an overlap; one more per further thousand apps or changed volumes), whatever the number of apps.
 *
 * The events carry what a relay's webhook for the same change carries (see the emulator's `volume-states.ts`), so
 * the dedupe store publishes a change once whichever path reports it first. A snapshot taken is not visible here
 * (the feed does not say), nor is what happened to an app between two polls if it came and went in between.
 */
import { orgVolumesPage } from '../../flyio/org-lists.js';
import type { FlyClient } from '../../flyio/types.js';
import type { FlyOrgVolume } from '../../flyio/wire/volume.js';
import { resourceEvent, type GatewayEvent, type ResourceChange } from '../events/types.js';
import { laterThan } from './poll-machines.js';

/** The Fly calls the watcher makes. */
export type ResourceFlyClient = Pick<FlyClient, 'apps' | 'call'>;

/** One poll's events, and how to remember what it saw once they were handed on. */
export interface ResourcePoll {
  events: GatewayEvent[];
  /** Makes this poll's view the one the next poll is compared with (call after every event was handed on). */
  commit(): void;
}

/** Watches an organization's apps and volumes for the sync job. */
export interface ResourceWatcher {
  /** Polls Fly; the first poll only records what exists (no events) and remembers it at once. */
  poll(signal?: AbortSignal): Promise<ResourcePoll>;
}

interface KnownVolume {
  app: string;
  sizeGb: number;
  updatedAt?: string;
  gone: boolean;
}

interface View {
  /** App name → Fly's app id. */
  apps: Map<string, string>;
  volumes: Map<string, KnownVolume>;
  /** The latest `updated_at` the volume feed showed. */
  cursor?: string;
}

const GONE = new Set(['pending_destroy', 'destroyed']);
const MAX_PAGES = 100;

/** Options of {@link createResourceWatcher}. */
export interface ResourceWatcherOptions {
  fly: ResourceFlyClient;
  org: string;
  /** How far back each feed read reaches past the last change seen (Fly shows changes late). @default 30000 */
  overlapMs?: number;
}

/** Creates the watcher; its memory is its own (a new lock holder starts with a fresh baseline). */
export function createResourceWatcher({ fly, org, overlapMs = 30_000 }: ResourceWatcherOptions): ResourceWatcher {
  let known: View | undefined;

  const readVolumes = async (updatedAfter: string | undefined, signal?: AbortSignal): Promise<FlyOrgVolume[]> => {
    const rows: FlyOrgVolume[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const answer = await fly.call(orgVolumesPage, { org, updatedAfter, cursor, includeDeleted: true }, { signal });
      rows.push(...answer.volumes);
      cursor = answer.next_cursor || undefined;
      if (!cursor) break;
    }
    return rows;
  };

  return {
    async poll(signal) {
      const since = known?.cursor ? new Date(Date.parse(known.cursor) - overlapMs).toISOString() : undefined;
      const [apps, rows] = await Promise.all([fly.apps.listAll({ org }, { signal }), readVolumes(since, signal)]);
      const next: View = {
        apps: new Map(apps.map((a) => [a.name, a.id ?? a.name])),
        volumes: new Map(known?.volumes),
        cursor: known?.cursor,
      };
      const changes: ResourceChange[] = [];
      const change = (type: ResourceChange['type'], app: string, resource: ResourceChange['resource']) =>
        changes.push({ type, app, resource, source: 'sync' });

      // An app's creation comes before its volumes' changes, its destruction after them.
      if (known) for (const [name, id] of next.apps) if (!known.apps.has(name)) change('app.created', name, { kind: 'app', id, org });
      for (const row of rows) {
        const app = row.app_name ?? '';
        const before = next.volumes.get(row.id);
        const gone = GONE.has(row.state ?? '');
        const sizeGb = row.size_gb ?? before?.sizeGb ?? 0;
        if (laterThan(row.updated_at, next.cursor)) next.cursor = row.updated_at;
        next.volumes.set(row.id, { app, sizeGb, updatedAt: row.updated_at, gone });
        if (!known || !app || before?.gone) continue;
        const resource = { kind: 'volume' as const, id: row.id };
        if (gone) change('volume.destroyed', app, resource);
        else if (!before) change('volume.created', app, resource);
        else if (sizeGb > before.sizeGb) change('volume.extended', app, { ...resource, state: row.state, version: String(sizeGb) });
        else if (row.updated_at && laterThan(row.updated_at, before.updatedAt))
          change('volume.updated', app, { ...resource, state: row.state, version: row.updated_at });
      }

      if (known) for (const [name, id] of known.apps) if (!next.apps.has(name)) change('app.destroyed', name, { kind: 'app', id, org });
      // An app's volumes go with it; a destroyed volume is kept while the overlap window can still show it.
      const horizon = next.cursor ? Date.parse(next.cursor) - 2 * overlapMs : -Infinity;
      for (const [id, v] of next.volumes) {
        if (!next.apps.has(v.app) || (v.gone && Date.parse(v.updatedAt ?? '') < horizon)) next.volumes.delete(id);
      }

      if (!known) {
        known = next;
        return { events: [], commit: () => undefined };
      }
      return {
        events: changes.map((c) => resourceEvent(c)),
        commit: () => {
          known = next;
        },
      };
    },
  };
}
