import type { Loaders } from '../services/loaders.js';
import type { Caller } from './auth/caller.js';
import type { StreamSlot } from './stream-limits.js';
import type { Services } from '../services/services.js';

/** What every resolver receives. Resolvers reach Fly only through `loaders` and `services`. */
export interface GraphQLContext {
  /** The caller's services: in fly-token mode its own Fly token and tenant (`services.forCaller`). */
  services: Services;
  /** Who is calling (src/api/auth); undefined only where no caller was resolved (never on a served request). */
  caller?: Caller;
  loaders: Loaders;
  /** The organization whose apps this request sees. */
  org: string;
  /** The organizations the gateway's own token serves (`FLY_ORGS`); empty: asked of Fly (`/v1/tokens/current`). */
  orgs: readonly string[];
  /** Fires when the client goes away; passed to upstream calls so abandoned work stops. */
  signal?: AbortSignal;
  /** Aborted when the gateway stops; subscriptions end on it (queries in flight do not). */
  shutdownSignal: AbortSignal;
  /** The client's address as the server sees it (the socket's remote address); undefined in process. */
  clientAddress?: string;
  /**
   * A live-query slot the transport took before the operation started (graphql-ws, so that a refusal is the
   * operation's `error` message); the live-query plugin takes it over instead of taking one itself.
   */
  liveSlot?: StreamSlot;
}
