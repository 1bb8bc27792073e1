/**
 * The HTTP entrance: yoga with its plugins, the routes beside it (health, metrics, webhooks, GraphiQL assets), and
 * the whole-response cache in front of it. Gives the node:http handler and the in-process `fetch`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { allows, type AuthFailure, type Caller } from '../api/auth/caller.js';
import { createResponseCacheFront, type FillTicket } from '../api/http/response-cache-front.js';
import { graphiqlAssetRoute, healthRoutes } from '../api/http/routes.js';
import { admitSse } from '../api/http/sse-admission.js';
import { createNodeWebhookHandler, createWebhookHandler, WEBHOOK_PATH, webhookRoute } from '../api/http/webhook-route.js';
import { traceResponseCacheHit } from '../api/plugins/tracing.js';
import { buildSchema, buildSubgraphSchema } from '../api/schema/index.js';
import { createGatewayYoga, type GatewayYoga } from '../api/yoga.js';
import type { Config } from '../config/schema.js';
import type { Access } from './access.js';
import type { Core, Platform } from './core.js';

/** What {@link createHttpEntry} builds. */
export interface HttpEntry {
  yoga: GatewayYoga;
  /** node:http's request handler (webhooks first, then SSE admission, the response cache, yoga). */
  handleNode(req: IncomingMessage, res: ServerResponse): unknown;
  /** The same in process, without a socket (`gateway.fetch`). */
  handleFetch(request: Request): Promise<Response>;
}

/** Builds the HTTP entrance; `shutdownSignal` ends every subscription when the gateway stops. */
export function createHttpEntry(
  config: Readonly<Config>,
  platform: Platform,
  core: Core,
  access: Access,
  shutdownSignal: AbortSignal,
): HttpEntry {
  const { clock, logger, metrics, tracker, traced } = platform;
  const { admission, wsAccess, trustedDocuments } = access;
  const { responseCache, limits } = core;
  const webhookOptions = { receiver: core.receiver, maxBodyBytes: config.webhooks.maxBodyBytes, metrics };
  const nodeWebhook = createNodeWebhookHandler(webhookOptions);
  const routes = [healthRoutes({ health: core.health, metrics }), webhookRoute(createWebhookHandler(webhookOptions)), graphiqlAssetRoute()];
  // Misses the front door marked as cacheable, by the request yoga sees; the fill plugin reads them.
  const tickets = new WeakMap<Request, FillTicket>();
  const ticketOf = (request: Request | undefined) => (request ? tickets.get(request) : undefined);

  const yoga = createGatewayYoga({
    schema: config.graphql.federation ? buildSubgraphSchema() : buildSchema(),
    config,
    services: core.services,
    logger,
    metrics,
    tracker,
    routes,
    shutdownSignal,
    responseCacheTicket: responseCache ? ticketOf : undefined,
    tracing: traced,
    access: {
      admission,
      callerOfSocket: wsAccess.callerOf,
      trustedDocuments,
      // The front door spent the allowance of a request it marked; the pipeline must not spend it again.
      alreadyCharged: (request) => ticketOf(request) !== undefined,
    },
    live: core.live,
    exampleTargets: core.examples?.targets,
    limits,
  });
  const front = responseCache
    ? createResponseCacheFront({
        cache: responseCache,
        clock,
        tickets,
        // The pipeline's own rule, for a read; anything it would refuse goes on to the pipeline, which answers it.
        admit: (authorization, address) => {
          const admitCaller = (caller: Caller | AuthFailure) => {
            if (typeof caller === 'string' || !allows(caller, 'read')) return undefined;
            const verdict = admission.charge(caller, address);
            return 'then' in verdict ? verdict.then((v) => (v.ok ? caller.tenant : undefined)) : verdict.ok ? caller.tenant : undefined;
          };
          const caller = admission.identify(authorization);
          return typeof caller !== 'string' && 'then' in caller ? caller.then(admitCaller) : admitCaller(caller);
        },
        exposeUpstreamCalls: config.graphql.exposeUpstreamCalls,
        onLookup: (outcome) => metrics.cacheReads.inc({ entity: 'response', outcome }),
        onHit: traced ? (header) => traceResponseCacheHit(traced, header) : undefined,
        yogaFetch: (request, serverContext) => Promise.resolve(yoga.fetch(request, serverContext)),
      })
    : undefined;

  return {
    yoga,
    handleNode(req, res) {
      // Webhooks are not GraphQL and come in bursts: straight to their handler (in process they go through yoga's route).
      if (req.url === WEBHOOK_PATH) return nodeWebhook(req, res);
      if (!admitSse(limits, req, res)) return undefined;
      return front ? front.handleNode(req, res, yoga.requestListener) : yoga.requestListener(req, res);
    },
    handleFetch: (request) =>
      front ? front.handleFetch(request, async (forwarded) => yoga.fetch(forwarded)) : Promise.resolve(yoga.fetch(request)),
  };
}
