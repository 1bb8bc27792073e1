import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '#src/config/load-config.js';
import { createEmulator, type Emulator } from '#src/emulator/emulator.js';
import { createGateway, type Gateway } from '#src/gateway.js';

let emu: Emulator;
let gateway: Gateway;
const lines: Array<{ level: number; code?: string; msg?: string }> = [];

beforeAll(async () => {
  emu = createEmulator({ seed: 'demo' });
  await emu.start({ port: 0, host: '127.0.0.1' });
  const config = loadConfig({ env: { FLY_API_TOKEN: emu.token, FLY_API_BASE_URL: emu.url, LOG_LEVEL: 'debug', SYNC_ENABLED: 'false' } });
  gateway = createGateway(config, { logDestination: { write: (line: string) => void lines.push(JSON.parse(line)) } });
});
afterAll(async () => {
  await gateway?.stop();
  await emu?.stop();
});

async function logged(query: string): Promise<Array<{ level: number; code?: string }>> {
  lines.length = 0;
  const response = await gateway.fetch('http://gateway/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  await response.text();
  return lines.filter((line) => line.msg === 'graphql operation error');
}

const DEBUG = 20;
const WARN = 40;
const ERROR = 50;

describe('error log levels', () => {
  it('should log a client mistake at debug, not error', async () => {
    const entries = await logged('{ machine(app: "BAD APP", machineId: "x") { name } }');
    expect(entries).toEqual([expect.objectContaining({ level: DEBUG, code: 'BAD_USER_INPUT' })]);
  });

  it('should log an upstream failure at warn with its code', async () => {
    emu.faults.add({ route: 'apps.get', status: 503, times: 10 });
    const entries = await logged('{ app(name: "demo-web") { name } }');
    emu.faults.clear();
    expect(entries).toEqual([expect.objectContaining({ level: WARN, code: 'UPSTREAM_UNAVAILABLE' })]);
  });

  it('should never log a client mistake or an upstream failure at error level', async () => {
    await logged('{ machine(app: "BAD APP", machineId: "x") { name } }');
    expect(lines.filter((line) => line.level >= ERROR)).toEqual([]);
  });
});
