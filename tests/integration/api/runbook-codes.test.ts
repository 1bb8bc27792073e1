import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '#src/api/errors.js';
import { startGatewayHarness, type GatewayHarness } from '../../helpers/gateway-harness.js';

const runbook = readFileSync(path.resolve(import.meta.dirname, '../../../docs/RUNBOOK.md'), 'utf8');

/** The codes in the runbook's "Error codes" table, in order. */
function documentedCodes(): string[] {
  const section = runbook.slice(runbook.indexOf('## Error codes'));
  const table = section.slice(0, section.indexOf('\n\n', section.indexOf('| Code |')));
  return [...table.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);
}

/** The codes the runbook's symptom table tells operators about. */
function symptomCodes(): string[] {
  const section = runbook.slice(runbook.indexOf('## Symptoms'), runbook.indexOf('## Error codes'));
  return [...new Set([...section.matchAll(/`([A-Z][A-Z_]{5,})`/g)].map((m) => m[1]).filter((code) => documentedCodes().includes(code)))];
}

let h: GatewayHarness;
let machineId: string;
const APP = 'codes';

beforeAll(async () => {
  h = await startGatewayHarness({ seed: 'none', env: { FLY_API_DEADLINE_MS: '400' } });
  h.emu.control.createApp(APP);
  machineId = h.emu.control.createMachine(APP, { state: 'started', config: { image: 'x:1' } }).id;
});
afterAll(() => h?.close());

const machineQuery = (id: string) => ({ query: `{ machine(app: "${APP}", machineId: "${id}") { machineId state } }` });
const start = (id: string, extra = '') => ({
  query: `mutation { startMachine(input: { app: "${APP}", machineId: "${id}"${extra} }) { __typename ... on Error { code } } }`,
});
const destroy = (id: string) => ({
  query: `mutation { destroyMachine(input: { app: "${APP}", machineId: "${id}" }) { __typename ... on Error { code } } }`,
});
const firstCode = (answer: { data?: any; errors?: { extensions?: Record<string, any> }[] }, field?: string) =>
  field ? answer.data?.[field]?.code : answer.errors?.[0]?.extensions?.code;

/** How each code is provoked: through the API, with the emulator misbehaving where that is the cause. */
const provoke: Record<string, () => Promise<string | undefined>> = {
  BAD_USER_INPUT: async () => firstCode(await h.post(start('not-an-id')), 'startMachine'),
  NOT_FOUND: async () => firstCode(await h.post(start('0123456789abcd')), 'startMachine'),
  LEASE_HELD: async () => {
    const leased = h.emu.control.createMachine(APP, { state: 'stopped', config: { image: 'x:1' } }).id;
    h.emu.control.acquireLease(APP, leased, 60);
    return firstCode(await h.post(start(leased)), 'startMachine');
  },
  INVALID_STATE: async () => firstCode(await h.post(destroy(machineId)), 'destroyMachine'),
  RATE_LIMITED: async () => {
    h.emu.faults.add({ route: 'machines.start', status: 429, times: 1 });
    return firstCode(await h.post(start(machineId)), 'startMachine');
  },
  UPSTREAM_UNAVAILABLE: async () => {
    h.emu.faults.add({ route: 'machines.get', status: 503, times: 10 });
    const answer = await h.post(machineQuery(machineId));
    h.emu.faults.clear();
    return firstCode(answer);
  },
  DEADLINE_EXCEEDED: async () => {
    h.emu.faults.add({ route: 'machines.get', hang: true, times: 10 });
    const answer = await h.post(machineQuery(machineId));
    h.emu.faults.clear();
    return firstCode(answer);
  },
  OUTCOME_UNKNOWN: async () => {
    h.emu.faults.add({ route: 'machines.start', hang: true, times: 1 });
    const answer = await h.post(start(machineId));
    h.emu.faults.clear();
    return firstCode(answer, 'startMachine');
  },
  UNAUTHORIZED: async () => {
    h.emu.faults.add({ route: 'machines.get', status: 401, times: 1 });
    return firstCode(await h.post(machineQuery(machineId)));
  },
};

describe('the runbook error codes', () => {
  it('should document exactly the codes the gateway answers with', () => {
    expect([...documentedCodes()].sort()).toEqual([...Object.values(ErrorCode)].sort());
  });

  it('should be able to provoke every code the symptoms table names', () => {
    for (const code of symptomCodes()) expect(Object.keys(provoke), `no scenario for ${code}`).toContain(code);
  });

  for (const [code, scenario] of Object.entries(provoke)) {
    it(`should answer ${code} where the runbook says it does`, async () => {
      expect(await scenario()).toBe(code);
    });
  }
});
