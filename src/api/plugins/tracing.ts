/**
 * One span per GraphQL operation, the parent of its cache and Fly spans. Over HTTP the span wraps the whole
 * operation (parse, validate, execute) and continues the client's W3C `traceparent`/`tracestate`; over graphql-ws
 * it wraps execution and continues the trace of the WebSocket upgrade request. The span holds the operation's type,
 * name and error codes; never the document, variables or headers.
 */
import {
  context,
  defaultTextMapGetter,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
  type TextMapGetter,
  type TextMapPropagator,
  type Tracer,
} from '@opentelemetry/api';
import { getOperationAST, type DocumentNode, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';

const fetchHeadersGetter: TextMapGetter<Headers> = {
  get: (headers, key) => headers.get(key) ?? undefined,
  keys: (headers) => [...headers.keys()],
};

/** The tracing of one gateway (see `src/lib/tracing.ts`). */
export interface OperationTracing {
  tracer: Tracer;
  propagator: TextMapPropagator;
}

/** Names the active operation span after the operation, once the document is known. */
function describe(span: Span | undefined, document: DocumentNode, operationName: string | null | undefined): void {
  if (!span) return;
  const operation = getOperationAST(document, operationName);
  const type = operation?.operation ?? 'unknown';
  const name = operation?.name?.value;
  span.updateName(name ? `${type} ${name}` : type);
  span.setAttribute('graphql.operation.type', type);
  if (name) span.setAttribute('graphql.operation.name', name);
}

/** Records the public codes of a result's errors; a stream (subscription, incremental delivery) records nothing. */
function recordErrors(span: Span | undefined, result: unknown): void {
  if (!span || !result || typeof result !== 'object' || Symbol.asyncIterator in result) return;
  const errors = (Array.isArray(result) ? result : [result]).flatMap((r: ExecutionResult) => r.errors ?? []);
  if (errors.length === 0) return;
  const codes = [...new Set(errors.map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR')))];
  span.setAttribute('graphql.error.codes', codes);
  span.setStatus({ code: SpanStatusCode.ERROR, message: codes.join(',') });
}

/**
 * The span of a request the whole-response cache answered before the GraphQL pipeline: no operation ran, so this one
 * span (a child of the client's trace) stands for it.
 */
export function traceResponseCacheHit({ tracer, propagator }: OperationTracing, header: (name: string) => string | undefined): void {
  const parent = propagator.extract(ROOT_CONTEXT, header, { get: (read, key) => read(key), keys: () => ['traceparent', 'tracestate'] });
  tracer
    .startSpan(
      'cache response',
      { kind: SpanKind.SERVER, attributes: { 'flygate.cache.entity': 'response', 'flygate.cache.outcome': 'hit' } },
      parent,
    )
    .end();
}

/** A span per GraphQL operation, over HTTP and graphql-ws. */
export function useTracing({ tracer, propagator }: OperationTracing): Plugin {
  // The spans this plugin opened for HTTP operations: execution inside one of them needs no span of its own.
  const httpSpans = new WeakSet<Span>();

  async function inSpan(parent: Context, wrapped: () => unknown, onStart?: (span: Span) => void): Promise<void> {
    const span = tracer.startSpan('graphql', { kind: SpanKind.SERVER }, parent);
    onStart?.(span);
    try {
      await context.with(trace.setSpan(parent, span), wrapped);
    } finally {
      span.end();
    }
  }

  /** graphql-ws: the upgrade request's headers (Node's lower-cased object) carry the client's trace. */
  function aroundWsPhase({ context: ctx }: { context: Record<string, any> }, wrapped: () => unknown) {
    const active = trace.getActiveSpan();
    if (active && httpSpans.has(active)) return wrapped() as void;
    const headers = (ctx.req as { headers?: Record<string, string | string[] | undefined> } | undefined)?.headers ?? {};
    return inSpan(propagator.extract(ROOT_CONTEXT, headers, defaultTextMapGetter), wrapped, (span) =>
      span.setAttribute('network.protocol.name', 'websocket'),
    );
  }

  return {
    instrumentation: {
      operation: ({ request }, wrapped) =>
        inSpan(propagator.extract(ROOT_CONTEXT, request.headers, fetchHeadersGetter), wrapped, (span) => httpSpans.add(span)),
      execute: aroundWsPhase,
      subscribe: aroundWsPhase,
    },
    onExecute: ({ args }) => {
      describe(trace.getActiveSpan(), args.document, args.operationName);
      return { onExecuteDone: ({ result }) => recordErrors(trace.getActiveSpan(), result) };
    },
    onSubscribe: ({ args }) => describe(trace.getActiveSpan(), args.document, args.operationName),
    // HTTP only, after masking: also sees validation failures, which never reach execute.
    onExecutionResult: ({ result }) => recordErrors(trace.getActiveSpan(), result),
  };
}
