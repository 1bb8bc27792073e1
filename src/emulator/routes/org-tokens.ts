import type { TokenRegistry } from '../auth.js';
import type { Handlers, RouteContext } from '../context.js';

/**
 * `GET /v1/tokens/current` over several organizations: one entry per organization the token reaches. The
 * emulator's own token reaches every org; a token scoped to apps reaches the orgs that hold those apps.
 */
export function currentTokenRoutes(ctx: RouteContext, tokens: TokenRegistry): Handlers {
  const { store } = ctx;
  return {
    'tokens.current': ({ headers }) => {
      const grant = tokens.describe(headers.authorization);
      const visible = [...store.apps.values()].filter((a) => grant?.apps === 'all' || grant?.apps.includes(a.name));
      const orgs = grant?.apps === 'all' ? [...store.orgs] : [...new Set(visible.map((a) => a.org))];
      return {
        status: 200,
        body: {
          tokens: orgs.map((org) => ({
            org_slug: org,
            organization: org,
            apps: visible
              .filter((a) => a.org === org)
              .map((a) => a.name)
              .sort(),
            user: ctx.owner,
            token_id: 'emulator-token',
          })),
        },
      };
    },
  };
}
