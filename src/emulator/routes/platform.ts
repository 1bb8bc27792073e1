import type { Handlers, RouteContext } from '../context.js';
import { REGIONS } from '../regions.js';

/** Region catalogue (token introspection is in org-tokens.ts). */
export function platformRoutes(ctx: RouteContext): Handlers {
  return {
    'platform.regions': () => ({
      status: 200,
      body: {
        nearest: ctx.defaultRegion,
        regions: REGIONS.map((r) => ({ ...r, gateway_available: true, deprecated: false, mpg_available: r.geo_region !== 'af' })),
      },
    }),
  };
}
