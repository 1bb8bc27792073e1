import { context, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { createLogger } from '#src/lib/logger.js';
import { createTracing, otlpTracesUrl } from '#src/lib/tracing.js';

describe('createTracing', () => {
  it('should give no tracer when neither an endpoint nor an exporter is given', async () => {
    const tracing = createTracing({ serviceName: 'flygate' });
    expect(tracing.tracer).toBeUndefined();
    await expect(tracing.shutdown()).resolves.toBeUndefined();
  });

  it('should export ended spans with the service name to an injected exporter', async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = createTracing({ serviceName: 'flygate-unit', exporter });
    tracing.tracer!.startSpan('unit').end();
    await tracing.forceFlush();
    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe('unit');
    expect(span?.resource.attributes['service.name']).toBe('flygate-unit');
    await tracing.shutdown();
  });

  it('should derive the traces URL from the base endpoint, with or without a trailing slash', () => {
    expect(otlpTracesUrl('http://collector:4318')).toBe('http://collector:4318/v1/traces');
    expect(otlpTracesUrl('http://collector:4318/')).toBe('http://collector:4318/v1/traces');
    expect(otlpTracesUrl('https://otel.example.com/otlp')).toBe('https://otel.example.com/otlp/v1/traces');
  });

  it('should add trace_id and span_id to a log line written inside a span, and nothing outside one', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(line) } });
    const tracing = createTracing({ serviceName: 'flygate-unit', exporter: new InMemorySpanExporter() });
    const span = tracing.tracer!.startSpan('logged');
    await context.with(trace.setSpan(context.active(), span), async () => {
      await Promise.resolve();
      logger.info('inside');
    });
    span.end();
    logger.info('outside');
    const [inside, outside] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(inside).toMatchObject({ msg: 'inside', trace_id: span.spanContext().traceId, span_id: span.spanContext().spanId });
    expect(outside).not.toHaveProperty('trace_id');
    await tracing.shutdown();
  });
});
