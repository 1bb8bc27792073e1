import type { GraphQLSchema } from 'graphql';
import { useDeferStream } from '@graphql-yoga/plugin-defer-stream';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { graphiqlOffReason } from '../config/derived.js';
import type { Config } from '../config/schema.js';
import type { Logger } from '../lib/logger.js';
import type { Metrics } from '../lib/metrics.js';
import type { Services } from '../services/services.js';
import type { UpstreamTracker } from '../services/upstream-tracker.js';
import { callerOf, type Caller } from './auth/caller.js';
import { guardMutations } from './auth/guards.js';
import { useAuth, type AuthPluginOptions } from './auth/plugin.js';
import { useTrustedDocuments, type TrustedDocuments } from './auth/trusted-documents.js';
import type { GraphQLContext } from './context.js';
import { yogaLogging } from './error-log.js';
import { maskError } from './errors.js';
import { exampleTabs, type ExampleTargets } from './http/examples.js';
import { renderOfflineGraphiQL } from './http/graphiql.js';
import type { LiveQueries } from './live/live-queries.js';
import { useLiveQuery } from './live/use-live-query.js';
import type { StreamLimits } from './stream-limits.js';
import type { Route } from './http/routes.js';
import { auditMutations, useAuditLog } from './plugins/audit-log.js';
import { useCors } from './plugins/cors.js';
import { useCsrfPrevention } from './plugins/csrf-prevention.js';
import { useDocumentLimits } from './plugins/document-limits.js';
import { useMaskInputValues } from './plugins/mask-input-values.js';
import { useMaskSuggestions, withoutSuggestions } from './plugins/mask-suggestions.js';
import { useNoIntrospection } from './plugins/no-introspection.js';
import { useNotAcceptableExplained } from './plugins/not-acceptable.js';
import { useOperationMetrics } from './plugins/operation-metrics.js';
import { useRoutes } from './plugins/routes.js';
import { useTracing, type OperationTracing } from './plugins/tracing.js';
import { useSubscriptionMetrics } from './plugins/subscription-metrics.js';
import { useUpstreamCallsExtension } from './plugins/upstream-calls-extension.js';
import { useUpstreamCallsMetric } from './plugins/upstream-calls-metric.js';
import { useResponseCacheFill } from './plugins/response-cache-fill.js';
import { useSharedSubscriptionResults } from './plugins/shared-subscription-results.js';
import type { FillTicket } from './http/response-cache-front.js';

/** Everything the GraphQL HTTP layer needs, injected by the composition root. */
export interface YogaDeps {
  schema: GraphQLSchema;
  config: Readonly<Config>;
  services: Services;
  logger: Logger;
  metrics: Metrics;
  tracker: UpstreamTracker;
  routes: Route[];
  /** Aborted when the gateway stops: ends subscriptions (SSE and WebSocket) so shutdown does not wait on them. Queries keep running. */
  shutdownSignal: AbortSignal;
  /** With the whole-response cache on: the fill ticket of a request its front door marked as a cacheable miss. */
  responseCacheTicket?: (request: Request | undefined) => FillTicket | undefined;
  /** A span per operation when tracing is on. */
  tracing?: OperationTracing;
  /** Who may call (src/api/auth): resolves HTTP callers; `callerOfSocket` gives a graphql-ws socket's. */
  access: Omit<AuthPluginOptions, 'graphqlEndpoint' | 'graphiql'> & {
    callerOfSocket(socket: object): Caller | undefined;
    /** When set, only these operations run (GRAPHQL_TRUSTED_DOCUMENTS). */
    trustedDocuments?: TrustedDocuments;
  };
  /** Where `@live` queries learn what they read and when it changed; without it `@live` runs as a plain query. */
  live?: LiveQueries;
  /** Ids GraphiQL's examples act on, read per page (demo mode); without it the examples hold placeholders. */
  exampleTargets?: () => ExampleTargets | undefined;
  /** Caps on open live queries (and the heap guard); without them live queries are not counted. */
  limits?: StreamLimits;
}

export type GatewayYoga = YogaServerInstance<Record<string, unknown>, GraphQLContext>;

