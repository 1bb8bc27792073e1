import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '#src/api/auth/keys.js';
import { createEmulator } from '#src/emulator/emulator.js';
import { buildTestGateway, INSTANT, type BuiltTestGateway } from '../../helpers/test-gateway.js';

// Query.placements: one POST /v1/platform/placements per question (a simulation: never cached, nothing dropped),
// answered by the emulator from its region catalogue and what the organization already runs; read scope.

const PLACE = `query($input: PlacementsInput!) { placements(input: $input) { region count concurrency } }`;
const perf = (cpus: number, memoryMb: number, gpuKind?: string) => ({
  cpus,
  memoryMb,
  cpuKind: 'PERFORMANCE',
  ...(gpuKind ? { gpuKind } : {}),
});

type Answer = {
  data: { placements: { region: string; count: number; concurrency: number | null }[] } | null;
  errors?: { message: string; extensions: { code: string; issues?: { field: string }[] } }[];
  extensions: { upstreamCalls: { byOperation: Record<string, number> } };
};

describe('placements', () => {
  let built: BuiltTestGateway;
  const ask = async (input: Record<string, unknown>, authorization?: string): Promise<Answer> => {
    const response = await built.gateway.fetch('http://gateway/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify({ query: PLACE, variables: { input: { org: 'personal', ...input } } }),
    });
    return (await response.json()) as Answer;
  };
  const calls = () => built.emu.requestCounts()['platform.placements'] ?? 0;

  beforeAll(async () => {
    built = await buildTestGateway();
    built.emu.control.createApp('place');
  });
  afterAll(async () => built?.close());

  it('should place the count in the first region that fits, with exactly one Fly call', async () => {
    const before = calls();
    const answer = await ask({ compute: perf(1, 2048), region: 'lhr', count: 3 });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.placements).toEqual([{ region: 'lhr', count: 3, concurrency: 0 }]);
    expect(answer.extensions.upstreamCalls.byOperation).toEqual({ 'platform.placements': 1 });
    expect(calls()).toBe(before + 1);
  });

  it('should spill over to the next regions of the expression when the first cannot take them all', async () => {
    // fra is a paid-plan region with room for two 16-CPU machines.
    const answer = await ask({ compute: perf(16, 32_768), region: 'fra,lhr', count: 3 });
    expect(answer.data!.placements).toEqual([
      { region: 'fra', count: 2, concurrency: 0 },
      { region: 'lhr', count: 1, concurrency: 0 },
    ]);
  });

  it("should count what the organization already runs: a region's room shrinks as machines land there", async () => {
    const room = async () => (await ask({ compute: perf(16, 32_768), region: 'fra', count: 0 })).data!.placements;
    expect(await room()).toEqual([{ region: 'fra', count: 2, concurrency: 0 }]);
    built.emu.control.createMachine('place', {
      region: 'fra',
      config: { image: 'x/y:1', guest: { cpu_kind: 'performance', cpus: 16, memory_mb: 32_768 } },
    });
    expect(await room()).toEqual([{ region: 'fra', count: 1, concurrency: 1 }]);
  });

  it('should leave out regions that have no such GPU, and refuse a GPU model Fly does not offer', async () => {
    const gpu = await ask({ compute: perf(8, 32_768, 'l40s'), region: 'any', count: 0 });
    expect(gpu.data!.placements.map((p) => p.region).sort()).toEqual(['iad', 'ord']);
    const a10 = await ask({ compute: perf(8, 32_768, 'a10'), region: 'eu', count: 1 });
    expect(a10.data!.placements).toEqual([]);
    const unknown = await ask({ compute: perf(8, 32_768, 'quantum9'), count: 1 });
    expect(unknown.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(unknown.errors?.[0].message).toMatch(/gpu_kind/);
  });

  it('should place by volume: only where an unattached volume of that name is, one machine per volume', async () => {
    built.emu.control.createVolume('place', { name: 'pg_data', region: 'ams', sizeGb: 1 });
    built.emu.control.createVolume('place', { name: 'pg_data', region: 'ams', sizeGb: 1 });
    built.emu.control.createVolume('place', { name: 'pg_data', region: 'syd', sizeGb: 1 });
    const answer = await ask({ compute: perf(1, 2048), region: 'any', count: 5, volumeName: 'pg_data' });
    expect(answer.data!.placements).toEqual([
      { region: 'ams', count: 2, concurrency: 0 },
      { region: 'syd', count: 1, concurrency: 0 },
    ]);
  });

  it('should refuse bad input before Fly is asked, and never cache an answer', async () => {
    const before = calls();
    const bad = await ask({ compute: { cpus: 3, memoryMb: 1000, cpuKind: 'SHARED' }, count: -1 });
    expect(bad.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(bad.extensions.upstreamCalls.byOperation).toEqual({});
    expect(calls()).toBe(before);
    await ask({ compute: perf(1, 2048), region: 'iad', count: 1 });
    const again = await ask({ compute: perf(1, 2048), region: 'iad', count: 1 });
    expect(again.extensions.upstreamCalls.byOperation).toEqual({ 'platform.placements': 1 });
    expect(calls()).toBe(before + 2);
  });
});

describe('who may ask for placements', () => {
  it('should answer a read key (a query: read scope) and no caller without a key', async () => {
    const reader = createKey('reader', new Set(['read']));
    const built = await buildTestGateway({ env: { AUTH_MODE: 'api-keys', API_KEYS: reader.entry } });
    try {
      const ask = async (headers: Record<string, string>) => {
        const response = await built.gateway.fetch('http://gateway/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({
            query: PLACE,
            variables: { input: { org: 'personal', compute: perf(1, 2048), region: 'iad', count: 1 } },
          }),
        });
        return { status: response.status, ...((await response.json()) as Answer) };
      };
      expect((await ask({ authorization: `Bearer ${reader.key}` })).data!.placements).toEqual([
        { region: 'iad', count: 1, concurrency: 0 },
      ]);
      expect((await ask({})).status).toBe(401);
      expect(built.emu.requestCounts()['platform.placements']).toBe(1);
    } finally {
      await built.close();
    }
  });

  it("should ask Fly with the caller's own token in fly-token mode, and answer Fly's refusal of a made-up one", async () => {
    const TOKEN = 'emu_tenant_place_0123456789abcdef';
    const emu = createEmulator({ seed: 'none', delays: INSTANT, scopedTokens: { [TOKEN]: ['anything'] } });
    await emu.start({ port: 0, host: '127.0.0.1' });
    const built = await buildTestGateway({ emulator: emu, env: { AUTH_MODE: 'fly-token', CACHE_RESPONSE_MAX_BYTES: '0' } });
    try {
      const ask = async (token: string) =>
        (await (
          await built.gateway.fetch('http://gateway/graphql', {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({
              query: PLACE,
              variables: { input: { org: 'personal', compute: perf(1, 2048), region: 'nrt', count: 2 } },
            }),
          })
        ).json()) as Answer;
      expect((await ask(TOKEN)).data!.placements).toEqual([{ region: 'nrt', count: 2, concurrency: 0 }]);
      const refused = await ask('emu_made_up_0123456789abcdef');
      expect(refused.errors?.[0].extensions.code).toBe('UNAUTHORIZED');
    } finally {
      await built.close();
      await emu.stop();
    }
  });
});
