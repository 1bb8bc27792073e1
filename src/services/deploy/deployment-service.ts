/**
 * Deployments as a use case: `deploy` validates, takes the app's lock and every machine's lease (or touches
 * nothing), stores the record and starts a runner; readers on any instance read the stored record, with a stale
 * heartbeat reported as INTERRUPTED.
 */
import { AsyncResource } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { FlyClient } from '../../flyio/types.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import { applyConfigPatch } from '../machines/config-patch.js';
import type { DeploymentStore, Lock } from '../ports.js';
import { startRunner, type Runner, type RunnerTarget } from './runner.js';
import { DeployRejectedError, FINAL_STATUSES, viewOf, type DeployInput, type DeploymentProgress, type DeploymentRecord } from './types.js';

/** Defaults of the API. */
export const DEFAULT_MAX_UNAVAILABLE = 0.33;
export const DEFAULT_WAIT_TIMEOUT_SECONDS = 300;
/** Lease TTL held on every machine; refreshed every third of it. */
export const DEFAULT_DEPLOY_LEASE_TTL_SECONDS = 30;

/** What the deployment service needs. */
export interface DeploymentServiceDeps {
  fly: FlyClient;
  store: DeploymentStore;
  /** One lock per app, shared by every instance: one deployment per app at a time. */
  lockFor(app: string, ttlMs: number): Lock;
  clock: Clock;
  logger?: Logger;
  /** This instance's name in records. */
  owner?: string;
  leaseTtlSeconds?: number;
  /** @default 1000 */
  checkIntervalMs?: number;
  /** How often a progress subscription re-reads a deployment run by another instance. @default 1000 */
  pollIntervalMs?: number;
}

/** Deployments of images to an app's machines. */
export interface DeploymentService {
  /**
   * Starts a deployment; throws {@link DeployRejectedError} or the Fly failure when it could not begin. Every Fly call
   * of the rollout is made with `options.fly` when given (the caller's own authority), else the service's client.
   */
  deploy(input: DeployInput, options?: { signal?: AbortSignal; fly?: FlyClient }): Promise<DeploymentRecord>;
  get(id: string): Promise<DeploymentRecord | undefined>;
  /**
   * Cancels a deployment that is still active, on whichever instance runs it: `accepted` false when it had already
   * ended or reached its point of no return. Undefined when unknown.
   */
  cancel(id: string): Promise<{ record: DeploymentRecord; accepted: boolean } | undefined>;
  /** Every step in order (from the first), then the final status. Throws `not-found` for an unknown id. */
  progress(id: string, signal?: AbortSignal): Promise<AsyncIterableIterator<DeploymentProgress>>;
  /** Resolves once a deployment run by this instance has ended. */
  settled(id: string): Promise<void>;
  /** Graceful stop: running deployments end INTERRUPTED with their leases and locks released. */
  close(): Promise<void>;
  /** Simulates this instance dying: runners stop where they are and nothing is released or written (tests). */
  halt(): void;
}

function resolvePool(maxUnavailable: number, started: number): number {
  const count = maxUnavailable < 1 ? Math.floor(maxUnavailable * started) : Math.floor(maxUnavailable);
  return Math.max(1, Math.min(count, Math.max(started, 1)));
}

function validate(input: DeployInput): { maxUnavailable: number; waitTimeoutSeconds: number } {
  const maxUnavailable = input.maxUnavailable ?? DEFAULT_MAX_UNAVAILABLE;
  const waitTimeoutSeconds = input.waitTimeoutSeconds ?? DEFAULT_WAIT_TIMEOUT_SECONDS;
  if (!input.image.trim()) throw new DeployRejectedError('invalid-input', 'image must not be empty', 'input.image');
  if (!(maxUnavailable > 0) || (maxUnavailable >= 1 && !Number.isInteger(maxUnavailable))) {
    throw new DeployRejectedError(
      'invalid-input',
      'maxUnavailable must be a fraction in (0, 1) or a whole count of at least 1',
      'input.maxUnavailable',
    );
  }
  if (!Number.isInteger(waitTimeoutSeconds) || waitTimeoutSeconds < 1 || waitTimeoutSeconds > 3600) {
    throw new DeployRejectedError('invalid-input', 'waitTimeoutSeconds must be a whole number from 1 to 3600', 'input.waitTimeoutSeconds');
  }
  return { maxUnavailable, waitTimeoutSeconds };
}