/** Creates the yoga instance: schema, context, limits, error masking, GraphiQL and plain routes. */
export function createGatewayYoga({
  schema,
  config,
  services,
  logger,
  metrics,
  tracker,
  routes,
  shutdownSignal,
  responseCacheTicket,
  tracing,
  access,
  live,
  exampleTargets,
  limits,
}: YogaDeps): GatewayYoga {
  const g = config.graphql;
  return createYoga<Record<string, unknown>, GraphQLContext>({
    // The audit wrapper goes outside the write guard, so refused calls leave a line too.
    schema: auditMutations(guardMutations(schema)),
    graphqlEndpoint: '/graphql',
    landingPage: false,
    // yoga's default echoes any origin with credentials; useCors answers from the configured list instead.
    cors: false,
    logging: yogaLogging(logger),
    maskedErrors: {
      // Variable coercion errors reach the client only through here, with graphql-js's hints still in them.
      maskError: g.maskSuggestions ? (error, message, isDev) => withoutSuggestions(maskError(error, message, isDev)) : maskError,
      isDev: config.env === 'development',
    },
    // Bodies over the limit are refused with 413 before parsing, by Content-Length or while streaming.
    maxRequestBodySize: config.server.bodyLimitBytes,
    // A factory: the examples are computed for each page, with the ids the demo has now.
    graphiql: !graphiqlOffReason(config)
      ? () => {
          const tabs = exampleTabs(exampleTargets?.());
          return {
            title: 'Flygate',
            defaultQuery: tabs[0].query,
            defaultTabs: tabs,
            subscriptionsProtocol: 'WS',
            // GraphiQL streams @live queries over SSE, by GET unless told otherwise; a POST passes the CSRF guard.
            method: 'POST',
          };
        }
      : false,
    renderGraphiQL: renderOfflineGraphiQL,
    // Over WebSockets there is no Request (graphql-ws passes its own context), hence the optional chaining.
    // The caller comes from the auth plugin (HTTP) or the socket's connection_init (graphql-ws).
    // clientAddress: graphql-ws passes the socket's; over HTTP node's request (`req`) has it.
    context: ({
      request,
      socket,
      req,
      clientAddress,
    }: {
      request?: Request;
      socket?: object;
      req?: { socket?: { remoteAddress?: string } };
      clientAddress?: string;
    }): GraphQLContext => {
      const caller = request ? callerOf(request) : socket ? access.callerOfSocket(socket) : undefined;
      const own = caller ? services.forCaller(caller) : services;
      return {
        services: own,
        caller,
        loaders: own.createLoaders(request?.signal),
        org: config.fly.org,
        orgs: config.fly.orgs,
        signal: request?.signal,
        shutdownSignal,
        clientAddress: clientAddress ?? req?.socket?.remoteAddress,
      };
    },
    plugins: [
      ...(tracing ? [useTracing(tracing)] : []),
      useCors(config.server),
      useRoutes(routes),
      useNotAcceptableExplained({ graphqlEndpoint: '/graphql', graphiqlOff: graphiqlOffReason(config) }),
      useAuth({ admission: access.admission, alreadyCharged: access.alreadyCharged, graphiql: g.graphiql, graphqlEndpoint: '/graphql' }),
      useAuditLog(logger),
      ...(access.trustedDocuments ? [useTrustedDocuments(access.trustedDocuments)] : []),
      useCsrfPrevention(),
      // @defer and @stream over HTTP: multipart/mixed or SSE, as the client's Accept asks (docs/CLIENTS.md).
      useDeferStream(),
      useDocumentLimits(g),
      ...(g.maskSuggestions ? [useMaskSuggestions()] : []),
      // Write-only inputs (private keys, secret values) must not come back quoted in a coercion error.
      useMaskInputValues(),
      ...(g.introspection ? [] : [useNoIntrospection()]),
      ...(g.exposeUpstreamCalls ? [useUpstreamCallsExtension(tracker)] : []),
      useOperationMetrics(metrics),
      useSubscriptionMetrics(metrics),
      useUpstreamCallsMetric(tracker, metrics),
      ...(responseCacheTicket ? [useResponseCacheFill(responseCacheTicket, tracker)] : []),
      ...(live ? [useLiveQuery(live, limits)] : []),
      // Last: it replaces the subscribe function, after every plugin above has seen the operation.
      useSharedSubscriptionResults((context) => (context as { caller?: { tenant?: string } }).caller?.tenant ?? ''),
    ],
  });
}
