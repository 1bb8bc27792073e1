import { createClient } from 'graphql-ws';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestGateway, type TestGateway } from '../events/harness.js';

const HEALTH = 'subscription { health(intervalSeconds: 1) { ok checks { name ok message } } }';

/** Opens `count` health subscriptions on one graphql-ws socket; resolves once each has had its first report. */
async function healthSubscriptions(wsUrl: string, count: number) {
  const client = createClient({ url: wsUrl, webSocketImpl: WebSocket, retryAttempts: 0, lazy: false });
  const stops: (() => void)[] = [];
  const firsts: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    firsts.push(
      new Promise<void>((resolve, reject) => {
        stops.push(client.subscribe({ query: HEALTH }, { next: () => resolve(), error: reject, complete: () => undefined }));
      }),
    );
  }
  await Promise.all(firsts);
  return {
    async close() {
      for (const stop of stops) stop();
      await client.dispose();
    },
  };
}

/** Polls /readyz every 200 ms for `ms`; returns every status seen. */
async function pollReadyz(base: string, ms: number): Promise<number[]> {
  const statuses: number[] = [];
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const response = await fetch(`${base}/readyz`);
    await response.text();
    statuses.push(response.status);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return statuses;
}

describe('readiness under many health subscriptions', () => {
  let gw: TestGateway | undefined;
  afterEach(async () => {
    await gw?.close();
    gw = undefined;
  });

  it('should keep /readyz at 200 when fifty 1-second health subscriptions share the rate-limited upstream probe', async () => {
    gw = await startTestGateway({ env: { FLY_RATE_LIMIT: 'true', HEALTH_PROBE_INTERVAL_MS: '1000' } });
    const subs = await healthSubscriptions(gw.wsUrl, 50);
    try {
      const statuses = await pollReadyz(gw.base, 3_500);
      expect(statuses.filter((s) => s !== 200)).toEqual([]);
    } finally {
      await subs.close();
    }
  });

  it('should call tokens.current at most once per probe interval whoever asks when the client budget is off', async () => {
    gw = await startTestGateway({ env: { FLY_RATE_LIMIT: 'false', HEALTH_PROBE_INTERVAL_MS: '1000' } });
    const started = Date.now();
    const subs = await healthSubscriptions(gw.wsUrl, 50);
    try {
      await pollReadyz(gw.base, 3_000);
      const elapsedS = (Date.now() - started) / 1000;
      // One probe at start, then at most one per elapsed interval (plus one for a refresh just started).
      expect(gw.emu.requestCounts()['tokens.current'] ?? 0).toBeLessThanOrEqual(Math.ceil(elapsedS) + 1);
    } finally {
      await subs.close();
    }
  });
});
