import { Agent, type Dispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '#src/config/load-config.js';
import { createEmulator, type Emulator } from '#src/emulator/emulator.js';
import { createGateway, type Gateway } from '#src/gateway.js';
import { INSTANT, liveEnv } from '../../helpers/test-gateway.js';

/** Every machine-list URL the gateway asked Fly for, in order. */
function recordingAgent(seen: string[]): Dispatcher {
  return new Agent().compose((dispatch) => (options, handler) => {
    if (/\/machines(\?|$)/.test(options.path)) seen.push(options.path);
    return dispatch(options, handler);
  });
}

describe('machine lists sized to the selection', () => {
  let emu: Emulator;
  let gateway: Gateway;
  const seen: string[] = [];
  beforeAll(async () => {
    emu = createEmulator({ seed: 'none', delays: INSTANT });
    await emu.start({ port: 0, host: '127.0.0.1' });
    for (const app of ['s-one', 's-two']) {
      emu.control.createApp(app);
      emu.control.createMachine(app, { state: 'started', config: { image: 'registry.fly.io/web:1', env: { MODE: 'demo' } } });
    }
    // Reads go to Fly every time here: what is asked for is the point.
    gateway = createGateway(loadConfig({ env: { ...liveEnv(emu), CACHE_ENABLED: 'false' } }), { dispatcher: recordingAgent(seen) });
  });
  afterAll(async () => {
    await gateway?.stop();
    await emu?.stop();
  });

  async function ask(query: string) {
    seen.length = 0;
    const response = await gateway.fetch('http://gw/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    const body = (await response.json()) as any;
    expect(body.errors).toBeUndefined();
    return body.data;
  }

  it('should ask for summary bodies when the selection reads nothing they leave out', async () => {
    const data = await ask('{ app(name: "s-one") { machines { nodes { machineId name state region version } } } }');
    expect(data.app.machines.nodes).toHaveLength(1);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toContain('summary=true');
  });

  it('should ask for full bodies when the selection reads config, checks or events, also through fragments', async () => {
    for (const query of [
      '{ app(name: "s-one") { machines { nodes { image } } } }',
      '{ app(name: "s-one") { machines { edges { node { checks { name } } } } } }',
      '{ app(name: "s-one") { machines { nodes { ...M } } } } fragment M on Machine { state config { image } }',
      '{ machines(app: "s-one") { nodes { ... on Machine { events(limit: 1) { type } } } } }',
    ]) {
      await ask(query);
      expect(seen, query).toHaveLength(1);
      expect(seen[0], query).not.toContain('summary=true');
    }
  });

  it('should read one full list per app when health needs checks and machines would do with summaries', async () => {
    const data = await ask('{ apps { nodes { name health { status } machines { nodes { machineId state } } } } }');
    expect(data.apps.nodes.length).toBeGreaterThanOrEqual(2);
    expect(seen).toHaveLength(data.apps.nodes.length);
    expect(seen.every((path) => !path.includes('summary=true'))).toBe(true);
  });

  it('should never hand a summary body to a field that needs the config', async () => {
    const list = await ask('{ app(name: "s-one") { machines { nodes { machineId } } } }');
    const id = list.app.machines.nodes[0].machineId;
    const data = await ask(
      `{ app(name: "s-one") { machines { nodes { machineId state } } } machine(app: "s-one", machineId: "${id}") { image config { envKeys } } }`,
    );
    // The single machine is read in full beside a summary list (priming from summaries is held off by loaders.test.ts).
    expect(data.machine).toEqual({ image: 'registry.fly.io/web:1', config: { envKeys: ['MODE'] } });
  });
});
