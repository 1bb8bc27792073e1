import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayHarness, type GatewayHarness } from '../../helpers/gateway-harness.js';

let dev: GatewayHarness;
let prod: GatewayHarness;
let listed: GatewayHarness;
beforeAll(async () => {
  dev = await startGatewayHarness({ seed: 'demo' });
  prod = await startGatewayHarness({ seed: 'demo', env: { APP_ENV: 'production' } });
  listed = await startGatewayHarness({
    seed: 'demo',
    env: { APP_ENV: 'production', CORS_ORIGINS: 'https://console.example.com, https://ops.example.com' },
  });
});
afterAll(async () => {
  await dev.close();
  await prod.close();
  await listed.close();
});

const GRAPHQL = 'http://gateway/graphql';
const regions = JSON.stringify({ query: '{ regions { code } }' });
/** A mutation that reaches Fly when it runs: the emulator counts the call. */
const cordon = 'mutation { cordonMachine(input: { app: "demo-web", machineId: "0123456789abcd" }) { __typename } }';

async function send(h: GatewayHarness, init: RequestInit & { headers?: Record<string, string> }, url = GRAPHQL): Promise<Response> {
  return h.gateway.fetch(url, init);
}

describe('CORS follows the configured origins', () => {
  it('should not allow a foreign origin nor send the credentials header when running the production config', async () => {
    const response = await send(prod, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      body: regions,
    });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('should answer a preflight from a foreign origin without CORS headers when running the production config', async () => {
    const response = await send(prod, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://evil.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('should allow exactly a listed origin with credentials when CORS_ORIGINS names it', async () => {
    const response = await send(listed, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://ops.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(response.headers.get('access-control-allow-origin')).toBe('https://ops.example.com');
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    expect(response.headers.get('vary')).toContain('Origin');
    const other = await send(listed, {
      method: 'POST',
      headers: { origin: 'https://ops.example.com.evil.example', 'content-type': 'application/json' },
      body: regions,
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(other.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('should allow localhost origins on any port but not other hosts when running the development config', async () => {
    for (const origin of ['http://localhost:5173', 'https://127.0.0.1:8443', 'http://[::1]:3000', 'http://localhost']) {
      const response = await send(dev, { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: regions });
      expect(response.headers.get('access-control-allow-origin'), origin).toBe(origin);
      expect(response.headers.get('access-control-allow-credentials'), origin).toBe('true');
    }
    for (const origin of ['https://evil.example', 'http://localhost.evil.example', 'null']) {
      const response = await send(dev, { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: regions });
      expect(response.headers.get('access-control-allow-origin'), origin).toBeNull();
      expect(response.headers.get('access-control-allow-credentials'), origin).toBeNull();
    }
  });
});

describe('requests a browser can send without a preflight never execute', () => {
  const simpleBodies: [string, string, string][] = [
    ['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded', `query=${encodeURIComponent(cordon)}`],
    ['text/plain', 'text/plain', JSON.stringify({ query: cordon })],
    [
      'multipart/form-data',
      'multipart/form-data; boundary=XyZ',
      `--XyZ\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${JSON.stringify({ query: cordon })}\r\n--XyZ--\r\n`,
    ],
    ['no content type', '', JSON.stringify({ query: cordon })],
  ];
  for (const [name, contentType, body] of simpleBodies) {
    it(`should answer 400 CSRF_PREVENTED without running the mutation when a POST is sent as ${name}`, async () => {
      prod.resetCounts();
      const headers: Record<string, string> = { origin: 'https://evil.example', accept: 'application/graphql-response+json' };
      const request = new Request(GRAPHQL, { method: 'POST', headers, body });
      if (contentType) request.headers.set('content-type', contentType);
      else request.headers.delete('content-type');
      const response = await prod.gateway.fetch(request);
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('json');
      const answer = (await response.json()) as { data?: unknown; errors: { message: string; extensions?: { code?: string } }[] };
      expect(answer.data).toBeUndefined();
      expect(answer.errors[0].extensions?.code).toBe('CSRF_PREVENTED');
      expect(answer.errors[0].message).toMatch(/content-type/i);
      expect(prod.total()).toBe(0);
    });
  }

  it('should answer 400 CSRF_PREVENTED when a GET query has no preflight header', async () => {
    const response = await send(
      prod,
      { method: 'GET', headers: { accept: 'application/graphql-response+json' } },
      `${GRAPHQL}?query=${encodeURIComponent('{ regions { code } }')}`,
    );
    expect(response.status).toBe(400);
    const answer = (await response.json()) as { data?: unknown; errors: { extensions?: { code?: string } }[] };
    expect(answer.data).toBeUndefined();
    expect(answer.errors[0].extensions?.code).toBe('CSRF_PREVENTED');
  });

  it('should run a GET query when it carries x-graphql-csrf or graphql-require-preflight', async () => {
    for (const header of ['x-graphql-csrf', 'graphql-require-preflight']) {
      const response = await send(
        prod,
        { method: 'GET', headers: { accept: 'application/graphql-response+json', [header]: '1' } },
        `${GRAPHQL}?query=${encodeURIComponent('{ regions { code } }')}`,
      );
      expect(response.status, header).toBe(200);
      const answer = (await response.json()) as { data?: { regions: unknown[] } };
      expect(answer.data?.regions.length, header).toBeGreaterThan(0);
    }
  });

  it('should never run a mutation sent with GET even with the preflight header', async () => {
    prod.resetCounts();
    const response = await send(
      prod,
      { method: 'GET', headers: { accept: 'application/graphql-response+json', 'x-graphql-csrf': '1' } },
      `${GRAPHQL}?query=${encodeURIComponent(cordon)}`,
    );
    expect(response.status).toBe(405);
    expect(prod.total()).toBe(0);
  });

  it('should run a JSON POST and let an application/graphql-response+json body past the CSRF check', async () => {
    for (const contentType of ['application/json', 'application/json; charset=utf-8']) {
      const response = await send(prod, {
        method: 'POST',
        headers: { 'content-type': contentType, accept: 'application/graphql-response+json' },
        body: regions,
      });
      expect(response.status, contentType).toBe(200);
    }
    // yoga has no parser for this type (415), but a browser would preflight it, so it is not a CSRF case.
    const response = await send(prod, {
      method: 'POST',
      headers: { 'content-type': 'application/graphql-response+json', accept: 'application/graphql-response+json' },
      body: regions,
    });
    expect(await response.text()).not.toContain('CSRF_PREVENTED');
  });

  it('should keep serving GraphiQL, health routes and metrics to plain GETs', async () => {
    const page = await send(dev, { method: 'GET', headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    for (const path of ['/healthz', '/readyz', '/metrics']) {
      const response = await send(prod, { method: 'GET' }, `http://gateway${path}`);
      expect(response.status, path).toBe(200);
    }
  });

  it('should leave the webhook route to its signature check when a plain POST reaches it', async () => {
    const response = await send(
      prod,
      { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' },
      'http://gateway/webhooks/fly',
    );
    const answer = (await response.json()) as { error?: { code: string } };
    expect(answer.error?.code).not.toBe('CSRF_PREVENTED');
    expect(response.status).not.toBe(400);
  });
});
