import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExampleTab } from '#src/api/http/examples.js';
import { loadConfig } from '#src/config/load-config.js';
import { DEMO_CERTIFICATE_HOSTNAME } from '#src/emulator/seed.js';
import { createGateway, type Gateway } from '#src/gateway.js';

/** The example tabs a demo gateway's GraphiQL page opens with, as the browser gets them. */
async function servedTabs(url: string): Promise<ExampleTab[]> {
  const html = await (await fetch(url, { headers: { accept: 'text/html' } })).text();
  const options = /renderYogaGraphiQL\(document\.getElementById\('root'\), (.*)\);<\/script>/.exec(html)?.[1];
  if (!options) throw new Error('no GraphiQL options in the page');
  return (JSON.parse(options) as { defaultTabs: ExampleTab[] }).defaultTabs;
}

describe('the Certificate example in demo mode', () => {
  let gateway: Gateway;
  let url = '';

  beforeAll(async () => {
    gateway = createGateway(loadConfig({ env: { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' } }));
    url = (await gateway.start()).url;
  });
  afterAll(async () => gateway?.stop());

  it('should answer the DNS records to add for the demo certificate when run as served, with no edits', async () => {
    const tab = (await servedTabs(url)).find((t) => /^query Certificate/m.test(t.query));
    expect(tab).toBeDefined();
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: tab!.query, variables: JSON.parse(tab!.variables!) }),
    });
    const body = (await response.json()) as { data: any; errors?: unknown[] };
    expect(body.errors).toBeUndefined();
    // Its DNS "arrives" DEMO_DNS_DELAY_MS after start, long after this runs.
    expect(body.data.app.certificate).toMatchObject({
      hostname: DEMO_CERTIFICATE_HOSTNAME,
      status: 'AWAITING_CONFIGURATION',
      dnsRecordsToAdd: [{ type: 'CNAME', name: DEMO_CERTIFICATE_HOSTNAME, value: 'demo-web.fly.dev' }],
    });
    expect(body.data.app.ipAddresses.map((ip: { type: string }) => ip.type).sort()).toEqual(['SHARED_V4', 'V6']);
  });

  it('should list both demo hostnames: the apex with its DNS in place from the start, www still waiting for its own', async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ app(name: "demo-web") { certificates { totalCount nodes { hostname status configured } } } }' }),
    });
    const body = (await response.json()) as { data: any };
    expect(body.data.app.certificates.totalCount).toBe(2);
    const [apex, www] = body.data.app.certificates.nodes;
    // The apex is issued 1.5 s (the emulator's default) after start: either side of that, its DNS is in place.
    expect(apex).toMatchObject({
      hostname: 'demo-web.example',
      configured: true,
      status: expect.stringMatching(/^(AWAITING_CERTIFICATE|ISSUED)$/),
    });
    expect(www).toMatchObject({ hostname: DEMO_CERTIFICATE_HOSTNAME, configured: false, status: 'AWAITING_CONFIGURATION' });
  });
});
