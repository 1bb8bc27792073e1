/**
 * The state one running deployment shares between its parts (src/services/deploy/: keep-alive, in-place, blue-green,
 * roll-back, and runner.ts that orders them): the record as it is written, the machines with what it takes to change
 * and undo them, and whether the run was stopped. Its methods are the few things every part does: write a step,
 * check the run is still wanted, settle its end.
 */
import type { FlyClient } from '../../flyio/types.js';
import type { FlyMachineConfig } from '../../flyio/wire/machine.js';
import type { Clock } from '../../lib/clock.js';
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

/** A machine did not become healthy; already recorded as its FAILED step. */
export class StepFailure extends Error {}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Splits `items` into groups of at most `size`. */
export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** One running deployment's shared state. */
export class RunState {
  readonly stop = new AbortController();
  /** The instance died (tests): nothing more is written or released. */
  halted = false;
  /** The instance is shutting down: the run ends INTERRUPTED, not rolled back. */
  shuttingDown = false;
  /** The run has reached its end (timers stop). */
  finished = false;
  /** BLUEGREEN: green has been uncordoned and serves; a later failure must not destroy it. */
  switched = false;
  #saving: Promise<void> = Promise.resolve();

  constructor(
    readonly deps: RunnerDeps,
    readonly record: DeploymentRecord,
    readonly targets: RunnerTarget[],
  ) {}

  get app(): string {
    return this.record.app;
  }

  get ttlSeconds(): number {
    return Math.round(this.record.leaseTtlMs / 1000);
  }

  ref(t: RunnerTarget): { app: string; machineId: string } {
    return { app: this.record.app, machineId: t.info.machineId };
  }

  /** Writes the record as it is now, after every earlier write (in order, never two at once). */
  persist(): Promise<void> {
    if (this.halted) return this.#saving;
    const { clock, store, logger } = this.deps;
    this.record.updatedAt = clock.now();
    const snapshot = structuredClone(this.record);
    this.#saving = this.#saving
      .then(() => store.save(snapshot))
      .then(
        () => this.deps.onWrite(snapshot),
        (error: unknown) => logger?.warn({ err: messageOf(error), deployment: this.record.id }, 'deployment state could not be stored'),
      );
    return this.#saving;
  }

  /** Adds one step of one machine to the record and writes it. */
  step(t: RunnerTarget, kind: DeploymentStepKind, message?: string): void {
    if (this.halted) return;
    const steps = this.record.steps;
    steps.push({
      seq: steps.length + 1,
      machineId: t.info.machineId,
      step: kind,
      at: this.deps.clock.now(),
      ...(message ? { message } : {}),
    });
    void this.persist();
  }

  /** Records a machine's failure as its FAILED step and returns the error that says so. */
  fail(t: RunnerTarget, message: string): StepFailure {
    this.step(t, 'failed', message);
    return new StepFailure(message);
  }

  /** Throws once the deployment (or, given `signal`, the machine's pool) has been stopped. */
  alive(signal: AbortSignal = this.stop.signal): void {
    if (this.halted || this.stop.signal.aborted) throw this.stop.signal.reason ?? new Error('deployment stopped');
    if (signal.aborted) throw signal.reason;
  }

  /** Stops the rollout (a cancel, or a shutdown that set `shuttingDown` first). */
  cancel(): void {
    if (!this.stop.signal.aborted) this.stop.abort(new Error('deployment cancelled'));
  }

  /** Whether a stop came from outside (cancel, shutdown, halt) rather than from a machine's failure. */
  get stopped(): boolean {
    return this.halted || this.stop.signal.aborted;
  }

  /**
   * The point of no return: from here the deployment finishes, unless a cancel was settled first (then it stops and
   * rolls back). Settled in the store, so a cancel from any instance either wins here or is told it came too late.
   */
  async commit(): Promise<void> {
    const { store, logger } = this.deps;
    const end = await store.decideEnd(this.record.id, 'finish').catch((error: unknown) => {
      logger?.warn({ err: messageOf(error), deployment: this.record.id }, 'deployment end could not be settled in the store');
      return 'finish' as const;
    });
    if (end === 'cancel') this.cancel();
    this.alive();
  }
}
