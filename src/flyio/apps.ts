/** The Apps resource: `/v1/apps`. */
import { collectPages } from './pagination.js';
import { requireNonEmpty, segment } from './request-parts.js';
import type { Requester } from './request.js';
import type { AppsApi } from './types.js';
import { flyAppSchema, flyCreateAppResponseSchema, flyListAppsResponseSchema } from './wire/app.js';

/** Builds the apps API over a requester. */
export function createAppsApi(requester: Requester): AppsApi {
  const apps: AppsApi = {
    async list(input, options) {
      const body = await requester.call({
        operation: 'apps.list',
        method: 'GET',
        path: '/apps',
        query: {
          org_slug: requireNonEmpty('apps.list', 'org', input.org),
          app_role: input.appRole,
          limit: input.limit,
          cursor: input.cursor,
        },
        schema: flyListAppsResponseSchema,
        rateScope: input.org,
        options,
      });
      return { items: body.apps, nextCursor: body.next_cursor || undefined, totalCount: body.total_apps };
    },

    listAll(input, options) {
      return collectPages('apps.listAll', (cursor) => apps.list({ ...input, cursor }, options));
    },

    async get(app, options) {
      return requester.call({
        operation: 'apps.get',
        method: 'GET',
        path: `/apps/${segment('apps.get', 'app', app)}`,
        schema: flyAppSchema,
        rateScope: app,
        options,
      });
    },

    async create(input, options) {
      // The spec's field is `name`; `app_name` (older docs, fly-admin) is deliberately not sent as well, so the
      // emulator and Fly are held to one reading.
      return requester.call({
        operation: 'apps.create',
        method: 'POST',
        path: '/apps',
        body: {
          name: requireNonEmpty('apps.create', 'name', input.name),
          org_slug: requireNonEmpty('apps.create', 'org', input.org),
          network: input.network,
          enable_subdomains: input.enableSubdomains,
        },
        schema: flyCreateAppResponseSchema,
        rateScope: input.org,
        options,
      });
    },

    async delete(app, options) {
      await requester.call({
        operation: 'apps.delete',
        method: 'DELETE',
        path: `/apps/${segment('apps.delete', 'app', app)}`,
        rateScope: app,
        options,
      });
    },
  };
  return apps;
}
