import type { Loaders } from '../services/loaders.js';
import type { Services } from '../services/services.js';

/** What every resolver receives. Resolvers reach Fly only through `loaders` and `services`. */
export interface GraphQLContext {
  services: Services;
  loaders: Loaders;
  /** The organization whose apps this request sees. */
  org: string;
  /** Fires when the client goes away; passed to upstream calls so abandoned work stops. */
  signal?: AbortSignal;
  /** Ends a subscription: the client went away or the gateway is stopping. */
  subscriptionSignal: AbortSignal;
}
