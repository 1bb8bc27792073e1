import type { GraphQLContext } from '../api/context.js';

// One question to Fly per request, however many fields ask: keyed by the request's loaders, which live as long as it.
const asked = new WeakMap<object, Promise<string[]>>();

/**
 * The organizations a request's token reaches. The gateway's own token serves the configured list (`FLY_ORGS`) when
 * there is one, at no upstream cost; a caller's own Fly token (fly-token mode), or the gateway's token with no list,
 * is described by Fly: one `GET /v1/tokens/current` per request, each of its entries naming an org.
 */
export function reachableOrgs(ctx: Pick<GraphQLContext, 'caller' | 'orgs' | 'services' | 'loaders' | 'signal'>): Promise<string[]> {
  if (!ctx.caller?.flyAuthorization && ctx.orgs.length > 0) return Promise.resolve([...ctx.orgs]);
  let pending = asked.get(ctx.loaders);
  if (!pending) {
    pending = ctx.services.fly.tokens.current(ctx.signal ? { signal: ctx.signal } : undefined).then((answer) => {
      const slugs = answer.tokens.map((token) => token.org_slug).filter((slug): slug is string => typeof slug === 'string' && slug !== '');
      return [...new Set(slugs)];
    });
    asked.set(ctx.loaders, pending);
  }
  return pending;
}
