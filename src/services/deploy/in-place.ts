/**
 * The in-place strategies (ROLLING, CANARY, IMMEDIATE): each machine is updated where it is, in pools, and a pool
 * must be healthy before the next one starts. Also `waitHealthy`, which BLUEGREEN uses for its green machines.
 */
import { anySignal } from '../../lib/signals.js';
import { chunk, messageOf, StepFailure, type RunnerTarget, type RunState } from './run-state.js';

/**
 * Waits until a started machine runs the version we wrote and passes every check of its config (a pause of one
 * check interval first: a process that exits right after booting shows up there), within the deployment's timeout.
 */
export async function waitHealthy(run: RunState, t: RunnerTarget, since: number, signal: AbortSignal = run.stop.signal): Promise<void> {
  const { fly, clock, checkIntervalMs } = run.deps;
  const { record } = run;
  const deadline = since + record.waitTimeoutSeconds * 1000;
  const secondsLeft = () => Math.max(1, Math.ceil((deadline - clock.now()) / 1000));
  run.step(t, 'waiting_for_start');
  const started = await fly.machines.wait(
    { ...run.ref(t), state: 'started', version: t.version, timeoutSeconds: secondsLeft() },
    { signal },
  );
  run.alive(signal);
  if (!started.reached) throw run.fail(t, `did not reach started within ${record.waitTimeoutSeconds} s`);
  run.step(t, 'waiting_for_checks');
  const expected = Object.keys(t.targetConfig.checks ?? {});
  for (;;) {
    await clock.sleep(checkIntervalMs, signal);
    const m = await fly.machines.get(run.ref(t), { signal });
    run.alive(signal);
    const exited = (m.events ?? []).some((e) => e.type === 'exit' && e.timestamp >= since);
    if (exited || ['stopped', 'failed', 'destroyed'].includes(m.state))
      throw run.fail(t, `the machine's process exited after starting (now ${m.state})`);
    const checks = m.checks ?? [];
    const failing = expected.filter((name) => checks.find((c) => c.name === name)?.status !== 'passing');
    if (m.state === 'started' && failing.length === 0) {
      run.step(t, 'healthy', expected.length > 0 ? `${expected.length} check(s) passing` : 'started (no checks)');
      return;
    }
    if (clock.now() >= deadline) {
      const detail = failing.map((name) => `${name}: ${checks.find((c) => c.name === name)?.status ?? 'unknown'}`).join(', ');
      throw run.fail(t, `checks not passing within ${record.waitTimeoutSeconds} s (${detail || m.state})`);
    }
  }
}

async function updateOne(run: RunState, t: RunnerTarget, verify: boolean, pool: AbortSignal): Promise<void> {
  const { fly, clock } = run.deps;
  try {
    run.alive(pool);
    run.step(t, 'updating', `${t.info.previousImage ?? '?'} → ${t.info.targetImage}${t.info.skipLaunch ? ' (skip_launch)' : ''}`);
    const updated = await fly.machines.update(
      {
        ...run.ref(t),
        config: t.targetConfig,
        currentVersion: t.version,
        skipLaunch: t.info.skipLaunch,
        minSecretsVersion: run.record.secretsVersion,
      },
      // The update itself is not cut short by the pool: a half-sent update would leave its outcome unknown.
      { leaseNonce: t.nonce, signal: run.stop.signal },
    );
    const since = clock.now();
    t.updated = true;
    if (updated.version) t.version = updated.version;
    t.info.targetVersion = updated.version;
    run.alive(pool);
    if (!verify) return run.step(t, 'healthy', 'not verified (IMMEDIATE)');
    if (t.info.skipLaunch) {
      // Not launched: wait only until the new version has settled (stopped or created again).
      const timeoutSeconds = run.record.waitTimeoutSeconds;
      const settled = await fly.machines.wait({ ...run.ref(t), state: 'settled', version: t.version, timeoutSeconds }, { signal: pool });
      run.alive(pool);
      if (!settled.reached) throw run.fail(t, `did not settle within ${timeoutSeconds} s`);
      return run.step(t, 'healthy', 'updated without launching: it was not started');
    }
    await waitHealthy(run, t, since, pool);
  } catch (error) {
    // Stopped because another machine of the pool failed: no failure of its own to report.
    if (error instanceof StepFailure || run.stopped || pool.aborted) throw error;
    throw run.fail(t, messageOf(error));
  }
}

/** The pools of the strategy, in order, and whether each machine must prove healthy. */
function inPlaceGroups(run: RunState): { groups: RunnerTarget[][]; verify: boolean } {
  const { targets, record } = run;
  const started = targets.filter((t) => !t.info.skipLaunch);
  const idle = targets.filter((t) => t.info.skipLaunch);
  const [first, ...rest] = [...started, ...idle];
  if (!first) return { groups: [], verify: true };
  const restStarted = rest.filter((t) => !t.info.skipLaunch);
  const restIdle = rest.filter((t) => t.info.skipLaunch);
  switch (record.strategy) {
    case 'immediate':
      return { groups: [targets], verify: false };
    case 'canary':
      return { groups: [[first], rest].filter((g) => g.length > 0), verify: true };
    default:
      return { groups: [[first], ...chunk(restStarted, record.maxUnavailable), restIdle].filter((g) => g.length > 0), verify: true };
  }
}

/** Runs an in-place strategy to its end; throws on the first failure (the caller rolls back). */
export async function runInPlace(run: RunState): Promise<void> {
  const { groups, verify } = inPlaceGroups(run);
  for (const group of groups) {
    run.alive();
    // The first failure in a pool stops its siblings' waiting too, so the rollback starts at once.
    const pool = new AbortController();
    const both = anySignal([run.stop.signal, pool.signal]);
    let first: unknown;
    await Promise.allSettled(
      group.map((t) =>
        updateOne(run, t, verify, both).catch((error: unknown) => {
          first ??= error;
          pool.abort(new Error('another machine of the pool failed'));
        }),
      ),
    );
    if (first !== undefined) throw first;
  }
  await run.commit();
}
