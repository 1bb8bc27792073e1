import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayHarness, type GatewayHarness } from '../../helpers/gateway-harness.js';

let dev: GatewayHarness;
let prod: GatewayHarness;
beforeAll(async () => {
  dev = await startGatewayHarness({ seed: 'demo' });
  prod = await startGatewayHarness({ seed: 'demo', env: { APP_ENV: 'production' } });
});
afterAll(async () => {
  await dev.close();
  await prod.close();
});

/** Eleven levels of selection: one more than the configured maximum depth of 10. */
const deepSelection = 'apps { nodes { machines { nodes { app { machines { nodes { app { machines { nodes { machineId } } } } } } } } } }';

const bombs: [string, string, string][] = [
  ['depth', `{ ${deepSelection} }`, 'MAX_DEPTH_EXCEEDED'],
  ['depth hidden behind an operation named __schema', `query __schema { ${deepSelection} }`, 'MAX_DEPTH_EXCEEDED'],
  [
    'depth hidden behind a fragment named __schema',
    `query Q { ...__schema } fragment __schema on Query { ${deepSelection} }`,
    'MAX_DEPTH_EXCEEDED',
  ],
  ['aliases', `{ ${Array.from({ length: 16 }, (_, i) => `a${i}: regions { code }`).join(' ')} }`, 'MAX_ALIASES_EXCEEDED'],
  ['tokens', `{ apps { nodes { ${'name '.repeat(2100)} } } }`, 'MAX_TOKENS_EXCEEDED'],
  ['cost', '{ apps(first: 500) { nodes { machines(first: 500) { nodes { machineId events { id } } } } } }', 'MAX_COST_EXCEEDED'],
  ['directives', `{ regions ${'@include(if: true) '.repeat(51)} { code } }`, 'MAX_DIRECTIVES_EXCEEDED'],
];

describe('GraphQL-level protections', () => {
  for (const [name, query, code] of bombs) {
    it(`should reject a ${name} bomb before execution with 0 upstream calls and code ${code} when sent`, async () => {
      dev.resetCounts();
      const answer = await dev.post({ query });
      expect(answer.status).toBe(400);
      expect(answer.data).toBeUndefined();
      expect(answer.errors?.map((e) => e.extensions?.code)).toContain(code);
      expect(dev.total()).toBe(0);
    });
  }

  it('should answer a refused document 200 with errors when the client accepts only application/json', async () => {
    // What docs/CLIENTS.md says: the GraphQL-over-HTTP spec keeps 200 for legacy JSON clients.
    const answer = await dev.post({ query: bombs[0][1] }, { accept: 'application/json' });
    expect(answer.status).toBe(200);
    expect(answer.errors?.map((e) => e.extensions?.code)).toContain('MAX_DEPTH_EXCEEDED');
  });

  it("should still run GraphiQL's introspection query when introspection is allowed", async () => {
    const answer = await dev.post({ query: getIntrospectionQuery() });
    expect(answer.status).toBe(200);
    expect((answer.data as { __schema: { types: unknown[] } }).__schema.types.length).toBeGreaterThan(50);
  });

  it('should refuse introspection when running the production config', async () => {
    const answer = await prod.post({ query: '{ __schema { queryType { name } } }' });
    expect(answer.status).toBe(400);
    expect(answer.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('should not suggest field names when a field is misspelled under the production config', async () => {
    const answer = await prod.post({ query: '{ apps { nodes { nam } } }' });
    expect(answer.status).toBe(400);
    expect(answer.errors?.[0].message).toContain('Cannot query field "nam"');
    expect(JSON.stringify(answer.errors)).not.toContain('Did you mean');
  });

  it('should answer 400 when the body is a batched array', async () => {
    dev.resetCounts();
    const answer = await dev.post([{ query: '{ regions { code } }' }, { query: '{ regions { code } }' }]);
    expect(answer.status).toBe(400);
    expect(dev.total()).toBe(0);
  });

  it('should answer 413 when the declared body size is over the limit', async () => {
    const body = JSON.stringify({ query: '{ regions { code } }', variables: { pad: 'x'.repeat(1_000_001) } });
    dev.resetCounts();
    const response = await dev.gateway.fetch('http://gateway/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
      body,
    });
    expect(response.status).toBe(413);
    expect(dev.total()).toBe(0);
  });

  it('should answer 413 when a streamed body without a length grows over the limit', async () => {
    const chunk = new TextEncoder().encode(`{"query":"{ regions { code } }","variables":{"pad":"${'x'.repeat(600_000)}`);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 2) controller.enqueue(chunk);
        else {
          controller.enqueue(new TextEncoder().encode('"}}'));
          controller.close();
        }
      },
    });
    const response = await dev.gateway.fetch('http://gateway/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
  });

  it('should leave upstream call counts out of responses when running the production config', async () => {
    const answer = await prod.post({ query: '{ machine(app: "demo-web", machineId: "0123456789abcd") { machineId } }' });
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual({ machine: null });
    expect(answer.extensions?.upstreamCalls).toBeUndefined();
  });
});
