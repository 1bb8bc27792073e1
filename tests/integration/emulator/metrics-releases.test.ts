import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, TOKEN, type Harness } from './harness.js';

// The emulator's platform endpoints: Prometheus query/query_range (the Prometheus HTTP API's envelope and errors,
// the PromQL subset of src/emulator/promql.ts) and an app's releases, each seen only for apps the token may see.

const SCOPED = 'emu_scoped_0123456789abcdef';

describe('emulator metrics and releases', () => {
  let h: Harness;
  let t0 = 0;
  let machine = '';
  const get = async (path: string, token = TOKEN) => {
    const res = await fetch(`${h.emu.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, body: (await res.json()) as any };
  };
  const range = (query: string, start: number, end: number, step: string | number, org = 'personal', token = TOKEN) =>
    get(
      `/prometheus/${org}/api/v1/query_range?${new URLSearchParams({ query, start: String(start), end: String(end), step: String(step) })}`,
      token,
    );

  beforeEach(async () => {
    h = await startHarness({ scopedTokens: { [SCOPED]: ['mine'] } });
    t0 = h.clock.now() / 1000;
    h.emu.control.createApp('mine');
    h.emu.control.createApp('theirs');
    machine = h.emu.control.createMachine('mine', {
      config: { image: 'registry.fly.io/mine:v1', guest: { cpus: 1, memory_mb: 256 } },
      state: 'started',
    }).id;
    h.emu.control.createMachine('theirs', { config: { image: 'registry.fly.io/theirs:v1' }, state: 'started' });
    await h.clock.advance(600_000);
  });
  afterEach(() => h.close());

  it('should answer a range query as a matrix with a point per step, and an instant query as a vector', async () => {
    const answer = await range(`fly_instance_memory_mem_total{app="mine"}`, t0 + 60, t0 + 300, '60s');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      status: 'success',
      data: {
        resultType: 'matrix',
        result: [
          {
            metric: expect.objectContaining({ __name__: 'fly_instance_memory_mem_total', app: 'mine', instance: machine }),
            values: [60, 120, 180, 240, 300].map((s) => [t0 + s, String(256 * 1024 * 1024)]),
          },
        ],
      },
    });
    const instant = await get(`/prometheus/personal/api/v1/query?${new URLSearchParams({ query: 'sum by (app) (fly_instance_up)' })}`);
    expect(instant.body.data.resultType).toBe('vector');
    expect(instant.body.data.result.map((r: any) => [r.metric.app, r.value[1]]).sort()).toEqual([
      ['mine', '1'],
      ['theirs', '1'],
    ]);
  });

  it.each([
    ['a step of 0', 'fly_instance_up', 0, 300, '0', /zero or negative/],
    ['end before start', 'fly_instance_up', 300, 0, '60', /end timestamp must not be before start/],
    ['more than 11,000 points', 'fly_instance_up', 0, 600, '0.01', /11,000 points/],
    ['an unparseable query', 'sum(', 0, 300, '60', /parse error/],
    ['an empty selector', '{}', 0, 300, '60', /at least one non-empty matcher/],
  ])('should answer 400 bad_data for %s', async (_name, query, start, end, step, message) => {
    const answer = await range(query, t0 + start, t0 + end, step);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ status: 'error', errorType: 'bad_data' });
    expect(answer.body.error).toMatch(message);
  });

  it("should answer 404 for an unknown org, and show a scoped token only its own apps' series and releases", async () => {
    expect((await range('fly_instance_up', t0, t0 + 60, 60, 'nobody')).status).toBe(404);
    const scoped = await range('fly_instance_up', t0 + 60, t0 + 120, 60, 'personal', SCOPED);
    expect(scoped.body.data.result.map((r: any) => r.metric.app)).toEqual(['mine']);
    expect((await get('/api/v1/apps/theirs/releases', SCOPED)).status).toBe(404);
    expect((await get('/api/v1/apps/mine/releases', SCOPED)).status).toBe(200);
  });

  it('should list a new release each time a new image first runs, newest first, and check limit', async () => {
    await h.json('POST', `/apps/mine/machines/${machine}`, {
      config: { image: 'registry.fly.io/mine:v2', guest: { cpus: 1, memory_mb: 256 } },
    });
    const answer = await get('/api/v1/apps/mine/releases?limit=10');
    expect(answer.body.data.map((r: any) => [r.version, r.image_ref, r.status])).toEqual([
      [2, 'registry.fly.io/mine:v2', 'complete'],
      [1, 'registry.fly.io/mine:v1', 'superseded'],
    ]);
    expect((await get('/api/v1/apps/mine/releases?limit=1')).body.data).toHaveLength(1);
    expect((await get('/api/v1/apps/mine/releases?limit=0')).status).toBe(400);
    expect((await get('/api/v1/apps/ghost/releases')).status).toBe(404);
  });
});
