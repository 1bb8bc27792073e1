/**
 * Runs one deployment on the instance that started it: the strategy, the heartbeat that keeps leases, the lock and
 * the stored record alive, rollback on failure or cancel, and the release of everything at the end. The runner
 * holds the machines' previous configs in memory; the stored record carries only what readers need.
 */
import type { FlyClient } from '../../flyio/types.js';
import type { FlyMachineConfig } from '../../flyio/wire/machine.js';
import type { Clock, TimerHandle } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { DeploymentStore, Lock } from '../ports.js';
import type { DeploymentMachine, DeploymentRecord, DeploymentStepKind } from './types.js';

/** A machine the runner works on, with what it needs to change it and to undo the change. */
export interface RunnerTarget {
  info: DeploymentMachine;
  nonce: string;
  previousConfig: FlyMachineConfig;
  targetConfig: FlyMachineConfig;
  /** The machine's version as last written by us (guards each update with `current_version`). */
  version: string;
  updated: boolean;
  destroyed: boolean;
  /** BLUEGREEN green machines: when they were created (exits after this count as crashes). */
  createdAt?: number;
}

/** What a runner needs. */
export interface RunnerDeps {
  fly: FlyClient;
  clock: Clock;
  store: DeploymentStore;
  lock: Lock;
  logger?: Logger;
  /** Delay between two reads of a machine's checks. */
  checkIntervalMs: number;
  /** Called after every stored write, with the record as written. */
  onWrite(record: DeploymentRecord): void;
  /** How often the store is asked whether another instance cancelled the deployment. @default 1000 */
  cancelCheckMs?: number;
}

/** A running deployment. */
export interface Runner {
  readonly done: Promise<void>;
  /** Stops the rollout; machines already changed go back to their previous config; ends CANCELLED. */
  cancel(): void;
  /** Graceful shutdown of this instance: stops, releases the leases, ends INTERRUPTED. */
  shutdown(): Promise<void>;
  /** The instance dies: everything stops where it is, nothing is released or written (tests). */
  halt(): void;
}

/** A machine did not become healthy; already recorded as its FAILED step. */
class StepFailure extends Error {}

