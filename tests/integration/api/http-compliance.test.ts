import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayHarness, type GatewayHarness } from '../../helpers/gateway-harness.js';

let h: GatewayHarness;
beforeAll(async () => {
  h = await startGatewayHarness({ seed: 'none' });
});
afterAll(() => h.close());

const audits = serverAudits({
  url: 'http://gateway/graphql',
  fetchFn: (input: string | URL | Request, init?: RequestInit) => h.gateway.fetch(input, init),
});

describe('GraphQL over HTTP (graphql-http server audits)', () => {
  const must = audits.filter((audit) => audit.name.startsWith('MUST'));

  it('should run the published MUST audits when the suite is loaded', () => {
    expect(must.length).toBeGreaterThan(10);
  });

  for (const audit of must) {
    it(`should pass "${audit.name}" when audited against gateway.fetch`, async () => {
      const result = await audit.fn();
      expect(result.status, result.status === 'ok' ? '' : `${result.reason}`).toBe('ok');
    });
  }

  it('should answer 4xx with application/graphql-response+json when the document fails validation', async () => {
    const answer = await h.post({ query: '{ notAField }' }, { accept: 'application/graphql-response+json' });
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toContain('application/graphql-response+json');
    expect(answer.errors?.[0].message).toContain('notAField');
  });

  it('should answer 4xx with application/graphql-response+json when the document does not parse', async () => {
    const answer = await h.post({ query: '{ apps { ' }, { accept: 'application/graphql-response+json' });
    expect(answer.status).toBe(400);
    expect(answer.data).toBeUndefined();
  });

  it('should answer 4xx with application/graphql-response+json when a variable has the wrong type', async () => {
    const answer = await h.post(
      { query: 'query ($name: String!) { app(name: $name) { name } }', variables: { name: 42 } },
      { accept: 'application/graphql-response+json' },
    );
    expect(answer.status).toBe(400);
  });
});
