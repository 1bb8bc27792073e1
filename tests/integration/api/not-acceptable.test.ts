import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphiqlOffReason } from '#src/config/derived.js';
import { loadConfig } from '#src/config/load-config.js';
import { startGatewayHarness, type GatewayHarness } from '../../helpers/gateway-harness.js';

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8';

let on: GatewayHarness;
let off: GatewayHarness;
let prod: GatewayHarness;
beforeAll(async () => {
  on = await startGatewayHarness();
  off = await startGatewayHarness({ env: { GRAPHIQL: 'false' } });
  prod = await startGatewayHarness({ env: { APP_ENV: 'production' } });
});
afterAll(async () => {
  await on?.close();
  await off?.close();
  await prod?.close();
});

const browserGet = (h: GatewayHarness) => h.gateway.fetch('http://gateway/graphql', { headers: { accept: BROWSER_ACCEPT } });

describe('406 answers that say why', () => {
  it('should serve GraphiQL to a browser when it is on', async () => {
    const response = await browserGet(on);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>Flygate</title>');
  });

  it('should tell a browser that GraphiQL is off and which setting turned it off when it is off', async () => {
    const response = await browserGet(off);
    expect(response.status).toBe(406);
    const text = await response.text();
    expect(text).toMatch(/GraphiQL is not served here: GRAPHIQL=false/);
    expect(text).toMatch(/POST/);
    expect(await (await browserGet(prod)).text()).toMatch(/production config turns it off/);
  });

  it('should explain that a @live result is a stream when it is asked for as plain JSON', async () => {
    const response = await on.gateway.fetch('http://gateway/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: 'query @live { health { ok } }' }),
    });
    expect(response.status).toBe(406);
    const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0].extensions.code).toBe('NOT_ACCEPTABLE');
    expect(body.errors[0].message).toMatch(/stream .*text\/event-stream/);
  });

  it('should name the accepted media types when the accept header offers none of them', async () => {
    const response = await on.gateway.fetch('http://gateway/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/xml' },
      body: JSON.stringify({ query: '{ health { ok } }' }),
    });
    expect(response.status).toBe(406);
    expect(await response.text()).toMatch(/application\/graphql-response\+json/);
  });
});

describe('why GraphiQL is off', () => {
  it('should count trusted documents as off, since GraphiQL could run none of its own operations', () => {
    expect(graphiqlOffReason(loadConfig({ env: {} }))).toBeUndefined();
    expect(graphiqlOffReason(loadConfig({ env: { GRAPHQL_TRUSTED_DOCUMENTS: 'ops.json' } }))).toMatch(/GRAPHQL_TRUSTED_DOCUMENTS/);
  });
});
