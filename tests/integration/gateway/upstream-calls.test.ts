import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '#src/config/load-config.js';
import { createEmulator, type Emulator } from '#src/emulator/emulator.js';
import { createGateway, type Gateway } from '#src/gateway.js';

async function query(gateway: Gateway, q: string) {
  const response = await gateway.fetch('http://gateway/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: q }),
  });
  return (await response.json()) as { data?: any; errors?: any[]; extensions?: any };
}

describe('gateway against a Fly API given by FLY_API_BASE_URL', () => {
  let emulator: Emulator;
  let gateway: Gateway;

  beforeAll(async () => {
    emulator = createEmulator({ seed: 'demo' });
    const baseUrl = await emulator.start();
    // Per-request batching is what these tests count, so the cross-request cache is off (tests/integration/cache covers it).
    gateway = createGateway(
      loadConfig({ env: { FLY_API_TOKEN: emulator.token, FLY_API_BASE_URL: baseUrl, LOG_LEVEL: 'silent', CACHE_ENABLED: 'false' } }),
    );
  });
  afterAll(async () => {
    await gateway?.stop();
    await emulator?.stop();
  });
  beforeEach(() => emulator.resetRequestCounts());

  it('should run in live mode without an emulator of its own when FLY_API_TOKEN is set', () => {
    expect(gateway.mode).toBe('live');
    expect(gateway.emulator).toBeUndefined();
  });

  it('should make one apps list and one machines list per app when apps and their machines are queried', async () => {
    const body = await query(gateway, '{ apps { nodes { machines { nodes { machineId } } } } }');
    expect(body.errors).toBeUndefined();
    const appCount = body.data.apps.nodes.length;
    expect(appCount).toBeGreaterThanOrEqual(3);
    const counts = emulator.requestCounts();
    expect(counts).toEqual({ 'apps.list': 1, 'machines.list': appCount });
    expect(body.extensions.upstreamCalls.total).toBe(1 + appCount);
  });

  it('should take events and checks from the machine list when they are selected too', async () => {
    const body = await query(gateway, '{ apps { nodes { machines { nodes { machineId events { id } checks { name } } } } } }');
    expect(body.errors).toBeUndefined();
    expect(emulator.requestCounts()).toEqual({ 'apps.list': 1, 'machines.list': body.data.apps.nodes.length });
  });

  it('should return a GraphQL error with a stable code and no upstream secret when Fly answers 404', async () => {
    const body = await query(gateway, '{ machines(app: "no-such-app") { nodes { machineId } } }');
    expect(body.errors?.[0].extensions.code).toBe('NOT_FOUND');
    expect(body.errors?.[0].message).not.toMatch(/Unexpected error/);
    expect(JSON.stringify(body)).not.toContain(emulator.token);
  });

  it('should return null for a missing app when looked up by name', async () => {
    const body = await query(gateway, '{ app(name: "no-such-app") { name } }');
    expect(body.errors).toBeUndefined();
    expect(body.data.app).toBeNull();
  });

  it('should map an upstream outage to UPSTREAM_UNAVAILABLE when Fly answers 503', async () => {
    emulator.faults.add({ route: 'apps.list', status: 503 });
    try {
      const body = await query(gateway, '{ apps { nodes { name } } }');
      expect(body.errors?.[0].extensions.code).toBe('UPSTREAM_UNAVAILABLE');
    } finally {
      emulator.faults.clear();
    }
  });
});
