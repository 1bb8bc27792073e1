import { afterEach, expect, it } from 'vitest';
import { startDeployHarness, type DeployHarness } from './harness.js';

let h: DeployHarness;
afterEach(async () => h?.close());

it('deploys every strategy to the demo seed (demo-web: 3 started machines with checks, 1 stopped), within Fly budgets', async () => {
  h = await startDeployHarness({ seed: 'demo', emulator: { rateLimit: true } });
  const measured: string[] = [];
  let version = 43;
  for (const strategy of ['ROLLING', 'CANARY', 'IMMEDIATE', 'BLUEGREEN']) {
    h.emu.resetRequestCounts();
    const image = `registry.fly.io/demo-web:v${version++}`;
    const result = await h.deploy({ app: 'demo-web', image, strategy });
    expect(result.__typename).toBe('DeployAppSuccess');
    const { view, elapsedMs } = await h.settle(result.deployment.id);
    expect(view.status, view.error ?? '').toBe('SUCCEEDED');
    // IMMEDIATE does not wait: let its machines finish booting before looking.
    if (strategy === 'IMMEDIATE') await h.clock.advance(5000);
    const live = h.emu.control.listMachines('demo-web').filter((m) => !m.state.startsWith('destroy'));
    expect(live).toHaveLength(4);
    for (const m of live) expect((m.config as { image: string }).image).toBe(image);
    // The machine that was stopped is updated (or, blue-green, created) without being launched.
    const idle = strategy === 'BLUEGREEN' ? 'created' : 'stopped';
    expect(live.map((m) => m.state).sort()).toEqual([idle, 'started', 'started', 'started'].sort());
    const counts = h.emu.requestCounts();
    const calls = Object.values(counts).reduce((a, b) => a + b, 0);
    measured.push(
      `${strategy}: ${view.machines.length} machines, ${view.steps.length} steps, ${elapsedMs} ms, ${calls} upstream calls ${JSON.stringify(counts)}`,
    );
  }
  // Rollback on the demo seed too: the unhealthy tag fails at the first machine.
  h.emu.resetRequestCounts();
  const bad = await h.deploy({
    app: 'demo-web',
    image: 'registry.fly.io/demo-web:v99-unhealthy',
    strategy: 'ROLLING',
    waitTimeoutSeconds: 30,
  });
  const { view, elapsedMs } = await h.settle(bad.deployment.id);
  expect(view.status).toBe('ROLLED_BACK');
  const calls = Object.values(h.emu.requestCounts()).reduce((a, b) => a + b, 0);
  measured.push(
    `ROLLING unhealthy: ${view.machines.length} machines, ${view.steps.length} steps, ${elapsedMs} ms, ${calls} upstream calls ${JSON.stringify(h.emu.requestCounts())}`,
  );
  console.log(measured.join('\n'));
});
