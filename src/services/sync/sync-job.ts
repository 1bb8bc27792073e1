import { isFlyApiError, FlyErrorCode } from '../../flyio/errors.js';
import type { Lock } from '../ports.js';
import { systemClock, type Clock, type TimerHandle } from '../../lib/clock.js';
import type { EventIngest } from '../events/event-ingest.js';
import { silentLogger, type Logger } from '../../lib/logger.js';
import { fromFlyMachineEvent, type GatewayEvent } from '../events/types.js';
import { diffMachines } from './diff-machines.js';
import { snapshotChanged, type MachineSnapshot } from './machine-snapshot.js';
import { laterThan, pollOrgFeed, pollPerApp, type PollResult, type SyncFlyClient } from './poll-machines.js';
import type { ResourceWatcher } from './resource-changes.js';
import { type SyncState, type SyncStateStore } from '../ports.js';

/** Dependencies of {@link createSyncJob}. */
export interface SyncJobDeps {
  fly: SyncFlyClient;
  /** Org slug whose machines are watched. */
  org: string;
  /** Several organizations (FLY_ORGS): each one's feed is polled every run, one after another; absent or empty: `org`. */
  orgs?: readonly string[];
  ingest: EventIngest;
  /** Only the holder polls; give it a TTL of a few intervals so a dead holder is replaced quickly. */
  lock: Lock;
  /** Time between runs started by `start()`. */
  intervalMs: number;
  /** How far back each poll reaches past the last change seen: Fly's feed shows changes late. @default 30000 */
  overlapMs?: number;
  /** Fly events fetched per changed machine (Fly allows at most 50). @default 50 */
  eventsLimit?: number;
  /** Where the state between polls is kept; a shared one lets a new lock holder continue instead of starting over. */
  state: SyncStateStore;
  /** Apps and volumes appearing, changing and going (resource-changes.ts); absent: machines only. */
  resources?: ResourceWatcher;
  clock?: Clock;
  logger?: Logger;
}

/** What one run did. */
export interface SyncRunResult {
  /** False when another instance holds the lock (or the lock could not be reached). */
  polled: boolean;
  /** Events published (duplicates not counted). */
  emitted: number;
  /** The run only recorded the current state (first run ever: nothing is reported as new). */
  baseline?: boolean;
  via?: PollResult['via'];
}

