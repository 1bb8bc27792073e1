import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The gateway's Prometheus metrics, on a registry of its own so two gateways in one process never collide. */
export interface Metrics {
  registry: Registry;
  upstreamCalls: Histogram<'operation' | 'status'>;
  graphqlOperations: Counter<'operation_type' | 'outcome'>;
  eventsPublished: Counter<'type' | 'source'>;
  webhookRequests: Counter<'status'>;
  upstreamCallsPerOperation: Histogram<'operation_type'>;
  cacheReads: Counter<'entity' | 'outcome'>;
  cacheErrors: Counter<'entity'>;
  rateBudgetWaits: Histogram<'operation' | 'outcome'>;
  subscriptionsActive: Gauge<'field'>;
  streamsRefused: Counter<'kind' | 'code'>;
}

/** Creates a fresh registry and the metrics the gateway records. Labels never carry ids, tokens or URLs. */
export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry });
  return {
    registry,
    upstreamCalls: new Histogram({
      name: 'flygate_upstream_call_seconds',
      help: 'Fly Machines API calls by operation and HTTP status (0 = no response).',
      labelNames: ['operation', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    graphqlOperations: new Counter({
      name: 'flygate_graphql_operations_total',
      help: 'GraphQL operations executed, by type and outcome.',
      labelNames: ['operation_type', 'outcome'],
      registers: [registry],
    }),
    eventsPublished: new Counter({
      name: 'flygate_events_published_total',
      help: 'Machine events published to subscribers, by type and source.',
      labelNames: ['type', 'source'],
      registers: [registry],
    }),
    webhookRequests: new Counter({
      name: 'flygate_webhook_requests_total',
      help: 'Webhook deliveries by HTTP status answered.',
      labelNames: ['status'],
      registers: [registry],
    }),
    cacheReads: new Counter({
      name: 'flygate_cache_reads_total',
      help: 'Cached Fly reads by entity and outcome (hit, miss, stale, bypass); hit + stale = upstream calls saved.',
      labelNames: ['entity', 'outcome'],
      registers: [registry],
    }),
    cacheErrors: new Counter({
      name: 'flygate_cache_errors_total',
      help: 'Cache store failures by entity; the read went on without the store.',
      labelNames: ['entity'],
      registers: [registry],
    }),
    rateBudgetWaits: new Histogram({
      name: 'flygate_rate_budget_wait_seconds',
      help: 'Fly calls asking the client-side rate budget for a token, by operation and outcome: immediate, queued (waited the observed time) or shed (answered RATE_LIMITED without calling Fly; observed as 0).',
      labelNames: ['operation', 'outcome'],
      buckets: [0, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 2, 2.5],
      registers: [registry],
    }),
    subscriptionsActive: new Gauge({
      name: 'flygate_subscriptions_active',
      help: 'GraphQL subscriptions open on this instance (graphql-ws and SSE), by root field.',
      labelNames: ['field'],
      registers: [registry],
    }),
    streamsRefused: new Counter({
      name: 'flygate_streams_refused_total',
      help: 'New SSE streams, graphql-ws operations and live queries refused, by kind (sse, ws, live) and code (STREAM_LIMIT: a per-address or per-process cap; OVERLOADED: the heap guard).',
      labelNames: ['kind', 'code'],
      registers: [registry],
    }),
    upstreamCallsPerOperation: new Histogram({
      name: 'flygate_graphql_upstream_calls',
      help: 'Fly Machines API calls made to serve one GraphQL operation, by operation type.',
      labelNames: ['operation_type'],
      buckets: [0, 1, 2, 3, 5, 10, 20, 50, 100],
      registers: [registry],
    }),
  };
}
