import { anySignal } from '../../lib/signals.js';
import type { GraphQLContext } from '../context.js';

/**
 * A subscription ends when its client goes away (SSE: the request's signal; graphql-ws ends it through `return()`)
 * or when the gateway stops. Combined only here, per subscription: queries never pay for it. (`AbortSignal.any`
 * would not do: Node 24 refuses yoga's proxied request signal.)
 */
export function subscriptionSignal(ctx: GraphQLContext): AbortSignal {
  return ctx.signal ? anySignal([ctx.signal, ctx.shutdownSignal]) : ctx.shutdownSignal;
}