/** Fly's per-app create budget: bursts of 3, then 1 per second. */
const CREATE_BURST = 3;
const CREATE_INTERVAL_MS = 1000;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Splits `items` into groups of at most `size`. */
export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Starts running `record` over `targets` (leases already held, record already stored). */
export function startRunner(deps: RunnerDeps, record: DeploymentRecord, targets: RunnerTarget[]): Runner {
  const { fly, clock, store, lock, logger } = deps;
  const app = record.app;
  const ttlSeconds = Math.round(record.leaseTtlMs / 1000);
  const waitMs = record.waitTimeoutSeconds * 1000;
  const stop = new AbortController();
  let halted = false;
  let shuttingDown = false;
  let finished = false;
  let heartbeatTimer: TimerHandle | undefined;
  let saving: Promise<void> = Promise.resolve();

  function persist(): Promise<void> {
    if (halted) return saving;
    record.updatedAt = clock.now();
    const snapshot = structuredClone(record);
    saving = saving
      .then(() => store.save(snapshot))
      .then(
        () => deps.onWrite(snapshot),
        (error: unknown) => logger?.warn({ err: messageOf(error), deployment: record.id }, 'deployment state could not be stored'),
      );
    return saving;
  }

  function step(t: RunnerTarget, kind: DeploymentStepKind, message?: string): void {
    if (halted) return;
    record.steps.push({
      seq: record.steps.length + 1,
      machineId: t.info.machineId,
      step: kind,
      at: clock.now(),
      ...(message ? { message } : {}),
    });
    void persist();
  }

  /** Throws once the deployment (or, given `signal`, the machine's pool) has been stopped. */
  function alive(signal: AbortSignal = stop.signal): void {
    if (halted || stop.signal.aborted) throw stop.signal.reason ?? new Error('deployment stopped');
    if (signal.aborted) throw signal.reason;
  }

  function fail(t: RunnerTarget, message: string): StepFailure {
    step(t, 'failed', message);
    return new StepFailure(message);
  }

  const ref = (t: RunnerTarget) => ({ app, machineId: t.info.machineId });
  const secondsLeft = (deadline: number) => Math.max(1, Math.ceil((deadline - clock.now()) / 1000));

  // ---- heartbeat: leases, lock, stored heartbeat, cancel requests from other instances ----
  function scheduleHeartbeat(): void {
    heartbeatTimer = clock.setTimeout(() => void heartbeat(), Math.max(1000, Math.floor(record.leaseTtlMs / 3)));
  }
  async function heartbeat(): Promise<void> {
    if (halted || finished) return;
    await Promise.all(
      targets
        .filter((t) => !t.destroyed)
        .map((t) =>
          fly.machines.acquireLease({ ...ref(t), ttlSeconds }, { leaseNonce: t.nonce }).then(
            (lease) => void (lease.nonce && (t.nonce = lease.nonce)),
            (error: unknown) => logger?.warn({ err: messageOf(error), machine: t.info.machineId }, 'deployment lease refresh failed'),
          ),
        ),
    );
    await lock.acquire().catch((error: unknown) => logger?.warn({ err: messageOf(error) }, 'deployment lock renewal failed'));
    if (halted || finished) return;
    await noticeCancel();
    record.heartbeatAt = clock.now();
    void persist();
    if (!halted && !finished) scheduleHeartbeat();
  }

  // ---- cancels asked on any instance ----
  async function noticeCancel(): Promise<void> {
    if ((await store.endOf(record.id).catch(() => undefined)) === 'cancel') cancel();
  }
  // Checked more often than the heartbeat, so a cancel sent through another instance takes effect within a second.
  let cancelTimer: TimerHandle | undefined;
  function scheduleCancelCheck(): void {
    cancelTimer = clock.setTimeout(() => {
      void noticeCancel().finally(() => {
        if (!halted && !finished && !stop.signal.aborted) scheduleCancelCheck();
      });
    }, deps.cancelCheckMs ?? 1000);
  }
  /**
   * The point of no return: from here the deployment finishes, unless a cancel was settled first (then it stops and
   * rolls back). Settled in the store, so a cancel from any instance either wins here or is told it came too late.
   */
  async function commit(): Promise<void> {
    const end = await store.decideEnd(record.id, 'finish').catch((error: unknown) => {
      logger?.warn({ err: messageOf(error), deployment: record.id }, 'deployment end could not be settled in the store');
      return 'finish' as const;
    });
    if (end === 'cancel') cancel();
    alive();
  }

  // ---- one machine ----
  async function waitHealthy(t: RunnerTarget, since: number, signal: AbortSignal = stop.signal): Promise<void> {
    const deadline = since + waitMs;
    step(t, 'waiting_for_start');
    const started = await fly.machines.wait(
      { ...ref(t), state: 'started', version: t.version, timeoutSeconds: secondsLeft(deadline) },
      { signal },
    );
    alive(signal);
    if (!started.reached) throw fail(t, `did not reach started within ${record.waitTimeoutSeconds} s`);
    step(t, 'waiting_for_checks');
    const expected = Object.keys(t.targetConfig.checks ?? {});
    for (;;) {
      // Always look once more after a pause: a process that exits right after booting shows up here.
      await clock.sleep(deps.checkIntervalMs, signal);
      const m = await fly.machines.get(ref(t), { signal });
      alive(signal);
      const exited = (m.events ?? []).some((e) => e.type === 'exit' && e.timestamp >= since);
      if (exited || ['stopped', 'failed', 'destroyed'].includes(m.state))
        throw fail(t, `the machine's process exited after starting (now ${m.state})`);
      const checks = m.checks ?? [];
      const failing = expected.filter((name) => checks.find((c) => c.name === name)?.status !== 'passing');
      if (m.state === 'started' && failing.length === 0) {
        step(t, 'healthy', expected.length > 0 ? `${expected.length} check(s) passing` : 'started (no checks)');
        return;
      }
      if (clock.now() >= deadline) {
        const detail = failing.map((name) => `${name}: ${checks.find((c) => c.name === name)?.status ?? 'unknown'}`).join(', ');
        throw fail(t, `checks not passing within ${record.waitTimeoutSeconds} s (${detail || m.state})`);
      }
    }
  }

  async function updateOne(t: RunnerTarget, verify: boolean, pool: AbortSignal): Promise<void> {
    try {
      alive(pool);
      step(t, 'updating', `${t.info.previousImage ?? '?'} → ${t.info.targetImage}${t.info.skipLaunch ? ' (skip_launch)' : ''}`);
      const updated = await fly.machines.update(
        { ...ref(t), config: t.targetConfig, currentVersion: t.version, skipLaunch: t.info.skipLaunch },
        // The update itself is not cut short by the pool: a half-sent update would leave its outcome unknown.
        { leaseNonce: t.nonce, signal: stop.signal },
      );
      const since = clock.now();
      t.updated = true;
      if (updated.version) t.version = updated.version;
      t.info.targetVersion = updated.version;
      alive(pool);
      if (!verify) return step(t, 'healthy', 'not verified (IMMEDIATE)');
      if (t.info.skipLaunch) {
        // Not launched: wait only until the new version has settled (stopped or created again).
        const settled = await fly.machines.wait(
          { ...ref(t), state: 'settled', version: t.version, timeoutSeconds: record.waitTimeoutSeconds },
          { signal: pool },
        );
        alive(pool);
        if (!settled.reached) throw fail(t, `did not settle within ${record.waitTimeoutSeconds} s`);
        return step(t, 'healthy', 'updated without launching: it was not started');
      }
      await waitHealthy(t, since, pool);
    } catch (error) {
      // Stopped because another machine of the pool failed: no failure of its own to report.
      if (error instanceof StepFailure || halted || stop.signal.aborted || pool.aborted) throw error;
      throw fail(t, messageOf(error));
    }
  }

  async function runGroups(groups: RunnerTarget[][], verify: boolean): Promise<void> {
    for (const group of groups) {
      alive();
      // The first failure in a pool stops its siblings' waiting too, so the rollback starts at once.
      const pool = new AbortController();
      const both = AbortSignal.any([stop.signal, pool.signal]);
      let first: unknown;
      await Promise.allSettled(
        group.map((t) =>
          updateOne(t, verify, both).catch((error: unknown) => {
            first ??= error;
            pool.abort(new Error('another machine of the pool failed'));
          }),
        ),
      );
      if (first !== undefined) throw first;
    }
  }

  // ---- strategies ----
  function inPlaceGroups(): { groups: RunnerTarget[][]; verify: boolean } {
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

  /** BLUEGREEN: green has been uncordoned and serves; a later failure must not destroy it. */
  let switched = false;

  async function blueGreen(): Promise<void> {
    const blue = [...targets];
    const green: RunnerTarget[] = [];
    let creates = 0;
    for (const b of blue) {
      alive();
      // Stay within Fly's per-app create budget.
      if (creates >= CREATE_BURST) await clock.sleep(CREATE_INTERVAL_MS, stop.signal);
      creates += 1;
      const createdAt = clock.now();
      const m = await fly.machines.create(
        { app, config: b.targetConfig, region: b.info.region, skipLaunch: b.info.skipLaunch, leaseTtlSeconds: ttlSeconds },
        { signal: stop.signal },
      );
      const nonce = m.nonce ?? (await fly.machines.acquireLease({ app, machineId: m.id, ttlSeconds })).nonce ?? '';
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
      step(g, 'leased', `green for ${b.info.machineId}`);
      step(g, 'updating', `created cordoned next to ${b.info.machineId}`);
      await fly.machines.cordon({ app, machineId: m.id }, { leaseNonce: nonce, signal: stop.signal });
    }
    const results = await Promise.allSettled(
      green.map(async (g) => {
        if (g.info.skipLaunch) return step(g, 'healthy', 'created without launching: its blue machine was not started');
        try {
          await waitHealthy(g, g.createdAt ?? clock.now());
        } catch (error) {
          if (error instanceof StepFailure || halted || stop.signal.aborted) throw error;
          throw fail(g, messageOf(error));
        }
      }),
    );
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    await commit();
    for (const g of green) if (!g.info.skipLaunch) await fly.machines.uncordon(ref(g), { leaseNonce: g.nonce, signal: stop.signal });
    // Green serves now; from here on green stays whatever happens, and blue leaves the proxy, then goes.
    switched = true;
    for (const b of blue) {
      step(b, 'updating', 'blue: cordoned and destroyed, replaced by green');
      if (!b.info.skipLaunch) await fly.machines.cordon(ref(b), { leaseNonce: b.nonce });
      await fly.machines.destroy({ ...ref(b), force: true }, { leaseNonce: b.nonce });
      b.destroyed = true;
      step(b, 'healthy', 'destroyed');
    }
  }

  // ---- undo ----
  async function rollBack(): Promise<boolean> {
    let ok = true;
    if (record.strategy === 'bluegreen') {
      // Past the switch there is nothing to undo safely: green serves, some blue may be gone already.
      if (switched) return false;
      for (const g of targets.filter((t) => t.info.role === 'green' && !t.destroyed)) {
        try {
          await fly.machines.destroy({ ...ref(g), force: true }, { leaseNonce: g.nonce });
          g.destroyed = true;
          step(g, 'rolled_back', 'green destroyed; blue untouched');
        } catch (error) {
          ok = false;
          step(g, 'failed', `could not destroy green: ${messageOf(error)}`);
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
              { ...ref(t), config: t.previousConfig, currentVersion: t.version, skipLaunch: t.info.skipLaunch },
              { leaseNonce: t.nonce },
            );
            if (back.version) t.version = back.version;
            if (!t.info.skipLaunch && record.strategy !== 'immediate') {
              await fly.machines.wait({ ...ref(t), state: 'started', version: t.version, timeoutSeconds: record.waitTimeoutSeconds });
            }
            step(t, 'rolled_back', `back on ${t.info.previousImage ?? 'the previous config'} (${t.info.previousVersion ?? '?'})`);
          } catch (error) {
            ok = false;
            step(t, 'failed', `rollback failed: ${messageOf(error)}`);
          }
        }),
      );
    }
    return ok;
  }

  async function releaseAll(): Promise<void> {
    await Promise.all(
      targets
        .filter((t) => !t.destroyed)
        .map((t) =>
          fly.machines
            .releaseLease({ ...ref(t), nonce: t.nonce })
            .catch((error: unknown) =>
              logger?.warn({ err: messageOf(error), machine: t.info.machineId }, 'deployment lease release failed'),
            ),
        ),
    );
    await lock.release().catch(() => undefined);
  }

  async function run(): Promise<void> {
    scheduleHeartbeat();
    scheduleCancelCheck();
    try {
      record.status = 'running';
      void persist();
      if (record.strategy === 'bluegreen') await blueGreen();
      else {
        const { groups, verify } = inPlaceGroups();
        await runGroups(groups, verify);
        await commit();
      }
      record.status = 'succeeded';
    } catch (error) {
      if (halted) return;
      if (shuttingDown) {
        record.status = 'interrupted';
        record.error = 'the gateway instance running this deployment shut down';
      } else {
        const cancelled = stop.signal.aborted;
        record.error = cancelled ? 'cancelled' : messageOf(error);
        record.status = 'rolling_back';
        void persist();
        const undone = await rollBack();
        record.status = cancelled ? 'cancelled' : undone && record.steps.some((s) => s.step === 'rolled_back') ? 'rolled_back' : 'failed';
      }
    } finally {
      if (!halted) {
        finished = true;
        if (heartbeatTimer !== undefined) clock.clearTimeout(heartbeatTimer);
        if (cancelTimer !== undefined) clock.clearTimeout(cancelTimer);
        await releaseAll();
        record.finishedAt = clock.now();
        record.heartbeatAt = clock.now();
        await persist();
      }
    }
  }

  function cancel(): void {
    if (!stop.signal.aborted) stop.abort(new Error('deployment cancelled'));
  }

  const done = run();
  return {
    done,
    cancel,
    async shutdown() {
      shuttingDown = true;
      cancel();
      await done;
    },
    halt() {
      halted = true;
      finished = true;
      if (heartbeatTimer !== undefined) clock.clearTimeout(heartbeatTimer);
      if (cancelTimer !== undefined) clock.clearTimeout(cancelTimer);
      stop.abort(new Error('instance halted'));
    },
  };
}
