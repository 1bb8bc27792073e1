import { afterEach, describe, expect, it } from 'vitest';
import { HEALTHY_CONFIG, maxDown, startDeployHarness, type DeployHarness, type DeploymentView } from './harness.js';

let h: DeployHarness;
afterEach(async () => h?.close());

const imageOf = (app: string, id: string) => (h.emu.control.getMachine(app, id).config as { image: string }).image;
const machine = (app: string, id: string) => h.emu.control.getMachine(app, id) as Record<string, any>;
/** Index in the global step log of a machine's first step of a kind. */
const at = (view: DeploymentView, id: string, step: string) => view.steps.findIndex((s) => s.machineId === id && s.step === step);
const kinds = (view: DeploymentView, id: string) => view.steps.filter((s) => s.machineId === id).map((s) => s.step);

describe('ROLLING', () => {
  it('updates one machine alone, then pools of maxUnavailable started machines, and stopped machines without launching them', async () => {
    h = await startDeployHarness();
    const ids = h.app('shop', ['started', 'started', 'started', 'started', 'started', 'started', 'started', 'stopped']);
    const stopped = ids[7]!;
    const started = ids.slice(0, 7);
    const before = Object.fromEntries(ids.map((id) => [id, machine('shop', id).version]));
    const mark = h.changes.length;

    const result = await h.deploy({ app: 'shop', image: 'registry.fly.io/shop:v2', strategy: 'ROLLING', maxUnavailable: 0.33 });
    expect(result.__typename).toBe('DeployAppSuccess');
    expect(result.deployment.maxUnavailable).toBe(2);
    const { view } = await h.settle(result.deployment.id);

    expect(view.status).toBe('SUCCEEDED');
    // The first updated machine is healthy before any other machine is touched.
    const firstUpdate = view.steps.find((s) => s.step === 'UPDATING')!;
    const first = firstUpdate.machineId;
    expect(started).toContain(first);
    const otherUpdates = view.steps.filter((s) => s.step === 'UPDATING' && s.machineId !== first);
    expect(otherUpdates.every((s) => s.seq > view.steps[at(view, first, 'HEALTHY')]!.seq)).toBe(true);
    // Never more than two started machines down at once, and pools really run side by side.
    expect(maxDown(h.changes, started)).toBe(2);
    for (const id of started) expect(kinds(view, id)).toEqual(['LEASED', 'UPDATING', 'WAITING_FOR_START', 'WAITING_FOR_CHECKS', 'HEALTHY']);
    // The stopped machine: new image, still stopped, never launched.
    expect(kinds(view, stopped)).toEqual(['LEASED', 'UPDATING', 'HEALTHY']);
    expect(machine('shop', stopped).state).toBe('stopped');
    const stoppedChanges = h.changes.slice(mark).filter((c) => c.type === 'machine.state_changed' && c.data.machine_id === stopped);
    expect(stoppedChanges.map((c) => c.data.to)).toEqual(['updating', 'stopped']);
    for (const id of ids) {
      expect(imageOf('shop', id)).toBe('registry.fly.io/shop:v2');
      const m = view.machines.find((x) => x.machineId === id)!;
      expect(m.previousVersion).toBe(before[id]);
      expect(m.targetVersion).toBe(machine('shop', id).version);
      expect(machine('shop', id).lease).toBeUndefined();
    }
  });
});

describe('unhealthy image', () => {
  it.each(['ROLLING', 'CANARY'])(
    '%s fails at the first machine on an unhealthy image, rolls it back and leaves the others untouched',
    async (strategy) => {
      h = await startDeployHarness();
      const ids = h.app('shop', ['started', 'started', 'started', 'started']);
      const before = Object.fromEntries(ids.map((id) => [id, machine('shop', id).version]));
      const result = await h.deploy({ app: 'shop', image: 'registry.fly.io/shop:v2-unhealthy', strategy, waitTimeoutSeconds: 20 });
      const { view, elapsedMs } = await h.settle(result.deployment.id);

      expect(view.status).toBe('ROLLED_BACK');
      expect(view.error).toMatch(/checks not passing within 20 s \(http: critical\)/);
      const first = view.steps.find((s) => s.step === 'UPDATING')!.machineId;
      expect(kinds(view, first)).toEqual(['LEASED', 'UPDATING', 'WAITING_FOR_START', 'WAITING_FOR_CHECKS', 'FAILED', 'ROLLED_BACK']);
      expect(elapsedMs).toBeGreaterThanOrEqual(20_000);
      expect(imageOf('shop', first)).toBe(HEALTHY_CONFIG.image);
      expect(machine('shop', first).state).toBe('started');
      expect(machine('shop', first).checks[0].status).toBe('passing');
      for (const id of ids.filter((x) => x !== first)) {
        expect(kinds(view, id)).toEqual(['LEASED']);
        expect(machine('shop', id).version).toBe(before[id]);
      }
      for (const id of ids) expect(machine('shop', id).lease).toBeUndefined();
    },
  );
});

