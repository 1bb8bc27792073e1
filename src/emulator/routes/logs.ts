import type { Handlers, RouteContext } from '../context.js';
import { flyError } from '../http-error.js';
import type { LogStore } from '../log-store.js';

/**
 * `GET /api/v1/apps/{app}/logs` (api.fly.io, not the Machines API): a page of the app's log lines after
 * `next_token`, filtered by `instance` and `region`; without a token, from `start_time` (RFC 3339) or the oldest line
 * kept. The answer always carries a `next_token`, the same one again when nothing new arrived.
 */
export function logRoutes(ctx: RouteContext, logs: LogStore): Handlers {
  return {
    'logs.list': ({ params, query }) => {
      const app = ctx.store.getApp(params.app_name).name;
      const startText = query.get('start_time');
      const startTime = startText ? Date.parse(startText) : undefined;
      if (startTime !== undefined && Number.isNaN(startTime)) throw flyError(400, 'invalid start_time');
      const page = logs.query({
        app,
        nextToken: query.get('next_token') || undefined,
        startTime,
        instance: query.get('instance') || undefined,
        region: query.get('region') || undefined,
      });
      return {
        status: 200,
        body: {
          data: page.lines.map((line) => ({
            id: `${line.app}-${line.seq}`,
            type: 'logs',
            attributes: {
              timestamp: new Date(line.at).toISOString(),
              message: line.message,
              level: line.level,
              instance: line.instance,
              region: line.region,
              meta: { event: { provider: 'app' } },
            },
          })),
          meta: { next_token: page.nextToken },
        },
      };
    },
  };
}
