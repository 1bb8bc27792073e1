/**
 * BLUEGREEN: a green machine is created (cordoned) next to each blue one; once every green one is healthy the
 * deployment commits, green is uncordoned, and blue is cordoned and destroyed. Before the commit a failure destroys
 * green (roll-back.ts); after it green is never destroyed.
 */
import type { DeploymentMachine } from './types.js';
import { waitHealthy } from './in-place.js';
import { messageOf, StepFailure, type RunnerTarget, type RunState } from './run-state.js';

/** Fly's per-app create budget: bursts of 3, then 1 per second. */
const CREATE_BURST = 3;
const CREATE_INTERVAL_MS = 1000;

/** Creates green beside blue, waits for it, switches, and destroys blue; throws on a failure before the switch. */
export async function runBlueGreen(run: RunState): Promise<void> {
  const { fly, clock } = run.deps;
  const { app, record, targets, stop } = run;
  const blue = [...targets];
  const green: RunnerTarget[] = [];
  let creates = 0;
  for (const b of blue) {
    run.alive();
    // Stay within Fly's per-app create budget.
    if (creates >= CREATE_BURST) await clock.sleep(CREATE_INTERVAL_MS, stop.signal);
    creates += 1;
    const createdAt = clock.now();
    const m = await fly.machines.create(
      {
        app,
        config: b.targetConfig,
        region: b.info.region,
        skipLaunch: b.info.skipLaunch,
        leaseTtlSeconds: run.ttlSeconds,
        minSecretsVersion: record.secretsVersion,
      },
      { signal: stop.signal },
    );
    const nonce = m.nonce ?? (await fly.machines.acquireLease({ app, machineId: m.id, ttlSeconds: run.ttlSeconds })).nonce ?? '';
    const info: DeploymentMachine = {
      machineId: m.id,
      region: m.region,
      role: 'green',
      skipLaunch: b.info.skipLaunch,
      targetVersion: m.version,
      targetImage: record.image,
    };
    record.machines.push(info);
    const g: RunnerTarget = {
      info,
      nonce,
      previousConfig: {},
      targetConfig: b.targetConfig,
      version: m.version ?? '',
      updated: true,
      destroyed: false,
      createdAt,
    };
    targets.push(g);
    green.push(g);
    run.step(g, 'leased', `green for ${b.info.machineId}`);
    run.step(g, 'updating', `created cordoned next to ${b.info.machineId}`);
    await fly.machines.cordon({ app, machineId: m.id }, { leaseNonce: nonce, signal: stop.signal });
  }
  const results = await Promise.allSettled(
    green.map(async (g) => {
      if (g.info.skipLaunch) return run.step(g, 'healthy', 'created without launching: its blue machine was not started');
      try {
        await waitHealthy(run, g, g.createdAt ?? clock.now());
      } catch (error) {
        if (error instanceof StepFailure || run.stopped) throw error;
        throw run.fail(g, messageOf(error));
      }
    }),
  );
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  await run.commit();
  for (const g of green) if (!g.info.skipLaunch) await fly.machines.uncordon(run.ref(g), { leaseNonce: g.nonce, signal: stop.signal });
  // Green serves now; from here on green stays whatever happens, and blue leaves the proxy, then goes.
  run.switched = true;
  for (const b of blue) {
    run.step(b, 'updating', 'blue: cordoned and destroyed, replaced by green');
    if (!b.info.skipLaunch) await fly.machines.cordon(run.ref(b), { leaseNonce: b.nonce });
    await fly.machines.destroy({ ...run.ref(b), force: true }, { leaseNonce: b.nonce });
    b.destroyed = true;
    run.step(b, 'healthy', 'destroyed');
  }
}