describe('ROLLING, a failure in a later pool', () => {
  it('stops the rollout there and returns every machine already updated, leaving the rest untouched', async () => {
    h = await startDeployHarness();
    const ids = h.app('shop', ['started', 'started', 'started', 'started', 'started']);
    const before = Object.fromEntries(ids.map((id) => [id, machine('shop', id).version]));
    const result = await h.deploy({ app: 'shop', image: 'registry.fly.io/shop:v2', strategy: 'ROLLING', maxUnavailable: 2 });
    const id = result.deployment.id;
    // The first pool (after the lone first machine): crash one of its machines while its checks are awaited.
    let victim: string | undefined;
    for (let i = 0; i < 200 && !victim; i++) {
      const view = await h.get(id);
      const first = view.steps.find((s) => s.step === 'UPDATING')?.machineId;
      victim = view.steps.find((s) => s.step === 'WAITING_FOR_CHECKS' && s.machineId !== first)?.machineId;
      if (!victim) {
        await h.clock.advance(100);
        await new Promise((r) => setTimeout(r, 1));
      }
    }
    h.emu.control.triggerExit('shop', victim!);
    const { view } = await h.settle(id);
    expect(view.status).toBe('ROLLED_BACK');
    expect(kinds(view, victim!)).toContain('FAILED');
    const touched = ids.filter((m) => kinds(view, m).includes('UPDATING'));
    expect(touched).toHaveLength(3);
    for (const m of touched) {
      expect(kinds(view, m).at(-1)).toBe('ROLLED_BACK');
      expect(imageOf('shop', m)).toBe(HEALTHY_CONFIG.image);
    }
    for (const m of ids.filter((x) => !touched.includes(x))) {
      expect(kinds(view, m)).toEqual(['LEASED']);
      expect(machine('shop', m).version).toBe(before[m]);
    }
    expect(maxDown(h.changes, ids)).toBeLessThanOrEqual(2);
  });
});

describe('CANARY', () => {
  it('updates one machine, waits until it is healthy, then all the others together', async () => {
    h = await startDeployHarness();
    const ids = h.app('shop', ['started', 'started', 'started', 'started']);
    const result = await h.deploy({ app: 'shop', image: 'registry.fly.io/shop:v2', strategy: 'CANARY' });
    const { view } = await h.settle(result.deployment.id);
    expect(view.status).toBe('SUCCEEDED');
    const first = view.steps.find((s) => s.step === 'UPDATING')!.machineId;
    const healthyAt = at(view, first, 'HEALTHY');
    for (const id of ids.filter((x) => x !== first)) expect(at(view, id, 'UPDATING')).toBeGreaterThan(healthyAt);
    // The three others are down together (that is the strategy), the canary never alongside them.
    expect(maxDown(h.changes, ids)).toBe(3);
    for (const id of ids) expect(imageOf('shop', id)).toBe('registry.fly.io/shop:v2');
  });

  it('stops at the canary when the image crashes after starting, and rolls it back', async () => {
    h = await startDeployHarness();
    const ids = h.app('shop', ['started', 'started', 'started']);
    const before = Object.fromEntries(ids.map((id) => [id, machine('shop', id).version]));
    const result = await h.deploy({ app: 'shop', image: 'registry.fly.io/shop:v2-crash', strategy: 'CANARY', waitTimeoutSeconds: 60 });
    const { view, elapsedMs } = await h.settle(result.deployment.id);
    expect(view.status).toBe('ROLLED_BACK');
    expect(view.error).toMatch(/exited after starting/);
    // Seen at the first look after the boot, long before the 60 s timeout.
    expect(elapsedMs).toBeLessThan(10_000);
    const first = view.steps.find((s) => s.step === 'UPDATING')!.machineId;
    expect(kinds(view, first).slice(-2)).toEqual(['FAILED', 'ROLLED_BACK']);
    expect(imageOf('shop', first)).toBe(HEALTHY_CONFIG.image);
    for (const id of ids.filter((x) => x !== first)) expect(machine('shop', id).version).toBe(before[id]);
  });
});