/** Creates the {@link DeploymentService}. */
export function createDeploymentService(deps: DeploymentServiceDeps): DeploymentService {
  const { store, clock, logger } = deps;
  const owner = deps.owner ?? randomUUID();
  const leaseTtlSeconds = deps.leaseTtlSeconds ?? DEFAULT_DEPLOY_LEASE_TTL_SECONDS;
  const leaseTtlMs = leaseTtlSeconds * 1000;
  const pollIntervalMs = deps.pollIntervalMs ?? 1000;
  const runners = new Map<string, Runner>();
  // Runners outlive the request that started them: they run in the context of the service's creation, so their Fly
  // calls are not counted in that request's upstream tally (or anything else a request keeps in async context).
  const background = new AsyncResource('flygate.deployment');
  const listeners = new Map<string, Set<() => void>>();

  const wake = (id: string) => {
    for (const listener of listeners.get(id) ?? []) listener();
  };

  async function deploy(input: DeployInput, options: { signal?: AbortSignal; fly?: FlyClient } = {}): Promise<DeploymentRecord> {
    const { maxUnavailable, waitTimeoutSeconds } = validate(input);
    const fly = options.fly ?? deps.fly;
    const lock = deps.lockFor(input.app, leaseTtlMs);
    if (!(await lock.acquire())) throw new DeployRejectedError('app-busy', `another deployment of ${input.app} is running`);
    const taken: RunnerTarget[] = [];
    try {
      const machines = (await fly.machines.listAll({ app: input.app }, { signal: options.signal })).filter(
        (m) => m.state !== 'destroyed' && m.state !== 'destroying',
      );
      if (machines.length === 0) throw new DeployRejectedError('no-machines', `${input.app} has no machines to deploy to`);
      const id = `dep_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
      // Every lease first: a machine someone else holds stops the deployment before anything changes.
      for (const m of machines) {
        const lease = await fly.machines.acquireLease(
          { app: input.app, machineId: m.id, ttlSeconds: leaseTtlSeconds, description: `flygate deployment ${id}` },
          { signal: options.signal },
        );
        const previousConfig = m.config ?? {};
        taken.push({
          info: {
            machineId: m.id,
            region: m.region,
            role: input.strategy === 'bluegreen' ? 'blue' : 'existing',
            skipLaunch: m.state !== 'started',
            previousVersion: m.version,
            previousImage: typeof previousConfig.image === 'string' ? previousConfig.image : undefined,
            targetImage: input.image,
          },
          nonce: lease.nonce ?? '',
          previousConfig,
          targetConfig: applyConfigPatch(previousConfig, { ...input.config, image: input.image }),
          version: m.version ?? '',
          updated: false,
          destroyed: false,
        });
      }
      const now = clock.now();
      const started = taken.filter((t) => !t.info.skipLaunch).length;
      const record: DeploymentRecord = {
        id,
        app: input.app,
        image: input.image,
        strategy: input.strategy,
        maxUnavailable: resolvePool(maxUnavailable, started),
        waitTimeoutSeconds,
        status: 'pending',
        createdAt: now,
        updatedAt: now,
        heartbeatAt: now,
        leaseTtlMs,
        owner,
        secretsVersion: input.secretsVersion,
        machines: taken.map((t) => t.info),
        steps: taken.map((t, i) => ({ seq: i + 1, machineId: t.info.machineId, step: 'leased' as const, at: now })),
      };
      await store.save(structuredClone(record));
      const runner = background.runInAsyncScope(() =>
        startRunner(
          { fly, clock, store, lock, logger, checkIntervalMs: deps.checkIntervalMs ?? 1000, onWrite: (r) => wake(r.id) },
          record,
          taken,
        ),
      );
      runners.set(id, runner);
      void runner.done.finally(() => runners.delete(id));
      return structuredClone(record);
    } catch (error) {
      // Nothing was changed: give back what was taken.
      await Promise.all(
        taken.map((t) => fly.machines.releaseLease({ app: input.app, machineId: t.info.machineId, nonce: t.nonce }).catch(() => undefined)),
      );
      await lock.release().catch(() => undefined);
      throw error;
    }
  }

  async function get(id: string): Promise<DeploymentRecord | undefined> {
    const record = await store.get(id);
    return record && viewOf(record, clock.now());
  }

  async function* follow(id: string, first: DeploymentRecord, signal?: AbortSignal): AsyncGenerator<DeploymentProgress> {
    let sent = 0;
    let record: DeploymentRecord | undefined = first;
    while (record && !signal?.aborted) {
      const view = viewOf(record, clock.now());
      for (const step of view.steps.slice(sent)) yield { kind: 'step', deploymentId: id, step };
      sent = Math.max(sent, view.steps.length);
      if (FINAL_STATUSES.has(view.status)) {
        yield { kind: 'status', deploymentId: id, status: view.status, ...(view.error ? { error: view.error } : {}) };
        return;
      }
      // Woken by a local write, or re-read on a timer (another instance runs it, or it may have gone stale).
      await new Promise<void>((resolve) => {
        const set = listeners.get(id) ?? new Set();
        listeners.set(id, set);
        const done = () => {
          clock.clearTimeout(timer);
          set.delete(done);
          if (set.size === 0) listeners.delete(id);
          signal?.removeEventListener('abort', done);
          resolve();
        };
        const timer = clock.setTimeout(done, pollIntervalMs);
        set.add(done);
        signal?.addEventListener('abort', done, { once: true });
      });
      record = await store.get(id);
    }
  }

  return {
    deploy,
    get,
    async cancel(id) {
      const record = await get(id);
      if (!record) return undefined;
      if (FINAL_STATUSES.has(record.status)) return { record, accepted: false };
      // Settled in the store: the runner (here or elsewhere) either sees this cancel or had already committed.
      const accepted = (await store.decideEnd(id, 'cancel')) === 'cancel';
      if (accepted) runners.get(id)?.cancel();
      return { record: (await get(id)) ?? record, accepted };
    },
    async progress(id, signal) {
      const first = await store.get(id);
      if (!first) throw new DeployRejectedError('not-found', `no deployment ${id}`);
      return follow(id, first, signal);
    },
    async settled(id) {
      await runners.get(id)?.done;
    },
    async close() {
      await Promise.all([...runners.values()].map((r) => r.shutdown()));
    },
    halt() {
      for (const r of runners.values()) r.halt();
      runners.clear();
    },
  };
}
