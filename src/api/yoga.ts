import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { getOperationAST, GraphQLError, NoSchemaIntrospectionCustomRule, type GraphQLSchema, type ValidationContext } from 'graphql';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { Config } from '../config/schema.js';
import type { Logger } from '../infra/logger.js';
import type { Metrics } from '../infra/metrics.js';
import { Histogram } from 'prom-client';
import type { Services } from '../services/services.js';
import type { UpstreamTracker } from '../services/upstream-tracker.js';
import type { GraphQLContext } from './context.js';
import { maskError } from './errors.js';
import { exampleTabs } from './http/examples.js';
import { renderOfflineGraphiQL } from './http/graphiql.js';
import { useRoutes, type Route } from './http/routes.js';

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
}

export type GatewayYoga = YogaServerInstance<Record<string, unknown>, GraphQLContext>;

/** Name of the histogram of Fly calls per GraphQL operation. */
export const UPSTREAM_CALLS_PER_OPERATION = 'flygate_graphql_upstream_calls';

/**
 * Records how many Fly calls each operation made, so an N+1 regression shows up in metrics as well as in the
 * development-only `extensions.upstreamCalls`.
 */
function useUpstreamCallsMetric(tracker: UpstreamTracker, metrics: Metrics): Plugin {
  const registry = metrics.registry;
  const histogram =
    (registry.getSingleMetric(UPSTREAM_CALLS_PER_OPERATION) as Histogram<'operation_type'> | undefined) ??
    new Histogram({
      name: UPSTREAM_CALLS_PER_OPERATION,
      help: 'Fly Machines API calls made to serve one GraphQL operation, by operation type.',
      labelNames: ['operation_type'],
      buckets: [0, 1, 2, 3, 5, 10, 20, 50, 100],
      registers: [registry],
    });
  return {
    onExecute: ({ args }) => {
      const operationType = getOperationAST(args.document, args.operationName)?.operation ?? 'unknown';
      return {
        onExecuteDone: () => {
          const tally = tracker.current();
          if (tally) histogram.observe({ operation_type: operationType }, tally.calls);
        },
      };
    },
  };
}

/** Adds `extensions.upstreamCalls` (Fly calls made for this operation) when enabled. */
function useUpstreamCallsExtension(tracker: UpstreamTracker): Plugin {
  return {
    onExecute: () => ({
      onExecuteDone: ({ result, setResult }) => {
        const tally = tracker.current();
        if (!tally || !result || Symbol.asyncIterator in result) return;
        setResult({ ...result, extensions: { ...result.extensions, upstreamCalls: { total: tally.calls, byOperation: { ...tally.byOperation } } } });
      },
    }),
  };
}

/** Counts operations by type and outcome. */
function useOperationMetrics(metrics: Metrics): Plugin {
  return {
    onExecute: ({ args }) => {
      const operation = getOperationAST(args.document, args.operationName);
      const operationType = operation?.operation ?? 'unknown';
      return {
        onExecuteDone: ({ result }) => {
          const failed = result && !(Symbol.asyncIterator in result) && (result.errors?.length ?? 0) > 0;
          metrics.graphqlOperations.inc({ operation_type: operationType, outcome: failed ? 'error' : 'ok' });
        },
      };
    },
  };
}

/** Stable `extensions.code` of each document limit, so clients and tests need not parse messages. */
export const LimitCode = {
  Depth: 'MAX_DEPTH_EXCEEDED',
  Aliases: 'MAX_ALIASES_EXCEEDED',
  Tokens: 'MAX_TOKENS_EXCEEDED',
  Cost: 'MAX_COST_EXCEEDED',
  Directives: 'MAX_DIRECTIVES_EXCEEDED',
} as const;

/** Armor prefixes every rejection with "Syntax Error:", which misleads: the document parsed fine. */
function limitMessage(error: GraphQLError): string {
  return error.message.replace(/^Syntax Error: /, '');
}

function withCode(error: GraphQLError, code: string): void {
  // The tokens limit fires inside the parser, where the only way to label the error is on the error itself.
  (error.extensions as Record<string, unknown>).code = code;
}

/**
 * Armor throws from inside validation by default, which yoga answers with 200. Reporting the rejection as a
 * validation error instead gives the 400 that GraphQL over HTTP asks for, with a stable code; execution never starts.
 */
function asValidationError(code: string) {
  return {
    propagateOnRejection: false,
    onReject: [
      (ctx: ValidationContext | null, error: GraphQLError) => ctx?.reportError(new GraphQLError(limitMessage(error), { nodes: error.nodes, extensions: { code } })),
    ],
  };
}

/** Blocks introspection where the config forbids it. */
function useNoIntrospection(): Plugin {
  return { onValidate: ({ addValidationRule }) => addValidationRule(NoSchemaIntrospectionCustomRule) };
}

/** Creates the yoga instance: schema, context, limits, error masking, GraphiQL and plain routes. */
export function createGatewayYoga({ schema, config, services, logger, metrics, tracker, routes, shutdownSignal }: YogaDeps): GatewayYoga {
  const g = config.graphql;
  return createYoga<Record<string, unknown>, GraphQLContext>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    logging: {
      debug: (...args) => logger.debug({ yoga: args.map(String).join(' ') }),
      info: (...args) => logger.info({ yoga: args.map(String).join(' ') }),
      warn: (...args) => logger.warn({ yoga: args.map(String).join(' ') }),
      error: (...args) => logger.error({ yoga: args.map(String).join(' ') }),
    },
    maskedErrors: { maskError, isDev: config.env === 'development' },
    // Bodies over the limit are refused with 413 before parsing, by Content-Length or while streaming.
    maxRequestBodySize: config.server.bodyLimitBytes,
    graphiql: g.graphiql
      ? { title: 'Flygate', defaultQuery: exampleTabs[0].query, defaultTabs: exampleTabs, subscriptionsProtocol: 'WS' }
      : false,
    renderGraphiQL: renderOfflineGraphiQL,
    // Over WebSockets there is no Request (graphql-ws passes its own context), hence the optional chaining.
    context: ({ request }): GraphQLContext => ({
      services,
      loaders: services.createLoaders(request?.signal),
      org: config.fly.org,
      signal: request?.signal,
      shutdownSignal,
    }),
    plugins: [
      useRoutes(routes),
      EnvelopArmorPlugin({
        maxDepth: { n: g.maxDepth, ignoreIntrospection: true, flattenFragments: true, ...asValidationError(LimitCode.Depth) },
        maxAliases: { n: g.maxAliases, ...asValidationError(LimitCode.Aliases) },
        maxTokens: { n: g.maxTokens, onReject: [(_ctx, error) => withCode(error, LimitCode.Tokens)] },
        costLimit: { maxCost: g.maxCost, ...asValidationError(LimitCode.Cost) },
        maxDirectives: { n: 50, ...asValidationError(LimitCode.Directives) },
        blockFieldSuggestion: { enabled: g.maskSuggestions },
      }),
      ...(g.introspection ? [] : [useNoIntrospection()]),
      ...(g.exposeUpstreamCalls ? [useUpstreamCallsExtension(tracker)] : []),
      useOperationMetrics(metrics),
      useUpstreamCallsMetric(tracker, metrics),
    ],
  });
}
