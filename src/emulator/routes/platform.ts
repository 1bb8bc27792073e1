import type { Handlers, RouteContext } from '../context.js';
import { REGIONS } from '../regions.js';

/** Region catalogue and token introspection. */
export function platformRoutes(ctx: RouteContext): Handlers {
  return {
    'platform.regions': () => ({
      status: 200,
      body: {
        nearest: ctx.defaultRegion,
        regions: REGIONS.map((r) => ({ ...r, gateway_available: true, deprecated: false, mpg_available: r.geo_region !== 'af' })),
      },
    }),
    'tokens.current': () => ({
      status: 200,
      body: {
        tokens: [
          {
            org_slug: ctx.store.org,
            organization: ctx.store.org,
            apps: [...ctx.store.apps.keys()].sort(),
            user: ctx.owner,
            token_id: 'emulator-token',
          },
        ],
      },
    }),
  };
}
