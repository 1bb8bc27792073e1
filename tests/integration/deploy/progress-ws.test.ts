import { afterEach, expect, it } from 'vitest';
import { manual, startTestGateway, subscribeWs, type TestGateway, type TestSubscriber } from '../events/harness.js';
import { DEPLOY, GET, HEALTHY_CONFIG } from './harness.js';

const PROGRESS = `subscription Progress($id: String!) {
  deploymentProgress(id: $id) { kind deploymentId status error step { seq machineId step at message } }
}`;

let gw: TestGateway | undefined;
let sub: TestSubscriber | undefined;
afterEach(async () => {
  await sub?.close();
  await gw?.close();
});

async function graphql(url: string, query: string, variables: Record<string, unknown>): Promise<any> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return ((await response.json()) as { data: any }).data;
}

it('a graphql-ws client on deploymentProgress sees every step in order, then the final status', async () => {
  gw = await startTestGateway({ manualClock: true });
  const clock = manual(gw);
  gw.emu.control.createApp('shop');
  for (let i = 0; i < 3; i++) gw.emu.control.createMachine('shop', { config: HEALTHY_CONFIG, state: 'started' });
  const started = await graphql(gw.graphqlUrl, DEPLOY, {
    input: { app: 'shop', image: 'registry.fly.io/shop:v2-unhealthy', strategy: 'CANARY', waitTimeoutSeconds: 5 },
  });
  const id: string = started.deployApp.deployment.id;
  sub = subscribeWs(gw.wsUrl, PROGRESS, { id });

  let done = false;
  const pump = (async () => {
    while (!done) {
      await clock.advance(100);
      await new Promise((r) => setTimeout(r, 2));
    }
  })();
  const received: any[] = [];
  try {
    for (;;) {
      const message = (await sub.next(20_000)) as any;
      received.push(message);
      if (message.kind === 'STATUS') break;
    }
  } finally {
    done = true;
    await pump;
  }

  const steps = received.filter((m) => m.kind === 'STEP').map((m) => m.step);
  expect(steps.map((s) => s.seq)).toEqual(steps.map((_, i) => i + 1));
  expect(received.at(-1)).toMatchObject({ kind: 'STATUS', deploymentId: id, status: 'ROLLED_BACK' });
  // Exactly what the stored deployment lists, nothing missing or repeated.
  const stored = (await graphql(gw.graphqlUrl, GET, { id })).deployment;
  expect(steps).toEqual(stored.steps.map((s: any) => ({ seq: s.seq, machineId: s.machineId, step: s.step, at: s.at, message: s.message })));
  expect(steps.map((s) => s.step)).toEqual([
    'LEASED',
    'LEASED',
    'LEASED',
    'UPDATING',
    'WAITING_FOR_START',
    'WAITING_FOR_CHECKS',
    'FAILED',
    'ROLLED_BACK',
  ]);
});

it('an unknown deployment id is a NOT_FOUND error on the subscription', async () => {
  gw = await startTestGateway({ manualClock: true });
  sub = subscribeWs(gw.wsUrl, PROGRESS, { id: 'dep_00000000000000000000' });
  const failure = (await sub.failed) as { extensions?: { code?: string } }[];
  expect(failure[0]?.extensions?.code).toBe('NOT_FOUND');
});
