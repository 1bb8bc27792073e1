import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Gateway } from '#src/gateway.js';
import { buildTestGateway, type BuiltTestGateway } from '../../helpers/test-gateway.js';
import { STATE_CHANGES, startTestGateway, subscribeSse, subscribeWs, uniqueApp, type TestGateway } from '../events/harness.js';

/** `{ field: value }` of the active-subscriptions gauge. */
async function activeSubscriptions(gateway: Gateway): Promise<Record<string, number>> {
  const { values } = await gateway.metrics.subscriptionsActive.get();
  return Object.fromEntries(values.map((v) => [String(v.labels.field), v.value]));
}

describe('rate-budget metric', () => {
  let built: BuiltTestGateway | undefined;
  afterEach(async () => {
    await built?.close();
    built = undefined;
  });

  it('should count immediate and queued tokens per operation when a burst exceeds the budget', async () => {
    // apps.list: 1 per second, burst 3, per org. Four in a row (at once they would share one call): three go at
    // once, the fourth queues for about a second.
    built = await buildTestGateway({ env: { FLY_RATE_LIMIT: 'true', CACHE_ENABLED: 'false' } });
    const gateway = built.gateway;
    for (let i = 0; i < 4; i++) {
      const answer = await gateway.fetch('http://gateway/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ apps { nodes { name } } }' }),
      });
      expect((await answer.json()) as object).not.toHaveProperty('errors');
    }

    const { values } = await gateway.metrics.rateBudgetWaits.get();
    const count = (outcome: string) =>
      values.find(
        (v) =>
          v.metricName === 'flygate_rate_budget_wait_seconds_count' && v.labels.outcome === outcome && v.labels.operation === 'apps.list',
      )?.value ?? 0;
    expect(count('immediate')).toBe(3);
    expect(count('queued')).toBe(1);
    const queuedSum =
      values.find((v) => v.metricName === 'flygate_rate_budget_wait_seconds_sum' && v.labels.outcome === 'queued')?.value ?? 0;
    expect(queuedSum).toBeGreaterThan(0.5);
    const text = await gateway.metrics.registry.metrics();
    expect(text).toContain('flygate_rate_budget_wait_seconds_count{operation="apps.list",outcome="queued"} 1');
  });
});

describe('active-subscriptions metric', () => {
  let gw: TestGateway | undefined;
  afterEach(async () => {
    await gw?.close();
    gw = undefined;
  });

  it('should rise while graphql-ws and SSE subscribers listen and fall back when they leave', async () => {
    gw = await startTestGateway();
    const app = uniqueApp();
    const overWs = subscribeWs(gw.wsUrl, STATE_CHANGES, { app });
    const overSse = subscribeSse(gw.graphqlUrl, STATE_CHANGES, { app });
    const gateway = gw.gateway;
    await vi.waitFor(async () => expect(await activeSubscriptions(gateway)).toEqual({ machineStateChanged: 2 }), { timeout: 5_000 });

    await overWs.close();
    await vi.waitFor(async () => expect(await activeSubscriptions(gateway)).toEqual({ machineStateChanged: 1 }), { timeout: 5_000 });
    await overSse.close();
    await vi.waitFor(async () => expect(await activeSubscriptions(gateway)).toEqual({ machineStateChanged: 0 }), { timeout: 5_000 });
  });

  it('should not count a subscription the schema refuses when its arguments are invalid', async () => {
    gw = await startTestGateway();
    const refused = subscribeWs(gw.wsUrl, 'subscription { machineStateChanged { kind } }', {});
    await expect(refused.failed).resolves.toBeDefined();
    expect(await activeSubscriptions(gw.gateway)).toEqual({});
    await refused.close();
  });
});
