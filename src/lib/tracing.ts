/**
 * The one place that knows the OpenTelemetry SDK. Everything else sees only `@opentelemetry/api` types: a `Tracer`
 * (absent when tracing is off, so the hot paths skip span work entirely) and the W3C propagator.
 */
import { context, type TextMapPropagator, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

/** Options of {@link createTracing}. */
export interface TracingOptions {
  /** OTLP/HTTP base URL (`http://collector:4318`); spans go to `<endpoint>/v1/traces`. Tracing is off without it. */
  endpoint?: string;
  /** `service.name` of every span. */
  serviceName: string;
  /** Export here instead (tests: an `InMemorySpanExporter`); turns tracing on and exports each span as it ends. */
  exporter?: SpanExporter;
}

/** A gateway's tracing: its own provider, never registered as the process-wide one. */
export interface Tracing {
  /** Absent when tracing is off: callers then do no span work at all. */
  readonly tracer?: Tracer;
  /** W3C `traceparent`/`tracestate`, read from clients and sent on to Fly. */
  readonly propagator: TextMapPropagator;
  /** Exports what has ended so far. */
  forceFlush(): Promise<void>;
  /** Exports what is left and releases the exporter. */
  shutdown(): Promise<void>;
}

/** The OTLP traces URL for a base endpoint, as the OTLP exporter specification derives it. */
export function otlpTracesUrl(endpoint: string): string {
  return `${endpoint.replace(/\/+$/, '')}/v1/traces`;
}

/**
 * Spans only nest across `await` with an async-aware context manager. That one is process-wide by the API's design
 * (like `AsyncLocalStorage` itself), holds no gateway state, and is installed once, by the first gateway that traces.
 */
function ensureContextManager(): void {
  const manager = new AsyncLocalStorageContextManager();
  manager.enable();
  // false: one is already installed (an earlier gateway, or the host application's own).
  if (!context.setGlobalContextManager(manager)) manager.disable();
}

/** Creates the tracing of one gateway: a no-op unless an endpoint or an exporter is given. */
export function createTracing(options: TracingOptions): Tracing {
  const propagator = new W3CTraceContextPropagator();
  if (!options.exporter && !options.endpoint) {
    return { propagator, forceFlush: async () => undefined, shutdown: async () => undefined };
  }
  ensureContextManager();
  const processor = options.exporter
    ? new SimpleSpanProcessor(options.exporter)
    : new BatchSpanProcessor(new OTLPTraceExporter({ url: otlpTracesUrl(options.endpoint!) }));
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName }),
    spanProcessors: [processor],
  });
  return {
    tracer: provider.getTracer('flygate'),
    propagator,
    forceFlush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}
