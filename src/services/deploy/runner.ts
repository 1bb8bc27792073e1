/**
 * Runs one deployment on the instance that started it. The parts, over one shared {@link RunState}:
 * - keep-alive.ts: leases, lock and stored heartbeat renewed; cancels from other instances noticed;
 * - in-place.ts (ROLLING, CANARY, IMMEDIATE) and blue-green.ts (BLUEGREEN): the strategies, each ending with the
 *   run's commit (its point of no return);
 * - roll-back.ts: undo after a failure or a cancel, and the release of every lease and the lock at the end.
 * The runner holds the machines' previous configs in memory; the stored record carries only what readers need.
 */
import type { FlyMachineConfig } from '../../flyio/wire/machine.js';
import { processGroupOf, type DeploymentRecord } from './types.js';
import { runBlueGreen } from './blue-green.js';
import { runInPlace } from './in-place.js';
import { keepAlive } from './keep-alive.js';
import { releaseAll, rollBack } from './roll-back.js';
import { messageOf, RunState, type RunnerDeps, type RunnerTarget } from './run-state.js';

export type { RunnerDeps, RunnerTarget } from './run-state.js';

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

/**
 * What a succeeded run leaves, kept on the record for `rollbackApp`: the full config of every machine it left
 * (updated in place, or green), and per process group the config of its machines.
 */
function recordFinalConfigs(state: RunState): void {
  const finalConfigs: Record<string, FlyMachineConfig> = {};
  const groupConfigs: Record<string, FlyMachineConfig> = {};
  for (const t of state.targets) {
    if (t.destroyed) continue;
    finalConfigs[t.info.machineId] = t.targetConfig;
    groupConfigs[processGroupOf(t.targetConfig)] ??= t.targetConfig;
  }
  state.record.finalConfigs = finalConfigs;
  state.record.groupConfigs = groupConfigs;
}

/** Runs the strategy, then settles the status: succeeded, rolled back or failed, cancelled, or interrupted. */
async function run(state: RunState, stopKeepingAlive: () => void): Promise<void> {
  const { record } = state;
  const { clock } = state.deps;
  try {
    record.status = 'running';
    void state.persist();
    await (record.strategy === 'bluegreen' ? runBlueGreen(state) : runInPlace(state));
    recordFinalConfigs(state);
    record.status = 'succeeded';
  } catch (error) {
    if (state.halted) return;
    if (state.shuttingDown) {
      record.status = 'interrupted';
      record.error = 'the gateway instance running this deployment shut down';
    } else {
      const cancelled = state.stop.signal.aborted;
      record.error = cancelled ? 'cancelled' : messageOf(error);
      record.status = 'rolling_back';
      void state.persist();
      const undone = await rollBack(state);
      record.status = cancelled ? 'cancelled' : undone && record.steps.some((s) => s.step === 'rolled_back') ? 'rolled_back' : 'failed';
    }
  } finally {
    if (!state.halted) {
      state.finished = true;
      stopKeepingAlive();
      await releaseAll(state);
      record.finishedAt = clock.now();
      record.heartbeatAt = clock.now();
      await state.persist();
    }
  }
}

/** Starts running `record` over `targets` (leases already held, record already stored). */
export function startRunner(deps: RunnerDeps, record: DeploymentRecord, targets: RunnerTarget[]): Runner {
  const state = new RunState(deps, record, targets);
  const stopKeepingAlive = keepAlive(state);
  const done = run(state, stopKeepingAlive);
  return {
    done,
    cancel: () => state.cancel(),
    async shutdown() {
      state.shuttingDown = true;
      state.cancel();
      await done;
    },
    halt() {
      state.halted = true;
      state.finished = true;
      stopKeepingAlive();
      state.stop.abort(new Error('instance halted'));
    },
  };
}
