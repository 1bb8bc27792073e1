import type { Handlers, RouteContext } from '../context.js';
import { flyError } from '../http-error.js';
import { intQuery, objectBody } from '../request-helpers.js';
import { appToWire } from '../serialize.js';
import type { AppRecord } from '../types.js';

const APP_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

/** Cursor for the apps list: base64url of the last app name returned (apps are listed by name). */
const encodeCursor = (name: string): string => Buffer.from(name).toString('base64url');
const decodeCursor = (cursor: string): string => Buffer.from(cursor, 'base64url').toString('utf8');

/** Creates an app record (shared by the route and the seed/control API). */
export function createAppRecord(ctx: RouteContext, name: string, network = 'default', org = ctx.store.org): AppRecord {
  const app: AppRecord = {
    id: ctx.ids.shortId(14),
    name,
    org,
    network,
    internalNumericId: 100_000 + Math.floor(Math.random() * 900_000),
    createdAtMs: ctx.clock.now(),
  };
  ctx.store.apps.set(name, app);
  return app;
}

/** Announces a new app to relays (the HTTP route does; the control API's setup does not, as the seed's apps are not news). */
export function announceApp(ctx: RouteContext, app: AppRecord): void {
  ctx.store.emitResource('app.created', app.name, { kind: 'app', id: app.id, org: app.org });
}

/**
 * Destroys an app with its machines and volumes. Fly does the same: `DELETE /v1/apps/{app}` takes no parameters and
 * answers 202 whatever the app still holds (the spec and MACHINES-API.md §2.1 list no refusal), so nothing here
 * refuses an app that is not empty; a gateway that wants that guard checks before it asks.
 */
export function deleteAppRecord(ctx: RouteContext, name: string): void {
  const app = ctx.store.getApp(name);
  for (const m of ctx.store.machinesOf(name)) {
    ctx.lifecycle.destroyNow(m);
    ctx.store.machines.delete(m.id);
  }
  for (const v of ctx.store.volumesOf(name)) ctx.store.volumes.delete(v.id);
  ctx.secrets.drop(name);
  // Its hostnames and addresses go with it (the hostnames become free for other apps).
  for (const c of [...ctx.store.certificates.values()]) if (c.app === name) ctx.store.certificates.delete(c.hostname);
  for (const ip of [...ctx.store.ips.values()]) if (ip.app === name) ctx.store.ips.delete(ip.ip);
  ctx.store.apps.delete(name);
  ctx.store.emitResource('app.destroyed', name, { kind: 'app', id: app.id, org: app.org });
}

/** Handlers for `/v1/apps` (MACHINES-API.md §2.1). */
export function appRoutes(ctx: RouteContext): Handlers {
  const { store } = ctx;
  const wire = (app: AppRecord) =>
    appToWire(
      app,
      store.machinesOf(app.name).filter((m) => m.state !== 'destroyed').length,
      store.volumesOf(app.name).filter((v) => v.state !== 'destroyed').length,
    );
  const idempotency = new Map<string, string>();

  return {
    'apps.list': ({ query, canSee }) => {
      const slug = query.get('org_slug');
      if (!slug) throw flyError(400, 'org_slug is required');
      const org = store.resolveOrg(slug);
      if (!org) throw flyError(404, 'Could not find Organization');
      const all = [...store.apps.values()].filter((a) => a.org === org && canSee(a.name)).sort((a, b) => a.name.localeCompare(b.name));
      const limit = intQuery(query, 'limit', 1, 5000);
      const cursor = query.get('cursor');
      const after = cursor ? decodeCursor(cursor) : undefined;
      const rest = after === undefined ? all : all.filter((a) => a.name.localeCompare(after) > 0);
      const page = limit === undefined ? rest : rest.slice(0, limit);
      const body: Record<string, unknown> = { apps: page.map(wire), total_apps: all.length };
      if (page.length < rest.length) body.next_cursor = encodeCursor(page[page.length - 1].name);
      return { status: 200, body };
    },
    'apps.create': ({ body, canSee }) => {
      const input = objectBody(body);
      // The spec names the field `name`; fly-admin and the docs' prose send `app_name`.
      const name = (input.name ?? input.app_name) as unknown;
      const orgSlug = typeof input.org_slug === 'string' ? input.org_slug : 'personal';
      const key = typeof input.idempotency_key === 'string' ? input.idempotency_key : undefined;
      if (key && idempotency.has(key)) {
        const first = store.apps.get(idempotency.get(key)!);
        if (first && (name === undefined || name === first.name))
          return { status: 201, body: { id: first.id, created_at: first.createdAtMs } };
        throw flyError(422, 'idempotency_key was already used with a different app name');
      }
      if (typeof name !== 'string' || !APP_NAME.test(name))
        throw flyError(400, 'app name must be 3-63 lowercase letters, digits or dashes');
      const org = store.resolveOrg(orgSlug);
      if (!org) throw flyError(404, 'Could not find Organization');
      // A token scoped to some apps may create only those (one minted for the name); the org's own token any. A token
      // without the right is answered 401, as the emulator answers a read-only token's writes.
      if (!canSee(name)) throw flyError(401, `unauthorized: this token may not create apps in ${orgSlug}`);
      if (store.apps.has(name)) throw flyError(422, `Name "${name}" is already taken`, 'name_taken');
      const app = createAppRecord(ctx, name, typeof input.network === 'string' && input.network ? input.network : 'default', org);
      announceApp(ctx, app);
      if (key) idempotency.set(key, name);
      return { status: 201, body: { id: app.id, created_at: app.createdAtMs } };
    },
    'apps.get': ({ params }) => ({ status: 200, body: wire(store.getApp(params.app_name)) }),
    'apps.delete': ({ params }) => {
      store.getApp(params.app_name);
      deleteAppRecord(ctx, params.app_name);
      return { status: 202 };
    },
  };
}
