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
  /** Aborted when the gateway stops; subscriptions end on it (queries in flight do not). */
  shutdownSignal: AbortSignal;
}
