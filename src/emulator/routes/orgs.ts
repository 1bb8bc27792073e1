import type { Handlers, RouteContext } from '../context.js';
import { comparePositions, paginate, type CursorPosition } from '../cursor.js';
import { flyError } from '../http-error.js';
import { flag, intQuery } from '../request-helpers.js';
import { orgMachineToWire, volumeToWire } from '../serialize.js';

function updatedAfter(query: URLSearchParams): number | undefined {
  const raw = query.get('updated_after');
  if (!raw) return undefined;
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) throw flyError(400, `invalid updated_after (RFC 3339 expected): ${raw}`);
  return ms;
}

function page<T extends { updatedAtMs: number; id: string }>(items: T[], query: URLSearchParams) {
  const position = (x: T): CursorPosition => ({ at: x.updatedAtMs, id: x.id });
  const cursor = query.get('cursor');
  // A cursor wins over updated_after, as the spec says.
  const after = cursor ? undefined : updatedAfter(query);
  const sorted = items
    .filter((x) => after === undefined || x.updatedAtMs > after)
    .sort((a, b) => comparePositions(position(a), position(b)));
  return paginate(sorted, position, cursor, intQuery(query, 'limit', 1, 1000) ?? 1000);
}

/** Org-wide, polling-oriented listings sorted by `updated_at` ascending (MACHINES-API.md §2.4, §10). */
export function orgRoutes(ctx: RouteContext): Handlers {
  const { store } = ctx;
  const orgApps = (slug: string) => {
    const org = store.resolveOrg(slug);
    if (!org) throw flyError(404, 'Could not find Organization');
    return new Set([...store.apps.values()].filter((a) => a.org === org).map((a) => a.name));
  };

  return {
    'orgs.machines': ({ params, query, canSee }) => {
      const apps = orgApps(params.org_slug);
      const states = (query.get('state') ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const region = query.get('region');
      const includeDeleted = flag(query, 'include_deleted');
      const matching = [...store.machines.values()].filter(
        (m) =>
          apps.has(m.app) &&
          canSee(m.app) &&
          (includeDeleted || m.state !== 'destroyed') &&
          (states.length === 0 || states.includes(m.state)) &&
          (!region || m.region === region),
      );
      const { page: rows, next } = page(matching, query);
      const last = rows[rows.length - 1];
      // A summary leaves the config (image, guest, metadata) out, as the per-app list's summary does.
      const summary = flag(query, 'summary');
      const body: Record<string, unknown> = {
        machines: rows.map((m) => {
          const row = orgMachineToWire(m);
          if (summary) delete row.config;
          return row;
        }),
      };
      if (next) body.next_cursor = next;
      if (last) {
        body.last_updated_at = new Date(last.updatedAtMs).toISOString();
        body.last_machine_id = last.id;
      } else if (query.get('updated_after')) {
        body.last_updated_at = query.get('updated_after');
      }
      return { status: 200, body };
    },
    'orgs.volumes': ({ params, query, canSee }) => {
      const apps = orgApps(params.org_slug);
      const includeDeleted = flag(query, 'include_deleted');
      // A scoped token sees the volumes of its own apps only, as with machines.
      const matching = [...store.volumes.values()].filter(
        (v) => apps.has(v.app) && canSee(v.app) && (includeDeleted || v.state !== 'destroyed'),
      );
      const { page: rows, next } = page(matching, query);
      const last = rows[rows.length - 1];
      const body: Record<string, unknown> = { volumes: rows.map((v) => volumeToWire(v, true)) };
      if (next) body.next_cursor = next;
      if (last) {
        body.last_updated_at = new Date(last.updatedAtMs).toISOString();
        body.last_volume_id = last.id;
      }
      return { status: 200, body };
    },
  };
}
