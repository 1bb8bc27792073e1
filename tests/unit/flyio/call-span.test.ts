import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { createTracing } from '#src/lib/tracing.js';
import { buildMachine, createHarness, TOKEN } from './helpers.js';

const exporter = new InMemorySpanExporter();
const tracing = createTracing({ serviceName: 'flygate-unit', exporter });
const flyTracing = { tracer: tracing.tracer!, propagator: new W3CTraceContextPropagator() };

describe('Fly call spans', () => {
  afterEach(() => exporter.reset());

  it('should send a traceparent naming the call span, and record method, route template and status', async () => {
    const h = createHarness({ tracing: flyTracing });
    let traceparent: string | undefined;
    h.pool.intercept({ path: '/v1/apps/my-app/machines/1857156b526dd8', method: 'GET' }).reply(200, (opts) => {
      traceparent = (opts.headers as Record<string, string>).traceparent;
      return buildMachine();
    });
    await h.client.machines.get({ app: 'my-app', machineId: '1857156b526dd8' });

    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe('GET /v1/apps/{app}/machines/{id}');
    expect(span?.attributes).toMatchObject({ 'http.request.method': 'GET', 'http.response.status_code': 200, 'flygate.fly.attempts': 1 });
    expect(traceparent).toBe(`00-${span!.spanContext().traceId}-${span!.spanContext().spanId}-01`);
    expect(JSON.stringify(span?.attributes)).not.toContain(TOKEN);
    await h.agent.close();
  });

  it('should record one attempt and the error code, when an unsafe call fails and is not retried', async () => {
    const h = createHarness({ tracing: flyTracing });
    h.pool.intercept({ path: '/v1/apps/my-app/machines/1857156b526dd8/start', method: 'POST' }).reply(503, { error: 'down' });
    await expect(h.client.machines.start({ app: 'my-app', machineId: '1857156b526dd8' })).rejects.toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
    });

    const [span] = exporter.getFinishedSpans();
    expect(span?.attributes).toMatchObject({
      'url.template': '/v1/apps/{app}/machines/{id}/start',
      'http.response.status_code': 503,
      'flygate.fly.attempts': 1,
      'http.request.resend_count': 0,
      'error.type': 'UPSTREAM_UNAVAILABLE',
    });
    expect(span?.status.code).toBe(2);
    await h.agent.close();
  });

  it('should send no traceparent when the client is built without tracing', async () => {
    const h = createHarness();
    let headers: Record<string, string> = {};
    h.pool.intercept({ path: '/v1/apps/my-app/machines/1857156b526dd8', method: 'GET' }).reply(200, (opts) => {
      headers = opts.headers as Record<string, string>;
      return buildMachine();
    });
    await h.client.machines.get({ app: 'my-app', machineId: '1857156b526dd8' });
    expect(headers.authorization).toBeDefined();
    expect(headers.traceparent).toBeUndefined();
    expect(exporter.getFinishedSpans()).toHaveLength(0);
    await h.agent.close();
  });
});