describe('IMMEDIATE', () => {
  it('updates every machine at once and waits for none of them', async () => {
    h = await startDeployHarness();
    const ids = h.app('shop', ['started', 'started', 'started']);
    h.emu.resetRequestCounts();
    const result = await h.deploy({
      app: 'shop',
      image: 'registry.fly.io/shop:v2',
      strategy: 'IMMEDIATE',
      config: { env: [{ name: 'FEATURE_X', value: 'on' }] },
    });
    const { view } = await h.settle(result.deployment.id);
    expect(view.status).toBe('SUCCEEDED');
    for (const id of ids) expect(kinds(view, id)).toEqual(['LEASED', 'UPDATING', 'HEALTHY']);
    // The config patch goes with the image; the rest of the config is kept.
    for (const id of ids) expect(machine('shop', id).config).toMatchObject({ env: { FEATURE_X: 'on' }, checks: HEALTHY_CONFIG.checks });
    const counts = h.emu.requestCounts();
    expect(counts['machines.update']).toBe(3);
    expect(counts['machines.wait']).toBeUndefined();
    expect(counts['machines.get']).toBeUndefined();
    for (const id of ids) expect(imageOf('shop', id)).toBe('registry.fly.io/shop:v2');
  });
});

describe('BLUEGREEN', () => {
  it('creates green machines cordoned, uncordons them once healthy, then cordons and destroys blue', async () => {
    h = await startDeployHarness();
    const blue = h.app('shop', ['started', 'started', 'started', 'started']);
    const result = await h.deploy({ app: 'shop', image: 'registry.fly.io/shop:v2', strategy: 'BLUEGREEN' });
    const { view } = await h.settle(result.deployment.id);
    expect(view.status).toBe('SUCCEEDED');
    const green = view.machines.filter((m) => m.role === 'GREEN').map((m) => m.machineId);
    expect(green).toHaveLength(4);
    for (const id of blue) expect(machine('shop', id).state).toMatch(/destroy/);
    for (const id of green) {
      const m = machine('shop', id);
      expect([m.state, m.cordoned, (m.config as { image: string }).image]).toEqual(['started', false, 'registry.fly.io/shop:v2']);
      expect(m.lease).toBeUndefined();
    }
    // Blue is destroyed only after every green machine is healthy.
    const lastGreenHealthy = Math.max(...green.map((id) => at(view, id, 'HEALTHY')));
    for (const id of blue)
      expect(view.steps.findIndex((s) => s.machineId === id && s.step === 'UPDATING')).toBeGreaterThan(lastGreenHealthy);
    // A green machine was cordoned until it was healthy: its cordon came before its uncordon.
    const cordonChanges = h.changes.filter((c) => c.type === 'machine.updated' && green.includes(c.data.machine_id));
    expect(cordonChanges.length).toBeGreaterThanOrEqual(8);
  });

  it('on an unhealthy image destroys green and leaves blue serving untouched', async () => {
    h = await startDeployHarness();
    const blue = h.app('shop', ['started', 'started', 'started']);
    const before = Object.fromEntries(blue.map((id) => [id, machine('shop', id).version]));
    const result = await h.deploy({
      app: 'shop',
      image: 'registry.fly.io/shop:v2-unhealthy',
      strategy: 'BLUEGREEN',
      waitTimeoutSeconds: 15,
    });
    const { view } = await h.settle(result.deployment.id);
    expect(view.status).toBe('ROLLED_BACK');
    const green = view.machines.filter((m) => m.role === 'GREEN').map((m) => m.machineId);
    expect(green).toHaveLength(3);
    for (const id of green) expect(machine('shop', id).state).toMatch(/destroy/);
    for (const id of blue) {
      const m = machine('shop', id);
      expect([m.state, m.cordoned, m.version, m.lease]).toEqual(['started', false, before[id], undefined]);
      expect(kinds(view, id)).toEqual(['LEASED']);
    }
  });
});

describe('BLUEGREEN past the switch', () => {
  it('never destroys green once it serves: a failure destroying blue ends FAILED with green kept', async () => {
    h = await startDeployHarness();
    h.app('shop', ['started', 'started']);
    // Only the first destroy (of a blue machine) fails: DELETE is not retried, and a rollback could destroy green.
    h.emu.faults.add({ route: 'machines.delete', status: 500, times: 1 });
    const result = await h.deploy({ app: 'shop', image: 'registry.fly.io/shop:v2', strategy: 'BLUEGREEN' });
    const { view } = await h.settle(result.deployment.id);
    expect(view.status).toBe('FAILED');
    const green = view.machines.filter((m) => m.role === 'GREEN').map((m) => m.machineId);
    expect(green).toHaveLength(2);
    for (const id of green) expect([machine('shop', id).state, machine('shop', id).cordoned]).toEqual(['started', false]);
    expect(view.steps.some((s) => s.step === 'ROLLED_BACK')).toBe(false);
  });
});

