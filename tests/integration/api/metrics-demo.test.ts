import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleTabs } from '#src/api/http/examples.js';
import { loadConfig } from '#src/config/load-config.js';
import { createGateway, type Gateway } from '#src/gateway.js';

// The Metrics tab of GraphiQL, as shipped, against a demo gateway (no Fly token: the embedded emulator serves
// the metrics API on its own URL): it runs with no edits and answers typed series.

describe('the Metrics example on the demo', () => {
  let gateway: Gateway;
  beforeAll(async () => {
    gateway = createGateway(loadConfig({ env: { LOG_LEVEL: 'silent', EMULATOR_ACTIVITY_MS: '600000' } }));
    await gateway.start();
  });
  afterAll(async () => gateway?.stop());

  it('should answer the Metrics tab for the demo app without errors', async () => {
    const tab = exampleTabs({ app: 'demo-web', machineId: 'unused' }).find((t) => /^query Metrics/m.test(t.query))!;
    const response = await gateway.fetch('http://gateway/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: tab.query, variables: JSON.parse(tab.variables!) }),
    });
    const body = (await response.json()) as { data: any; errors?: unknown[] };
    expect(body.errors).toBeUndefined();
    expect(body.data.app.metrics.__typename).toBe('AppMetrics');
    expect(Array.isArray(body.data.app.metrics.httpResponses)).toBe(true);
    const machines = body.data.app.machines.nodes;
    expect(machines.length).toBeGreaterThan(0);
    for (const m of machines) expect(m.metrics.__typename).toBe('MachineMetrics');
  });
});
