import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { createTracing, otlpTracesUrl } from '../../../src/lib/tracing.js';

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
});
