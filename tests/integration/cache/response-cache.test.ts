import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postWebhook, startTestGateway, stateChanged, uniqueApp, type TestGateway } from '../events/harness.js';
import { queryGateway as query, machinesOf } from '../../helpers/gateway-queries.js';

/** POSTs over a real socket, as a GraphQL client would (with Content-Length). */
async function overHttp(gw: TestGateway, text: string, headers: Record<string, string> = {}) {
  const response = await fetch(gw.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify({ query: text }),
  });
  return { status: response.status, type: response.headers.get('content-type'), body: (await response.json()) as any };
}

async function responseHits(gw: TestGateway): Promise<number> {
  const metric = await gw.gateway.metrics.cacheReads.get();
  return metric.values.find((v) => v.labels.entity === 'response' && v.labels.outcome === 'hit')?.value ?? 0;
}

describe('whole answers kept until what they read changes', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(() => gw?.close());

  it('should answer a repeated dashboard whole, with no Fly call, over HTTP and in process alike', async () => {
    const app = uniqueApp();
    gw.emu.control.createApp(app);
    gw.emu.control.createMachine(app, { state: 'started', config: { image: 'x:1' } });
    const dashboard = `{ app(name: "${app}") { name machines { nodes { machineId state region } } } }`;

    const cold = await overHttp(gw, dashboard);
    expect(cold.status).toBe(200);
    expect(cold.body.extensions.cache.response).toBeUndefined();
    const before = await responseHits(gw);
    gw.emu.resetRequestCounts();
    const warm = await overHttp(gw, dashboard);
    expect(warm.status).toBe(200);
    expect(warm.type).toBe(cold.type);
    expect(warm.body.data).toEqual(cold.body.data);
    expect(warm.body.extensions).toMatchObject({ upstreamCalls: { total: 0 }, cache: { response: 'hit', misses: 0 } });
    expect(gw.emu.requestCounts()).toEqual({});
    expect(await responseHits(gw)).toBe(before + 1);

    // In process (gateway.fetch) keeps its own entry: the Accept header is part of the key.
    await query(gw, dashboard);
    expect((await query(gw, dashboard)).extensions.cache.response).toBe('hit');
    expect(gw.emu.requestCounts()).toEqual({});
  });

  it('should drop the answer when an event changes a machine it read, and answer fresh on the next read', async () => {
    const app = uniqueApp();
    gw.emu.control.createApp(app);
    const machine = gw.emu.control.createMachine(app, { state: 'started', config: { image: 'x:1' } });
    await query(gw, machinesOf(app));
    expect((await query(gw, machinesOf(app))).extensions.cache.response).toBe('hit');

    gw.emu.control.setMachineState(app, machine.id, 'stopped');
    expect((await postWebhook(gw.base, stateChanged(app, machine.id, 'started', 'stopped'))).status).toBe(204);
    const fresh = await query(gw, machinesOf(app));
    expect(fresh.extensions.cache.response).toBeUndefined();
    expect(fresh.data.machines.nodes[0].state).toBe('STOPPED');
  });

  it('should drop the answer when a mutation through the gateway changes what it read', async () => {
    const app = uniqueApp();
    gw.emu.control.createApp(app);
    const machine = gw.emu.control.createMachine(app, { state: 'started', config: { image: 'x:1' } });
    await query(gw, machinesOf(app));
    await query(gw, `mutation { stopMachine(input: { app: "${app}", machineId: "${machine.id}" }) { __typename } }`);
    const after = await query(gw, machinesOf(app));
    expect(after.extensions.cache.response).toBeUndefined();
    expect(after.data.machines.nodes[0].state).not.toBe('STARTED');
  });

  it('should not keep answers with errors, answers of mutations, or answers that read nothing the cache tracks', async () => {
    const app = uniqueApp();
    gw.emu.control.createApp(app);
    const machine = gw.emu.control.createMachine(app, { state: 'started', config: { image: 'x:1' } });
    const missing = `{ machine(app: "${app}", machineId: "nope") { machineId } }`;
    await query(gw, missing);
    expect((await query(gw, missing)).extensions.cache.response).toBeUndefined();

    // Health reads no cached Fly entity: nothing would ever drop it, so it is computed each time.
    const health = '{ health { ok checks { name ok } } }';
    await query(gw, health);
    expect((await query(gw, health)).extensions.cache.response).toBeUndefined();

    const cordon = `mutation { cordonMachine(input: { app: "${app}", machineId: "${machine.id}" }) { __typename } }`;
    await query(gw, cordon);
    gw.emu.resetRequestCounts();
    expect((await query(gw, cordon)).extensions?.cache?.response).toBeUndefined();
    expect(gw.emu.requestCounts()['machines.cordon']).toBe(1);
  });

  it('should leave streams, cross-origin requests and GETs to the full pipeline', async () => {
    const app = uniqueApp();
    gw.emu.control.createApp(app);
    const text = machinesOf(app);
    await overHttp(gw, text, { origin: 'http://localhost:5173' });
    const withOrigin = await overHttp(gw, text, { origin: 'http://localhost:5173' });
    expect(withOrigin.body.extensions.cache.response).toBeUndefined();
    const get = await fetch(`${gw.graphqlUrl}?query=${encodeURIComponent(text)}`, {
      headers: { 'x-graphql-csrf': '1', accept: 'application/json' },
    });
    expect(((await get.json()) as any).extensions.cache.response).toBeUndefined();
  });

  it('should keep serving when clients leave while their cacheable reads are still in flight', async () => {
    const app = uniqueApp();
    gw.emu.control.createApp(app);
    gw.emu.faults.add({ route: 'machines.list', latencyMs: 300, times: 5 });
    const body = JSON.stringify({ query: machinesOf(app) });
    const url = new URL(gw.graphqlUrl);
    // Five clients send the request and hang up before the answer.
    await Promise.all(
      Array.from(
        { length: 5 },
        () =>
          new Promise<void>((resolve) => {
            const req = httpRequest(
              {
                host: url.hostname,
                port: url.port,
                path: url.pathname,
                method: 'POST',
                headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
              },
              () => resolve(),
            );
            req.on('error', () => resolve());
            req.end(body);
            setTimeout(() => {
              req.destroy();
              resolve();
            }, 50);
          }),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 400));
    gw.emu.faults.clear();
    const after = await overHttp(gw, machinesOf(app));
    expect(after.status).toBe(200);
    expect(after.body.data.machines.nodes).toEqual([]);
  });

  it('should drop a request whose client leaves halfway through its body, and keep answering others', async () => {
    const app = uniqueApp();
    gw.emu.control.createApp(app);
    const body = JSON.stringify({ query: machinesOf(app) });
    await overHttp(gw, machinesOf(app));
    const outcome = await new Promise<string>((resolve) => {
      const req = httpRequest(
        gw.graphqlUrl,
        { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (res) => resolve(`answered ${res.statusCode}`),
      );
      req.on('error', () => resolve('dropped'));
      req.write(body.slice(0, 10));
      setTimeout(() => req.destroy(), 100);
    });
    expect(outcome).toBe('dropped');
    const after = await overHttp(gw, machinesOf(app));
    expect(after.status).toBe(200);
    expect(after.body.extensions.cache.response).toBe('hit');
  });
});
