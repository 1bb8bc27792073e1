/**
 * Undoing a deployment and letting go of what it held: changed machines go back to their previous config (BLUEGREEN:
 * green is destroyed, blue untouched), then every lease and the app's lock are released.
 */
import { chunk, messageOf, type RunState } from './run-state.js';

/** Puts back what the run changed; false when something could not be restored (each failure is a FAILED step). */
export async function rollBack(run: RunState): Promise<boolean> {
  const { fly } = run.deps;
  const { record, targets } = run;
  let ok = true;
  if (record.strategy === 'bluegreen') {
    // Past the switch there is nothing to undo safely: green serves, some blue may be gone already.
    if (run.switched) return false;
    for (const g of targets.filter((t) => t.info.role === 'green' && !t.destroyed)) {
      try {
        await fly.machines.destroy({ ...run.ref(g), force: true }, { leaseNonce: g.nonce });
        g.destroyed = true;
        run.step(g, 'rolled_back', 'green destroyed; blue untouched');
      } catch (error) {
        ok = false;
        run.step(g, 'failed', `could not destroy green: ${messageOf(error)}`);
      }
    }
    return ok;
  }
  // Back in pools no larger than the rollout's, so the undo takes no more machines down than the rollout did.
  for (const group of chunk(
    targets.filter((t) => t.updated),
    Math.max(1, record.maxUnavailable),
  )) {
    await Promise.all(
      group.map(async (t) => {
        try {
          const back = await fly.machines.update(
            { ...run.ref(t), config: t.previousConfig, currentVersion: t.version, skipLaunch: t.info.skipLaunch },
            { leaseNonce: t.nonce },
          );
          if (back.version) t.version = back.version;
          if (!t.info.skipLaunch && record.strategy !== 'immediate') {
            await fly.machines.wait({ ...run.ref(t), state: 'started', version: t.version, timeoutSeconds: record.waitTimeoutSeconds });
          }
          run.step(t, 'rolled_back', `back on ${t.info.previousImage ?? 'the previous config'} (${t.info.previousVersion ?? '?'})`);
        } catch (error) {
          ok = false;
          run.step(t, 'failed', `rollback failed: ${messageOf(error)}`);
        }
      }),
    );
  }
  return ok;
}

/** Releases every lease still held (by its nonce) and the app's lock; failures are logged, never thrown. */
export async function releaseAll(run: RunState): Promise<void> {
  const { fly, lock, logger } = run.deps;
  await Promise.all(
    run.targets
      .filter((t) => !t.destroyed)
      .map((t) =>
        fly.machines
          .releaseLease({ ...run.ref(t), nonce: t.nonce })
          .catch((error: unknown) => logger?.warn({ err: messageOf(error), machine: t.info.machineId }, 'deployment lease release failed')),
      ),
  );
  await lock.release().catch(() => undefined);
}
