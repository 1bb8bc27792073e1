import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { createClient } from 'graphql-ws';
import { Agent, type Dispatcher } from 'undici';
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildTestGateway, type BuiltTestGateway } from '../../helpers/test-gateway.js';

const CLIENT_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CLIENT_SPAN_ID = '00f067aa0ba902b7';
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]$/;

/** Every span of one trace, and the spans of one kind within it. */
const byName = (spans: ReadableSpan[], prefix: string) => spans.filter((s) => s.name.startsWith(prefix));
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
const idOf = (span: ReadableSpan) => span.spanContext().spanId;

describe('tracing', () => {
  const exporter = new InMemorySpanExporter();
  const logLines: string[] = [];
  /** Headers of every request the gateway sent to Fly (the emulator), as the Fly client built them. */
  const flyRequests: { path: string; headers: Record<string, string> }[] = [];
  const agent = new Agent().compose((dispatch: Dispatcher['dispatch']) => (opts, handler) => {
    flyRequests.push({ path: String(opts.path), headers: { ...(opts.headers as Record<string, string>) } });
    return dispatch(opts, handler);
  });
  let gw: BuiltTestGateway;

  beforeAll(async () => {
    gw = await buildTestGateway({
      listen: true,
      env: { LOG_LEVEL: 'debug', FLY_API_DEADLINE_MS: '5000' },
      deps: { spanExporter: exporter, logDestination: { write: (line: string) => void logLines.push(line) }, dispatcher: agent },
    });
    gw.emu.control.createApp('traced-app');
  });
  afterAll(async () => {
    await gw?.close();
    await agent.close();
  });
  afterEach(() => {
    gw.emu.faults.clear();
    exporter.reset();
    flyRequests.length = 0;
    logLines.length = 0;
  });

  async function post(query: string, headers: Record<string, string> = {}) {
    const response = await fetch(gw.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query }),
    });
    return (await response.json()) as { data?: any; errors?: { extensions?: { code?: string } }[] };
  }

  it('should trace a cache miss with its Fly call, then a cache hit without one, when the same query runs twice', async () => {
    const query = 'query AppNames { apps { nodes { name } } }';
    expect((await post(query)).data.apps.nodes.map((n: { name: string }) => n.name)).toContain('traced-app');
    // A different request text runs the operation again (the whole-response cache keys on the exact request).
    expect((await post(`${query} `)).data).toBeDefined();

    const spans = exporter.getFinishedSpans();
    const operations = byName(spans, 'query AppNames');
    expect(operations).toHaveLength(2);
    for (const op of operations) {
      expect(op.attributes).toMatchObject({ 'graphql.operation.type': 'query', 'graphql.operation.name': 'AppNames' });
      expect(op.status.code).not.toBe(2);
    }
    const [first, second] = operations.sort((a, b) => (a.startTime[0] - b.startTime[0]) * 1e9 + (a.startTime[1] - b.startTime[1]));

    const caches = byName(spans, 'cache apps');
    const firstCache = caches.find((s) => parentOf(s) === idOf(first!));
    const secondCache = caches.find((s) => parentOf(s) === idOf(second!));
    expect(firstCache?.attributes).toMatchObject({ 'flygate.cache.entity': 'apps', 'flygate.cache.outcome': 'miss' });
    expect(secondCache?.attributes).toMatchObject({ 'flygate.cache.entity': 'apps', 'flygate.cache.outcome': 'hit' });

    const flyCalls = byName(spans, 'GET /v1/apps');
    expect(flyCalls).toHaveLength(1);
    expect(parentOf(flyCalls[0]!)).toBe(idOf(firstCache!));
    expect(flyCalls[0]!.spanContext().traceId).toBe(first!.spanContext().traceId);
    expect(flyCalls[0]!.attributes).toMatchObject({
      'http.request.method': 'GET',
      'url.template': '/v1/apps',
      'http.response.status_code': 200,
      'flygate.fly.operation': 'apps.list',
      'flygate.fly.attempts': 1,
      'http.request.resend_count': 0,
    });
  });

  it('should trace an answer of the whole-response cache as one span in the client trace, with no operation run', async () => {
    const query = 'query WholeAnswer { apps { nodes { name } } }';
    await post(query);
    exporter.reset();
    await post(query, { traceparent: `00-${CLIENT_TRACE_ID}-${CLIENT_SPAN_ID}-01` });
    const spans = exporter.getFinishedSpans();
    expect(byName(spans, 'query WholeAnswer')).toHaveLength(0);
    const [hit] = byName(spans, 'cache response');
    expect(hit?.attributes).toMatchObject({ 'flygate.cache.entity': 'response', 'flygate.cache.outcome': 'hit' });
    expect(hit?.spanContext().traceId).toBe(CLIENT_TRACE_ID);
    expect(parentOf(hit!)).toBe(CLIENT_SPAN_ID);
  });

  it('should name Fly calls by route template with the status and the attempts a retry took, when a read is retried', async () => {
    const machine = gw.emu.control.createMachine('traced-app', { state: 'started', config: { image: 'x:1' } });
    gw.emu.faults.add({ route: 'machines.get', status: 503, times: 1 });
    const answer = await post(`{ machine(app: "traced-app", machineId: "${machine.id}") { state } }`);
    expect(answer.data.machine.state).toBe('STARTED');

    const [call] = byName(exporter.getFinishedSpans(), 'GET /v1/apps/');
    expect(call?.name).toBe('GET /v1/apps/{app}/machines/{id}');
    expect(call?.attributes).toMatchObject({
      'url.template': '/v1/apps/{app}/machines/{id}',
      'http.response.status_code': 200,
      'flygate.fly.operation': 'machines.get',
      'flygate.fly.attempts': 2,
      'http.request.resend_count': 1,
    });
    // Both attempts went out with the same call span as their parent.
    const sent = flyRequests.filter((r) => r.path.includes(machine.id)).map((r) => TRACEPARENT.exec(r.headers.traceparent ?? '')?.[2]);
    expect(sent).toEqual([idOf(call!), idOf(call!)]);
    // The concrete app and machine id stay out of every span.
    const text = JSON.stringify(exporter.getFinishedSpans().map((s) => [s.name, s.attributes]));
    expect(text).not.toContain(machine.id);
    expect(text).not.toContain('traced-app');
  });

  it('should mark the Fly call and the operation failed with the public code, when Fly answers 404', async () => {
    const answer = await post('query Missing { machines(app: "no-such-app") { nodes { machineId } } }');
    const code = answer.errors?.[0]?.extensions?.code;
    expect(code).toBe('NOT_FOUND');

    const spans = exporter.getFinishedSpans();
    const [call] = byName(spans, 'GET /v1/apps/{app}/machines');
    expect(call?.attributes).toMatchObject({ 'http.response.status_code': 404, 'error.type': 'NOT_FOUND', 'flygate.fly.attempts': 1 });
    expect(call?.status).toMatchObject({ code: 2, message: 'NOT_FOUND' });
    const [op] = byName(spans, 'query Missing');
    expect(op?.attributes['graphql.error.codes']).toEqual(['NOT_FOUND']);
    expect(op?.status.code).toBe(2);
  });

  it('should record the error code of an operation that fails validation, which never executes', async () => {
    const answer = await post('{ nosuchfield }');
    expect(answer.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const [op] = byName(exporter.getFinishedSpans(), 'graphql');
    expect(op?.attributes['graphql.error.codes']).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(flyRequests).toHaveLength(0);
  });

  it("should continue the client's trace and send it on to Fly, when the client sends a traceparent", async () => {
    gw.emu.control.createApp('propagated-app');
    // An app never read before: its machines list cannot come from the cache.
    await post('query Propagated { machines(app: "propagated-app") { nodes { machineId } } }', {
      traceparent: `00-${CLIENT_TRACE_ID}-${CLIENT_SPAN_ID}-01`,
      tracestate: 'vendor=opaque',
    });

    const spans = exporter.getFinishedSpans();
    const [op] = byName(spans, 'query Propagated');
    expect(op?.spanContext().traceId).toBe(CLIENT_TRACE_ID);
    expect(parentOf(op!)).toBe(CLIENT_SPAN_ID);
    expect(op?.spanContext().traceState?.get('vendor')).toBe('opaque');

    const calls = spans.filter((s) => s.attributes['flygate.fly.operation'] !== undefined);
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) expect(call.spanContext().traceId).toBe(CLIENT_TRACE_ID);
    // What Fly received: the client's trace id, with the gateway's own call span as the parent.
    const sent = flyRequests.map((r) => TRACEPARENT.exec(r.headers.traceparent ?? ''));
    expect(sent.length).toBeGreaterThan(0);
    for (const match of sent) {
      expect(match?.[1]).toBe(CLIENT_TRACE_ID);
      expect(calls.map(idOf)).toContain(match?.[2]);
    }
  });

  it('should write the trace and span ids into log lines written during an operation', async () => {
    gw.emu.faults.add({ route: 'machines.list', status: 500 });
    const answer = await post('query Broken { machines(app: "traced-app") { nodes { machineId } } }');
    expect(answer.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');

    const [op] = byName(exporter.getFinishedSpans(), 'query Broken');
    const lines = logLines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((l) => l.msg === 'graphql operation error');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines[0]).toMatchObject({ trace_id: op!.spanContext().traceId });
    expect(lines[0]!.span_id).toMatch(/^[0-9a-f]{16}$/);
  });

  it('should mark a read that joined a fetch already in flight as coalesced, when two requests ask at once', async () => {
    gw.emu.control.createApp('coalesced-app');
    gw.emu.faults.add({ route: 'machines.list', latencyMs: 150 });
    const query = '{ machines(app: "coalesced-app") { nodes { machineId } } }';
    await Promise.all([post(query), post(query)]);

    const spans = exporter.getFinishedSpans();
    const outcomes = byName(spans, 'cache machines').map((s) => s.attributes['flygate.cache.outcome']);
    expect(outcomes.sort()).toEqual(['coalesced', 'miss']);
    expect(byName(spans, 'GET /v1/apps/{app}/machines')).toHaveLength(1);
  });

  it("should trace an operation over graphql-ws as a child of the upgrade request's traceparent", async () => {
    gw.emu.control.createApp('ws-app');
    const traceparent = `00-${CLIENT_TRACE_ID}-${CLIENT_SPAN_ID}-01`;
    class TracedWebSocket extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, { headers: { traceparent } });
      }
    }
    const client = createClient({ url: gw.url.replace(/^http/, 'ws'), webSocketImpl: TracedWebSocket, retryAttempts: 0 });
    try {
      const result = await new Promise<unknown>((resolve, reject) => {
        let value: unknown;
        client.subscribe(
          { query: 'query OverWs { machines(app: "ws-app") { nodes { machineId } } }' },
          { next: (v) => (value = v), error: reject, complete: () => resolve(value) },
        );
      });
      expect(result).toMatchObject({ data: { machines: { nodes: [] } } });
    } finally {
      await client.dispose();
    }

    const spans = exporter.getFinishedSpans();
    const [op] = byName(spans, 'query OverWs');
    expect(op?.attributes).toMatchObject({ 'network.protocol.name': 'websocket', 'graphql.operation.type': 'query' });
    expect(op?.spanContext().traceId).toBe(CLIENT_TRACE_ID);
    expect(parentOf(op!)).toBe(CLIENT_SPAN_ID);
    const [call] = byName(spans, 'GET /v1/apps/{app}/machines');
    expect(call?.spanContext().traceId).toBe(CLIENT_TRACE_ID);
    expect(flyRequests.some((r) => r.headers.traceparent?.includes(CLIENT_TRACE_ID))).toBe(true);
  });

  it('should never put the Fly token or its Authorization header into a span', async () => {
    gw.emu.control.createApp('secret-app');
    gw.emu.faults.add({ route: 'machines.list', status: 401, times: 1 });
    await post('{ machines(app: "secret-app") { nodes { machineId } } }');
    await post('{ machines(app: "secret-app") { nodes { machineId } } }');
    const authorization = flyRequests[0]?.headers.authorization;
    expect(authorization).toContain(gw.emu.token);
    const text = JSON.stringify(exporter.getFinishedSpans().map((s) => [s.name, s.attributes, s.status, s.events, s.resource.attributes]));
    expect(text).not.toContain(gw.emu.token);
    expect(text.toLowerCase()).not.toContain('authorization');
  });
});
