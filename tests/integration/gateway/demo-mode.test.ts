import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '#src/config/load-config.js';
import { createGateway, type Gateway } from '#src/gateway.js';

const appsQuery = '{ apps { nodes { name machines { nodes { machineId state region events { type } checks { name status } } } } } }';

async function postQuery(url: string, query: string) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return { status: response.status, body: (await response.json()) as { data?: any; errors?: any[] } };
}

describe('gateway in demo mode', () => {
  const env = { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' };
  let first: Gateway;
  let second: Gateway;
  let firstUrl: string;
  let secondUrl: string;

  beforeAll(async () => {
    // Two gateways, each with its own emulator, in one process: nothing is shared through module state.
    first = createGateway(loadConfig({ env }));
    second = createGateway(loadConfig({ env }));
    firstUrl = (await first.start()).url;
    secondUrl = (await second.start()).url;
  });

  afterAll(async () => {
    await first?.stop();
    await second?.stop();
  });

  it('should run in demo mode with its own emulator when no Fly token is configured', () => {
    expect(first.mode).toBe('demo');
    expect(first.emulator?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(second.emulator?.url).not.toBe(first.emulator?.url);
    expect(firstUrl).not.toBe(secondUrl);
  });

  it('should return demo apps across regions with machines in several states, events and checks', async () => {
    const { status, body } = await postQuery(firstUrl, appsQuery);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const apps = body.data.apps.nodes as any[];
    expect(apps.length).toBeGreaterThanOrEqual(3);
    const machines = apps.flatMap((a) => a.machines.nodes);
    expect(new Set(machines.map((m) => m.region)).size).toBeGreaterThanOrEqual(2);
    expect(new Set(machines.map((m) => m.state)).size).toBeGreaterThanOrEqual(2);
    expect(machines.some((m) => m.events.length > 0)).toBe(true);
    expect(machines.some((m) => m.checks.length > 0)).toBe(true);
  });

  it('should answer /healthz and a passing /readyz with per-check latency when the emulator is up', async () => {
    const base = firstUrl.replace(/\/graphql$/, '');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    const report = (await ready.json()) as { status: string; mode: string; checks: { name: string; status: string; latencyMs: number }[] };
    expect(report.status).toBe('pass');
    expect(report.mode).toBe('demo');
    expect(report.checks).toEqual([{ name: 'fly', status: 'pass', latencyMs: expect.any(Number) }]);
  });

  it('should report the health query with mode and checks when asked over GraphQL', async () => {
    const { body } = await postQuery(secondUrl, '{ health { ok mode checks { name ok latencyMs } } }');
    expect(body.data.health).toMatchObject({ ok: true, mode: 'demo', checks: [{ name: 'fly', ok: true }] });
  });

  it('should serve GraphiQL with assets from the gateway itself when a browser asks', async () => {
    const page = await fetch(firstUrl, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('/graphiql/assets/yoga-graphiql.umd.js');
    expect(html).not.toMatch(/https?:\/\/(unpkg|cdn|raw\.githubusercontent)/);
    const base = firstUrl.replace(/\/graphql$/, '');
    const script = await fetch(`${base}/graphiql/assets/yoga-graphiql.umd.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect((await script.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
    expect((await fetch(`${base}/graphiql/assets/../../package.json`)).status).toBe(404);
  });

  it('should report not ready when the emulator stops answering', async () => {
    const gateway = createGateway(loadConfig({ env }));
    const { url } = await gateway.start();
    try {
      await gateway.emulator!.stop();
      const ready = await fetch(url.replace(/\/graphql$/, '/readyz'));
      expect(ready.status).toBe(503);
      const report = (await ready.json()) as { checks: { status: string; message?: string }[] };
      expect(report.checks[0].status).toBe('fail');
    } finally {
      await gateway.stop();
    }
  });
});