describe('conflicts', () => {
  it("answers LeaseHeldError and changes nothing when another holder has a machine's lease", async () => {
    h = await startDeployHarness();
    const ids = h.app('shop', ['started', 'started', 'started']);
    const foreign = h.emu.control.acquireLease('shop', ids[2]!, 60);
    const before = ids.map((id) => machine('shop', id).version);
    h.emu.resetRequestCounts();
    const result = await h.deploy({ app: 'shop', image: 'registry.fly.io/shop:v2' });
    expect(result).toMatchObject({ __typename: 'LeaseHeldError', code: 'LEASE_HELD' });
    expect(ids.map((id) => machine('shop', id).version)).toEqual(before);
    expect(h.emu.requestCounts()['machines.update']).toBeUndefined();
    // Our leases on the first two are given back; the foreign one stays.
    expect(machine('shop', ids[0]!).lease).toBeUndefined();
    expect(machine('shop', ids[1]!).lease).toBeUndefined();
    expect(machine('shop', ids[2]!).lease).toBeDefined();
    expect(foreign).toBeTruthy();
    // Nothing stays locked: once the other holder is gone a deployment goes through.
    await h.clock.advance(61_000);
    const retry = await h.deploy({ app: 'shop', image: 'registry.fly.io/shop:v2', strategy: 'IMMEDIATE' });
    expect(retry.__typename).toBe('DeployAppSuccess');
    expect((await h.settle(retry.deployment.id)).view.status).toBe('SUCCEEDED');
  });

  it('allows one deployment per app at a time', async () => {
    h = await startDeployHarness();
    h.app('shop', ['started', 'started']);
    const first = await h.deploy({ app: 'shop', image: 'registry.fly.io/shop:v2' });
    expect(first.__typename).toBe('DeployAppSuccess');
    const second = await h.deploy({ app: 'shop', image: 'registry.fly.io/shop:v3' });
    expect(second).toMatchObject({ __typename: 'LeaseHeldError', message: expect.stringMatching(/another deployment of shop/) });
    await h.settle(first.deployment.id);
  });

  it('answers RateLimitedError when Fly refuses a lease with 429, and leaves no lease and no app lock behind', async () => {
    h = await startDeployHarness();
    const ids = h.app('shop', ['started', 'started']);
    h.emu.faults.add({ route: 'machines.lease.acquire', status: 429, times: 1 });
    const limited = await h.deploy({ app: 'shop', image: 'registry.fly.io/shop:v2' });
    expect(limited).toMatchObject({ __typename: 'RateLimitedError', code: 'RATE_LIMITED' });
    for (const id of ids) expect(machine('shop', id).lease).toBeUndefined();
    expect(h.emu.requestCounts()['machines.update']).toBeUndefined();
    const retry = await h.deploy({ app: 'shop', image: 'registry.fly.io/shop:v2', strategy: 'IMMEDIATE' });
    expect(retry.__typename).toBe('DeployAppSuccess');
    await h.settle(retry.deployment.id);
  });

  it('rejects invalid input with the field named, and unknown apps with NotFoundError', async () => {
    h = await startDeployHarness();
    h.app('shop', ['started']);
    const bad = await h.deploy({ app: 'shop', image: 'x:1', maxUnavailable: 1.5 });
    expect(bad).toMatchObject({ __typename: 'InvalidInputError', issues: [{ field: 'input.maxUnavailable' }] });
    const missing = await h.deploy({ app: 'nope', image: 'x:1' });
    expect(missing).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
  });

  it('cancels a running rollout and returns the machines already changed', async () => {
    h = await startDeployHarness();
    const ids = h.app('shop', ['started', 'started', 'started']);
    const result = await h.deploy({ app: 'shop', image: 'registry.fly.io/shop:v2-unhealthy', waitTimeoutSeconds: 300 });
    const id = result.deployment.id;
    for (let i = 0; i < 50 && !(await h.get(id)).steps.some((s) => s.step === 'WAITING_FOR_CHECKS'); i++) {
      await h.clock.advance(100);
      await new Promise((r) => setTimeout(r, 1));
    }
    const cancelled = await h.graphql(
      `mutation($id: String!) { cancelDeployment(id: $id) { __typename ... on CancelDeploymentSuccess { deployment { id } } } }`,
      { id },
    );
    expect(cancelled.cancelDeployment.__typename).toBe('CancelDeploymentSuccess');
    const { view } = await h.settle(id);
    expect(view.status).toBe('CANCELLED');
    expect(view.steps.filter((s) => s.step === 'ROLLED_BACK')).toHaveLength(1);
    for (const m of ids) {
      expect(imageOf('shop', m)).toBe(HEALTHY_CONFIG.image);
      expect(machine('shop', m).lease).toBeUndefined();
    }
  });
});
