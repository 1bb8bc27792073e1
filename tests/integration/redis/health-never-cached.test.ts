import { describe, expect, it } from 'vitest';
import { uniqueApp, useTwoInstancesOnPrivateRedis } from '../events/harness.js';
import { queryGateway as query, machinesOf } from '../../helpers/gateway-queries.js';

describe('answers that read the readiness report', () => {
  // Readiness probes every 100 ms, so a dead Redis shows in `health` at once when the answer is computed.
  const world = useTwoInstancesOnPrivateRedis({ env: { HEALTH_PROBE_INTERVAL_MS: '100' } });

  it('should never be answered from the whole-response cache, so health says Redis failed as soon as it did', async () => {
    const { a, emu, redis } = world;
    const app = uniqueApp();
    emu.control.createApp(app);
    emu.control.createMachine(app, { state: 'started', config: { image: 'x:1' } });
    // The same reads alone are kept whole: the response cache is on, and only `health` keeps this answer out.
    await query(a, machinesOf(app));
    expect((await query(a, machinesOf(app))).extensions.cache.response).toBe('hit');

    const both = `{ health { ok degraded checks { name ok } } machines(app: "${app}") { nodes { machineId state } } }`;
    const first = await query(a, both);
    expect(first.data.health).toMatchObject({ ok: true, degraded: false });
    const again = await query(a, both);
    expect(again.extensions.cache.response).toBeUndefined();
    // Through a fragment and an alias too: what counts is that the report was read, not how it was spelled.
    const spelled = `fragment H on Query { status: health { degraded } } { ...H machines(app: "${app}") { nodes { machineId } } }`;
    await query(a, spelled);
    expect((await query(a, spelled)).extensions.cache.response).toBeUndefined();

    await redis.kill('SIGKILL');
    try {
      await expect
        .poll(async () => (await query(a, both)).data.health, { timeout: 3_000, interval: 100 })
        .toMatchObject({ ok: false, degraded: true });
    } finally {
      await redis.restart();
    }
  }, 20_000);
});
