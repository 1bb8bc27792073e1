import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, type Dispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestGateway } from '../../helpers/test-gateway.js';

/** A loopback stand-in for an OpenTelemetry collector: remembers every request it gets and answers 200. */
function startCollector(): Promise<{
  server: Server;
  base: string;
  received: { method?: string; url?: string; headers: IncomingHttpHeaders; body: string }[];
}> {
  const received: { method?: string; url?: string; headers: IncomingHttpHeaders; body: string }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received })),
  );
}

/** An undici Agent that remembers the headers of every request the Fly client sends. */
function recordingAgent(sent: Record<string, string>[]): Dispatcher {
  return new Agent().compose((dispatch: Dispatcher['dispatch']) => (opts, handler) => {
    sent.push({ ...(opts.headers as Record<string, string>) });
    return dispatch(opts, handler);
  });
}

const query = (
  gateway: { fetch: (url: string, init: RequestInit) => Promise<Response> },
  text: string,
  headers: Record<string, string> = {},
) =>
  gateway.fetch('http://gateway/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: text }),
  });

describe('the OTLP exporter', () => {
  let collector: Awaited<ReturnType<typeof startCollector>>;
  beforeAll(async () => {
    collector = await startCollector();
  });
  afterAll(() => new Promise<void>((resolve) => collector.server.close(() => resolve())));

  it('should POST the spans to <endpoint>/v1/traces with the service name when OTEL_EXPORTER_OTLP_ENDPOINT is set', async () => {
    const gw = await buildTestGateway({
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: `${collector.base}/`, OTEL_SERVICE_NAME: 'flygate-otlp-test' },
    });
    let token: string;
    try {
      token = gw.emu.token;
      const response = await query(gw.gateway, 'query Exported { apps { nodes { name } } }');
      expect(response.status).toBe(200);
    } finally {
      // stop() flushes what the batch processor holds.
      await gw.close();
    }
    const posts = collector.received.filter((r) => r.method === 'POST' && r.url === '/v1/traces');
    expect(posts.length).toBeGreaterThan(0);
    const body = posts.map((p) => p.body).join('\n');
    expect(posts[0]!.headers['content-type']).toContain('application/json');
    expect(body).toContain('flygate-otlp-test');
    expect(body).toContain('query Exported');
    expect(body).toContain('/v1/apps');
    expect(body).not.toContain(token);
  });
});

describe('tracing switched off', () => {
  it('should send no traceparent to Fly and write no trace ids, when no endpoint is configured', async () => {
    const sent: Record<string, string>[] = [];
    const lines: string[] = [];
    const agent = recordingAgent(sent);
    const gw = await buildTestGateway({
      env: { LOG_LEVEL: 'debug' },
      deps: { dispatcher: agent, logDestination: { write: (line: string) => void lines.push(line) } },
    });
    try {
      gw.emu.faults.add({ route: 'apps.list', status: 500 });
      const response = await query(gw.gateway, '{ apps { nodes { name } } }', {
        traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      });
      expect(response.status).toBe(200);
    } finally {
      await gw.close();
      await agent.close();
    }
    expect(sent.length).toBeGreaterThan(0);
    for (const headers of sent) expect(Object.keys(headers)).not.toContain('traceparent');
    expect(lines.some((line) => line.includes('graphql operation error'))).toBe(true);
    for (const line of lines) expect(line).not.toContain('trace_id');
  });
});
