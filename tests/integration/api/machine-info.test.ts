import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '#src/api/auth/keys.js';
import { createEmulator } from '#src/emulator/emulator.js';
import { buildTestGateway, INSTANT, type BuiltTestGateway } from '../../helpers/test-gateway.js';

// Machine.versions, Machine.processes and Machine.memory, setMachineMemoryLimit and reclaimMachineMemory: each is one
// declared Fly operation exposed as it is (no use case, no binding), with exact upstream counts.

const CONFIG = {
  image: 'registry.fly.io/info:v1',
  guest: { cpu_kind: 'shared', cpus: 1, memory_mb: 512 },
  init: { cmd: ['node', 'server.js'] },
};

const INFO = `query($app: String!) {
  machines(app: $app) { nodes { machineId state versions { version config { image } } processes(sortBy: CPU, order: DESC) { pid command cpu rssBytes listenSockets { address proto } } memory { limitMb availableMb } } }
}`;
const SET = `mutation($app: String!, $id: String!, $limit: Int!, $nonce: String) {
  setMachineMemoryLimit(input: { app: $app, machineId: $id, limitMb: $limit, leaseNonce: $nonce }) {
    __typename ... on SetMachineMemoryLimitSuccess { memory { limitMb availableMb } } ... on Error { code message } ... on InvalidInputError { issues { field message } }
  }
}`;
const RECLAIM = `mutation($app: String!, $id: String!) {
  reclaimMachineMemory(input: { app: $app, machineId: $id, amountMb: 100 }) { __typename ... on ReclaimMachineMemorySuccess { reclaimedMb } ... on Error { code } }
}`;

describe('machine versions, processes and memory', () => {
  let built: BuiltTestGateway;
  let started = '';
  let stopped = '';
  const ask = async (query: string, variables: Record<string, unknown>, authorization?: string) => {
    const response = await built.gateway.fetch('http://gateway/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as {
      data: any;
      errors?: unknown[];
      extensions: { upstreamCalls: { byOperation: Record<string, number> } };
    };
  };
  const byId = (nodes: { machineId: string }[], id: string) => nodes.find((n) => n.machineId === id) as any;

  beforeAll(async () => {
    built = await buildTestGateway({ env: { CACHE_RESPONSE_MAX_BYTES: '0' } });
    built.emu.control.createApp('info');
    started = built.emu.control.createMachine('info', { config: CONFIG }).id;
    stopped = built.emu.control.createMachine('info', { config: CONFIG }).id;
    built.emu.control.setMachineState('info', stopped, 'stopped');
  });
  afterAll(async () => built?.close());

  it('should answer each field with one call per machine, cache versions and memory, and never cache processes', async () => {
    const first = await ask(INFO, { app: 'info' });
    expect(first.errors).toBeUndefined();
    const a = byId(first.data.machines.nodes, started);
    expect(a.versions).toHaveLength(1);
    expect(a.versions[0].config.image).toBe(CONFIG.image);
    expect(a.processes.map((p: { command: string }) => p.command)).toContain('node server.js');
    expect(a.processes[0].cpu).toBeGreaterThanOrEqual(a.processes[1].cpu);
    expect(a.processes.some((p: { listenSockets: unknown[] }) => p.listenSockets.length > 0)).toBe(true);
    expect(a.memory).toEqual({ limitMb: 512, availableMb: expect.any(Number) });
    expect(byId(first.data.machines.nodes, stopped).processes).toEqual([]);
    expect(first.extensions.upstreamCalls.byOperation).toMatchObject({
      'machines.versions': 2,
      'machines.ps': 2,
      'machines.memory.get': 2,
    });
    const second = await ask(INFO, { app: 'info' });
    expect(second.extensions.upstreamCalls.byOperation['machines.versions']).toBeUndefined();
    expect(second.extensions.upstreamCalls.byOperation['machines.memory.get']).toBeUndefined();
    expect(second.extensions.upstreamCalls.byOperation['machines.ps']).toBe(2);
  });

  it('should set the memory limit, drop the cached memory of that machine, and refuse a limit above the guest', async () => {
    const set = await ask(SET, { app: 'info', id: started, limit: 256 });
    expect(set.data.setMachineMemoryLimit).toMatchObject({ __typename: 'SetMachineMemoryLimitSuccess', memory: { limitMb: 256 } });
    expect(set.extensions.upstreamCalls.byOperation).toEqual({ 'machines.memory.set': 1 });
    const after = await ask(INFO, { app: 'info' });
    expect(byId(after.data.machines.nodes, started).memory.limitMb).toBe(256);
    const tooMuch = await ask(SET, { app: 'info', id: started, limit: 4096 });
    expect(tooMuch.data.setMachineMemoryLimit.__typename).toBe('InvalidInputError');
    const zero = await ask(SET, { app: 'info', id: started, limit: 0 });
    expect(zero.data.setMachineMemoryLimit).toMatchObject({ __typename: 'InvalidInputError', issues: [{ field: 'input.limitMb' }] });
    expect(zero.extensions.upstreamCalls.byOperation).toEqual({});
  });

  it('should reclaim memory and say how much', async () => {
    const reclaimed = await ask(RECLAIM, { app: 'info', id: started });
    expect(reclaimed.data.reclaimMachineMemory).toMatchObject({
      __typename: 'ReclaimMachineMemorySuccess',
      reclaimedMb: expect.any(Number),
    });
    expect(reclaimed.extensions.upstreamCalls.byOperation).toEqual({ 'machines.memory.reclaim': 1 });
  });

  it('should honour the lease: without its nonce a leased machine refuses the change (LEASE_HELD), with it the change is made', async () => {
    const nonce = built.emu.control.acquireLease('info', stopped, 60);
    const refused = await ask(SET, { app: 'info', id: stopped, limit: 128 });
    expect(refused.data.setMachineMemoryLimit.__typename).toBe('LeaseHeldError');
    const allowed = await ask(SET, { app: 'info', id: stopped, limit: 128, nonce });
    expect(allowed.data.setMachineMemoryLimit).toMatchObject({ __typename: 'SetMachineMemoryLimitSuccess', memory: { limitMb: 128 } });
  });
});

