import { afterAll, beforeAll, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '#src/emulator/emulator.js';
import { startRedisServer, type TestRedisServer } from '../../helpers/redis-server.js';
import { DEPLOY, GET, HEALTHY_CONFIG } from '../deploy/harness.js';
import { startTestGateway, uniqueApp, type TestGateway } from '../events/harness.js';

// Two gateways on one Redis and one emulator, in real time (instant transitions, IMMEDIATE needs no waiting).
let server: TestRedisServer;
let emu: Emulator;
let a: TestGateway;
let b: TestGateway;
beforeAll(async () => {
  server = await startRedisServer();
  emu = createEmulator({ seed: 'none', delays: { start: 0, stop: 0, restart: 0, suspend: 0, destroy: 0, update: 0, create: 0 } });
  await emu.start({ port: 0, host: '127.0.0.1' });
  a = await startTestGateway({ emulator: emu, env: { REDIS_URL: server.url } });
  b = await startTestGateway({ emulator: emu, env: { REDIS_URL: server.url } });
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  await emu?.stop();
  await server?.stop();
});

async function graphql(gw: TestGateway, query: string, variables: Record<string, unknown>): Promise<any> {
  const response = await fetch(gw.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return ((await response.json()) as { data: any }).data;
}

async function until(gw: TestGateway, id: string, status: string): Promise<any> {
  let seen: any;
  for (let i = 0; i < 400; i++) {
    seen = (await graphql(gw, GET, { id })).deployment;
    if (seen?.status === status) return seen;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`still ${seen?.status}`);
}

it('a deployment run by one instance is reported by the other, and the app lock is shared', async () => {
  const app = uniqueApp('shop');
  emu.control.createApp(app);
  for (let i = 0; i < 3; i++) emu.control.createMachine(app, { config: HEALTHY_CONFIG, state: 'started' });
  const started = await graphql(a, DEPLOY, { input: { app, image: 'registry.fly.io/shop:v2', strategy: 'IMMEDIATE' } });
  const id: string = started.deployApp.deployment.id;
  const seen = await until(b, id, 'SUCCEEDED');
  expect(seen).toMatchObject({ id, app });
  expect(seen.steps.filter((s: { step: string }) => s.step === 'HEALTHY')).toHaveLength(3);
});

it('refuses a second deployment of the app on another instance while one runs', async () => {
  const app = uniqueApp('shop');
  emu.control.createApp(app);
  for (let i = 0; i < 2; i++) emu.control.createMachine(app, { config: HEALTHY_CONFIG, state: 'started' });
  // Checks never pass: it keeps running until cancelled.
  const started = await graphql(a, DEPLOY, { input: { app, image: 'registry.fly.io/shop:v2-unhealthy', waitTimeoutSeconds: 300 } });
  const id: string = started.deployApp.deployment.id;
  const second = await graphql(b, DEPLOY, { input: { app, image: 'registry.fly.io/shop:v3', strategy: 'IMMEDIATE' } });
  expect(second.deployApp).toMatchObject({ __typename: 'LeaseHeldError', message: expect.stringMatching(/another deployment/) });
  expect((await graphql(b, GET, { id })).deployment.status).toBe('RUNNING');
  await graphql(
    a,
    `
      mutation ($id: String!) {
        cancelDeployment(id: $id) {
          __typename
        }
      }
    `,
    { id },
  );
  const done = await until(b, id, 'CANCELLED');
  expect(done.steps.some((s: { step: string }) => s.step === 'ROLLED_BACK')).toBe(true);
});
