import { describe, expect, it } from 'vitest';
import { createYoga, createSchema, type Plugin } from 'graphql-yoga';
import { createAdmission } from '#src/api/auth/admission.js';
import { callerOf, createCallerResolver, type Caller } from '#src/api/auth/caller.js';
import { createKey } from '#src/api/auth/keys.js';
import { useAuth } from '#src/api/auth/plugin.js';
import { loadConfig } from '#src/config/load-config.js';
import { DEMO_TENANT_TOKENS } from '#src/emulator/seed.js';
import { createGateway } from '#src/gateway.js';

const APPS = '{ apps { nodes { name } } }';

describe('the resolved caller', () => {
  it('should be readable with callerOf(request) by a plugin that runs before the GraphQL pipeline', async () => {
    const key = createKey('cache-probe', new Set(['read']));
    const seen: (Caller | undefined)[] = [];
    const probe: Plugin = { onRequest: ({ request }) => void seen.push(callerOf(request)) };
    const yoga = createYoga({
      schema: createSchema({ typeDefs: 'type Query { ok: Boolean }', resolvers: { Query: { ok: () => true } } }),
      plugins: [
        useAuth({
          admission: createAdmission({
            mode: 'api-keys',
            resolve: createCallerResolver({ mode: 'api-keys', apiKeys: [key.entry], gatewayTenant: 'gw' }),
          }),
          graphiql: false,
          graphqlEndpoint: '/graphql',
        }),
        probe,
      ],
    });
    const response = await yoga.fetch('http://yoga/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key.key}` },
      body: JSON.stringify({ query: '{ ok }' }),
    });
    expect(response.status).toBe(200);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ name: 'cache-probe', tenant: 'gw' });
  });
});

describe('demo mode with fly-token access', () => {
  it('should show each documented demo token only its own demo apps', async () => {
    const gateway = createGateway(loadConfig({ env: { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', AUTH_MODE: 'fly-token' } }));
    try {
      const url = (await gateway.start()).url;
      for (const [token, apps] of Object.entries(DEMO_TENANT_TOKENS)) {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: APPS }),
        });
        const body = (await response.json()) as { data: { apps: { nodes: { name: string }[] } } };
        expect(body.data.apps.nodes.map((n) => n.name).sort()).toEqual([...apps].sort());
      }
    } finally {
      await gateway.stop();
    }
  });
});

describe('open access in production', () => {
  it('should warn at start when a production gateway runs with AUTH_MODE=none and AUTH_ALLOW_NONE=true', async () => {
    const lines: string[] = [];
    const gateway = createGateway(
      loadConfig({
        env: {
          APP_ENV: 'production',
          AUTH_ALLOW_NONE: 'true',
          PORT: '0',
          HOST: '127.0.0.1',
          LOG_LEVEL: 'warn',
          FLY_API_TOKEN: 'fo1_unused',
          FLY_API_BASE_URL: 'http://127.0.0.1:9',
          SYNC_ENABLED: 'false',
        },
      }),
      { logDestination: { write: (line: string) => void lines.push(line) } },
    );
    try {
      await gateway.start();
    } finally {
      await gateway.stop();
    }
    expect(lines.some((line) => line.includes('AUTH_MODE=none in production'))).toBe(true);
  });
});
