import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayHarness, type GatewayHarness } from '../../helpers/gateway-harness.js';
import { misspellings } from '../../helpers/misspellings.js';
import { startTestGateway, subscribeWs, type TestGateway } from '../events/harness.js';

let dev: GatewayHarness;
let prod: GatewayHarness;
/** The production config on a real socket, for graphql-ws. */
let prodWs: TestGateway;
beforeAll(async () => {
  dev = await startGatewayHarness({ seed: 'demo' });
  prod = await startGatewayHarness({ seed: 'demo', env: { APP_ENV: 'production' } });
  prodWs = await startTestGateway({ env: { APP_ENV: 'production' } });
  prodWs.emu.control.createApp('demo-web');
});
afterAll(async () => {
  await dev.close();
  await prod.close();
  await prodWs?.close();
});

describe('suggestions are masked when GRAPHQL_MASK_SUGGESTIONS is on', () => {
  for (const { name, body, names } of misspellings) {
    it(`should answer 400 without "Did you mean" and without running anything when a query has ${name}`, async () => {
      prod.resetCounts();
      const answer = await prod.post(body);
      expect(answer.status).toBe(400);
      expect(answer.errors?.[0].message).toContain(names);
      expect(JSON.stringify(answer.errors)).not.toMatch(/did you mean/i);
      expect(prod.total()).toBe(0);
    });
  }

  it('should keep the hints in development when the setting is off', async () => {
    for (const { name, body } of misspellings) {
      const answer = await dev.post(body);
      expect(JSON.stringify(answer.errors), name).toContain('Did you mean');
    }
  });
});

describe('suggestions are masked over graphql-ws too', () => {
  for (const { name, body, names } of misspellings) {
    it(`should answer without "Did you mean" and without running anything when a WebSocket operation has ${name}`, async () => {
      prodWs.emu.resetRequestCounts();
      const subscriber = subscribeWs(prodWs.wsUrl, body.query, body.variables ?? {});
      try {
        const failure = await subscriber.failed;
        const text = JSON.stringify(failure);
        expect(text).toContain(names);
        expect(text).not.toMatch(/did you mean/i);
        expect(Object.values(prodWs.emu.requestCounts()).reduce((a, b) => a + b, 0)).toBe(0);
      } finally {
        await subscriber.close();
      }
    });
  }
});