/** The background sync: `start` schedules runs, `runOnce` is one run (tests call it directly). */
export interface SyncJob {
  start(): void;
  /** Stops scheduling, waits for a run in progress, releases the lock. */
  stop(): Promise<void>;
  /** One run; concurrent calls share the run in progress. Rejects when events could not be handed on. */
  runOnce(): Promise<SyncRunResult>;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Fills in what the feed row of a machine that was created and destroyed between two polls cannot say, from its Fly
 * events (oldest first): the state it was created in and when, and the last state before it was destroyed. Ids are
 * unaffected (they do not depend on these fields).
 */
function describeShortLife(events: GatewayEvent[], flyEvents: GatewayEvent[]): GatewayEvent[] {
  const log = flyEvents.flatMap((e) => (e.event ? [e.event] : []));
  const first = log[0];
  const lastAlive = [...log].reverse().find((e) => e.status && e.status !== 'destroyed');
  return events.map((event) => {
    if (event.type === 'machine.created' && first) {
      return { ...event, timestamp: iso(first.timestamp), ...(first.status ? { to: first.status } : {}) };
    }
    if (event.type === 'machine.destroyed' && lastAlive?.status) return { ...event, from: lastAlive.status };
    return event;
  });
}

/** How long the sync lock lives between renewals: three polling intervals, and never under 5 s. */
export function syncLockTtlMs(intervalMs: number): number {
  return Math.max(3 * intervalMs, 5_000);
}

/**
 * Creates the sync job. Each run: take or renew the lock, poll Fly (org feed since the last change minus the
 * overlap; per-app lists if the feed fails), diff against the remembered state, fetch the Fly event log of each
 * machine that changed, and hand everything to the same ingest the webhook uses. State is saved only after every
 * event was handed on, so a failed run is repeated whole next time and the dedupe store absorbs the repeats.
 */
export function createSyncJob(deps: SyncJobDeps): SyncJob {
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? silentLogger;
  const overlapMs = deps.overlapMs ?? 30_000;
  if (!(deps.intervalMs > 0)) throw new RangeError(`createSyncJob: intervalMs must be positive, got ${deps.intervalMs}`);
  if (!(overlapMs >= 0)) throw new RangeError(`createSyncJob: overlapMs must be zero or more, got ${overlapMs}`);
  const store = deps.state;
  const stopController = new AbortController();
  let running: Promise<SyncRunResult> | undefined;
  let timer: TimerHandle | undefined;
  let started = false;

  const orgs = deps.orgs && deps.orgs.length > 0 ? [...new Set(deps.orgs)] : [deps.org];

  const pollOne = async (org: string, updatedAfter: string | undefined): Promise<PollResult> => {
    try {
      return await pollOrgFeed(deps.fly, org, updatedAfter, stopController.signal);
    } catch (error) {
      logger.warn({ org, err: String(error) }, 'org machine feed failed; falling back to per-app lists');
      return pollPerApp(deps.fly, org, stopController.signal);
    }
  };

  // Every org shares one state and cursor (the largest updated_at seen in any of them; the overlap covers an org
  // polled a moment earlier than another). The orgs' answers make one poll: complete only when every org's is (a
  // complete list of one org must not mark the machines of another, which only said what changed, as gone).
  const poll = async (state: SyncState | undefined): Promise<PollResult> => {
    const updatedAfter = state ? iso(Date.parse(state.cursor) - overlapMs) : undefined;
    const results: PollResult[] = [];
    for (const org of orgs) results.push(await pollOne(org, updatedAfter));
    if (results.length === 1) return results[0];
    let maxUpdatedAt: string | undefined;
    for (const r of results) if (laterThan(r.maxUpdatedAt, maxUpdatedAt)) maxUpdatedAt = r.maxUpdatedAt;
    const complete = results.every((r) => !r.partial);
    return {
      machines: results.flatMap((r) => r.machines),
      partial: !complete,
      via: results.every((r) => r.via === 'feed') ? 'feed' : 'apps',
      ...(maxUpdatedAt ? { maxUpdatedAt } : {}),
    };
  };

  const recentFlyEvents = async (machine: MachineSnapshot, since: number): Promise<GatewayEvent[]> => {
    try {
      const events = await deps.fly.machines.events(
        { app: machine.app, machineId: machine.machineId, limit: deps.eventsLimit ?? 50 },
        { signal: stopController.signal },
      );
      // Fly lists newest first; reversing before the (stable) sort keeps events of the same millisecond in the
      // order they happened instead of backwards.
      return [...events]
        .reverse()
        .filter((event) => event.timestamp >= since)
        .sort((a, b) => a.timestamp - b.timestamp)
        .map((event) => fromFlyMachineEvent(machine.app, machine.machineId, event, 'sync'));
    } catch (error) {
      // Gone (Fly may not keep the log of a destroyed machine): its destruction is reported by the diff anyway.
      if (isFlyApiError(error) && error.code === FlyErrorCode.NotFound) return [];
      throw error;
    }
  };

  const nextState = (state: SyncState | undefined, result: PollResult, startedAt: number): SyncState => {
    const known = state?.machines ?? [];
    // A complete list replaces what was known, except destroyed machines (it lists live ones only)...
    const machines = new Map(known.filter((m) => result.partial || m.state === 'destroyed').map((m) => [m.machineId, m] as const));
    for (const machine of result.machines) machines.set(machine.machineId, machine);
    if (!result.partial) {
      // ...and the machines it no longer lists, which the diff reported destroyed: remembered as such for a while.
      for (const m of known)
        if (!machines.has(m.machineId)) machines.set(m.machineId, { ...m, state: 'destroyed', updatedAt: iso(startedAt) });
    }
    // Fly's own timestamps when there are any (no clock skew); our clock only for an empty first poll.
    let cursor = state?.cursor;
    if (laterThan(result.maxUpdatedAt, cursor)) cursor = result.maxUpdatedAt;
    const resolved = cursor ?? iso(startedAt);
    // A destroyed machine is remembered while the next poll's overlap window can still show it, so that poll knows
    // it was reported (instead of taking it for one that lived and died unseen); then it is forgotten.
    const window = iso(Date.parse(resolved) - overlapMs);
    for (const [id, machine] of machines) {
      if (machine.state === 'destroyed' && !laterThan(machine.updatedAt, window)) machines.delete(id);
    }
    return { cursor: resolved, polledAt: startedAt, machines: [...machines.values()] };
  };

  const run = async (): Promise<SyncRunResult> => {
    try {
      if (!(await deps.lock.acquire())) return { polled: false, emitted: 0 };
    } catch (error) {
      logger.warn({ err: String(error) }, 'sync lock unreachable; skipping this run');
      return { polled: false, emitted: 0 };
    }
    const startedAt = clock.now();
    const state = await store.load();
    const result = await poll(state);
    const resources = await deps.resources?.poll(stopController.signal);
    const next = nextState(state, result, startedAt);
    if (!state) {
      await store.save(next);
      logger.info({ orgs, machines: next.machines.length, via: result.via }, 'sync baseline recorded');
      return { polled: true, emitted: 0, baseline: true, via: result.via };
    }

    const previous = new Map(state.machines.map((m) => [m.machineId, m] as const));
    const derived = diffMachines(previous, result.machines, { partial: result.partial, now: iso(startedAt) });
    const queue: GatewayEvent[] = [];
    const queued = new Set<GatewayEvent>();
    for (const machine of result.machines) {
      const before = previous.get(machine.machineId);
      // A machine already reported destroyed has nothing more to say (a stale row cannot bring it back).
      if (!snapshotChanged(before, machine) || before?.state === 'destroyed') continue;
      const flyEvents = await recentFlyEvents(machine, state.polledAt - overlapMs);
      queue.push(...flyEvents);
      let own = derived.filter((event) => event.machineId === machine.machineId);
      for (const event of own) queued.add(event);
      if (!before && machine.state === 'destroyed') own = describeShortLife(own, flyEvents);
      queue.push(...own);
    }
    // Machines that vanished from a complete list have no row above.
    queue.push(...derived.filter((event) => !queued.has(event)));
    queue.push(...(resources?.events ?? []));

    // Polling may have outlived the lock; if another instance took it, let it report these changes.
    if (queue.length > 0 && !(await deps.lock.acquire())) return { polled: false, emitted: 0 };
    let emitted = 0;
    for (const event of queue) if ((await deps.ingest.ingest(event)) === 'published') emitted += 1;
    await store.save(next);
    resources?.commit();
    if (emitted > 0) logger.info({ orgs, emitted, via: result.via }, 'sync published events');
    return { polled: true, emitted, via: result.via };
  };

  const runOnce = () => {
    running ??= run().finally(() => {
      running = undefined;
    });
    return running;
  };

  const schedule = (delayMs: number) => {
    timer = clock.setTimeout(() => {
      timer = undefined;
      runOnce()
        .catch((error: unknown) => logger.error({ orgs, err: String(error) }, 'sync run failed; retrying next interval'))
        .finally(() => {
          if (started) schedule(deps.intervalMs);
        });
    }, delayMs);
  };

  return {
    start() {
      if (started || stopController.signal.aborted) return;
      started = true;
      schedule(0);
    },
    async stop() {
      started = false;
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
      // Aborting ends a poll in flight quickly; its state is not saved, so nothing is half-recorded.
      stopController.abort();
      await running?.catch(() => undefined);
      await deps.lock.release().catch(() => undefined);
    },
    runOnce,
  };
}