describe('who may change memory', () => {
  it('should let a read key see memory but not set it (FORBIDDEN, nothing sent to Fly)', async () => {
    const reader = createKey('reader', new Set(['read']));
    const built = await buildTestGateway({ env: { AUTH_MODE: 'api-keys', API_KEYS: reader.entry } });
    try {
      built.emu.control.createApp('info');
      const id = built.emu.control.createMachine('info', { config: CONFIG }).id;
      const ask = async (query: string, variables: Record<string, unknown>) =>
        (await (
          await built.gateway.fetch('http://gateway/graphql', {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${reader.key}` },
            body: JSON.stringify({ query, variables }),
          })
        ).json()) as { data: any };
      expect((await ask(INFO, { app: 'info' })).data.machines.nodes[0].memory.limitMb).toBe(512);
      expect((await ask(SET, { app: 'info', id, limit: 128 })).data.setMachineMemoryLimit.__typename).toBe('ForbiddenError');
      expect(built.emu.requestCounts()['machines.memory.set'] ?? 0).toBe(0);
    } finally {
      await built.close();
    }
  });

  it("should keep another tenant's machines out of reach in fly-token mode: no memory, versions or processes, no change", async () => {
    const TOKEN_A = 'emu_tenant_info_a_0123456789abcdef';
    const TOKEN_B = 'emu_tenant_info_b_0123456789abcdef';
    const emu = createEmulator({ seed: 'none', delays: INSTANT, scopedTokens: { [TOKEN_A]: ['info-a'], [TOKEN_B]: ['info-b'] } });
    await emu.start({ port: 0, host: '127.0.0.1' });
    const built = await buildTestGateway({ emulator: emu, env: { AUTH_MODE: 'fly-token', CACHE_RESPONSE_MAX_BYTES: '0' } });
    try {
      emu.control.createApp('info-a');
      const id = emu.control.createMachine('info-a', { config: CONFIG }).id;
      const ask = async (token: string, query: string, variables: Record<string, unknown>) =>
        (await (
          await built.gateway.fetch('http://gateway/graphql', {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ query, variables }),
          })
        ).json()) as { data: any; errors?: { extensions: { code: string } }[] };
      const own = await ask(TOKEN_A, INFO, { app: 'info-a' });
      expect(own.data.machines.nodes[0].memory.limitMb).toBe(512);
      const stranger = await ask(TOKEN_B, INFO, { app: 'info-a' });
      expect(JSON.stringify(stranger.data ?? null)).not.toContain(id);
      expect(stranger.errors?.[0].extensions.code).toBe('NOT_FOUND');
      expect((await ask(TOKEN_B, SET, { app: 'info-a', id, limit: 128 })).data.setMachineMemoryLimit.__typename).toBe('ForbiddenError');
      expect((await ask(TOKEN_B, RECLAIM, { app: 'info-a', id })).data.reclaimMachineMemory.__typename).toBe('ForbiddenError');
      expect(emu.requestCounts()['machines.memory.set'] ?? 0).toBe(0);
      expect(emu.requestCounts()['machines.memory.reclaim'] ?? 0).toBe(0);
    } finally {
      await built.close();
      await emu.stop();
    }
  });
});
