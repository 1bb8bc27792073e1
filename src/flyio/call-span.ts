/**
 * One span per logical Fly call (all its attempts), through `@opentelemetry/api` only: the SDK stays in
 * `src/lib/tracing.ts`. The span carries the method, the route template, the final status and how many attempts it
 * took; never the URL's values, a header or the token. Each attempt sends the span on to Fly as `traceparent`.
 */
import {
  context,
  defaultTextMapSetter,
  SpanKind,
  SpanStatusCode,
  trace,
  type Span,
  type TextMapPropagator,
  type Tracer,
} from '@opentelemetry/api';
import { isFlyApiError } from './errors.js';
import { routeTemplate } from './route-template.js';

/** What the client needs to trace its calls (see `src/lib/tracing.ts`). */
export interface FlyTracing {
  tracer: Tracer;
  /** Writes `traceparent` (and `tracestate`) into outgoing headers. */
  propagator: TextMapPropagator;
}

/** The span of one call while it runs. */
export interface CallSpan {
  /** `headers` plus this span's `traceparent`, for one attempt. */
  propagate(headers: Record<string, string>): Record<string, string>;
  /** Records a finished attempt and its HTTP status (0 when no response arrived). */
  attempted(attemptNo: number, status: number): void;
  /** Marks the call failed with the error's public code (never its message). */
  failed(error: unknown): void;
  end(): void;
}

/** Starts the span of one call, or returns undefined when tracing is off. */
export function startCallSpan(
  tracing: FlyTracing | undefined,
  call: { operation: string; method: string; path: string; baseUrl: string },
): CallSpan | undefined {
  if (!tracing) return undefined;
  const route = routeTemplate(call.path);
  const span: Span = tracing.tracer.startSpan(`${call.method} ${route}`, {
    kind: SpanKind.CLIENT,
    attributes: {
      'http.request.method': call.method,
      'url.template': route,
      'server.address': new URL(call.baseUrl).hostname,
      'flygate.fly.operation': call.operation,
    },
  });
  const spanContext = trace.setSpan(context.active(), span);
  return {
    propagate(headers) {
      const carrier = { ...headers };
      tracing.propagator.inject(spanContext, carrier, defaultTextMapSetter);
      return carrier;
    },
    attempted(attemptNo, status) {
      span.setAttribute('flygate.fly.attempts', attemptNo);
      // The semantic conventions' name for retries: attempts after the first.
      span.setAttribute('http.request.resend_count', attemptNo - 1);
      if (status > 0) span.setAttribute('http.response.status_code', status);
    },
    failed(error) {
      const code = isFlyApiError(error) ? error.code : 'INTERNAL';
      span.setAttribute('error.type', code);
      span.setStatus({ code: SpanStatusCode.ERROR, message: code });
    },
    end: () => span.end(),
  };
}
