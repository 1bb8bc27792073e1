import { describe, expect, it } from 'vitest';
import type { FlyOperation } from '#src/flyio/operation.js';
import type { FlyOrgVolume } from '#src/flyio/wire/volume.js';
import { createResourceWatcher, type ResourceFlyClient } from '#src/services/sync/resource-changes.js';

/** Apps and volumes of one org, and the calls made to read them. */
function world() {
  const apps = new Map<string, string>();
  const volumes = new Map<string, FlyOrgVolume>();
  const calls: { op: string; input: Record<string, unknown> }[] = [];
  const fly = {
    apps: {
      async listAll(input: { org: string }) {
        calls.push({ op: 'apps.listAll', input });
        return [...apps].map(([name, id]) => ({ name, id }));
      },
    },
    async call(operation: FlyOperation<never, unknown>, input: Record<string, unknown>) {
      calls.push({ op: operation.name, input });
      const after = typeof input.updatedAfter === 'string' ? Date.parse(input.updatedAfter) : -Infinity;
      // Oldest change first, as Fly's feed.
      const rows = [...volumes.values()].filter((v) => Date.parse(v.updated_at!) > after);
      return { volumes: rows.sort((a, b) => Date.parse(a.updated_at!) - Date.parse(b.updated_at!)) };
    },
  } as unknown as ResourceFlyClient;
  let now = Date.UTC(2026, 0, 1);
  const at = () => new Date((now += 1_000)).toISOString();
  const volume = (id: string, app: string, changes: Partial<FlyOrgVolume> = {}) =>
    volumes.set(id, { ...volumes.get(id), id, app_name: app, state: 'created', size_gb: 1, ...changes, updated_at: at() });
  return { fly, apps, volumes, calls, volume };
}

const summary = (events: { type: string; app: string; resource?: { id: string; version?: string } }[]) =>
  events.map((e) => [e.type, e.app, e.resource?.id, e.resource?.version ?? null]);

describe('the sync job view of apps and volumes', () => {
  it('should report nothing on the first poll, then each app and volume change once, in two Fly calls a poll', async () => {
    const w = world();
    w.apps.set('old', 'app_old');
    w.volume('vol_old', 'old');
    const watcher = createResourceWatcher({ fly: w.fly, org: 'acme' });
    const baseline = await watcher.poll();
    expect(baseline.events).toEqual([]);
    expect(w.calls.map((c) => c.op)).toEqual(['apps.listAll', 'orgs.volumes']);
    expect(w.calls[1].input).toMatchObject({ org: 'acme', includeDeleted: true, updatedAfter: undefined });

    w.apps.set('new', 'app_new');
    w.volume('vol_new', 'new', { size_gb: 2 });
    w.volume('vol_old', 'old', { size_gb: 5 });
    const first = await watcher.poll();
    expect(summary(first.events)).toEqual([
      ['app.created', 'new', 'app_new', null],
      ['volume.created', 'new', 'vol_new', null],
      ['volume.extended', 'old', 'vol_old', '5'],
    ]);
    first.commit();

    w.volume('vol_new', 'new', { snapshot_retention: 9 });
    w.volume('vol_old', 'old', { state: 'pending_destroy' });
    w.apps.delete('new');
    const second = await watcher.poll();
    expect(summary(second.events)).toEqual([
      ['volume.updated', 'new', 'vol_new', w.volumes.get('vol_new')!.updated_at],
      ['volume.destroyed', 'old', 'vol_old', null],
      ['app.destroyed', 'new', 'app_new', null],
    ]);
    // Each read after the baseline reaches back from the last change seen, less the overlap.
    expect(Date.parse(String(w.calls.at(-1)!.input.updatedAfter))).toBeLessThan(Date.parse(w.volumes.get('vol_old')!.updated_at!));
  });

  it('should report the same changes again when a poll was not committed (its events were not handed on)', async () => {
    const w = world();
    const watcher = createResourceWatcher({ fly: w.fly, org: 'acme' });
    await watcher.poll();
    w.apps.set('late', 'app_late');
    w.volume('vol_late', 'late');
    const lost = await watcher.poll();
    const again = await watcher.poll();
    expect(again.events.map((e) => e.id)).toEqual(lost.events.map((e) => e.id));
    expect(again.events).toHaveLength(2);
    again.commit();
    expect((await watcher.poll()).events).toEqual([]);
  });

  it('should say nothing more of a destroyed volume seen again in the overlap window', async () => {
    const w = world();
    w.apps.set('a', 'app_a');
    w.volume('vol_a', 'a');
    const watcher = createResourceWatcher({ fly: w.fly, org: 'acme' });
    await watcher.poll();
    w.volume('vol_a', 'a', { state: 'destroyed' });
    const gone = await watcher.poll();
    expect(summary(gone.events)).toEqual([['volume.destroyed', 'a', 'vol_a', null]]);
    gone.commit();
    w.volume('vol_a', 'a', { state: 'destroyed' });
    expect((await watcher.poll()).events).toEqual([]);
  });
});
