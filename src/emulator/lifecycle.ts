import type { Clock, TimerHandle } from '../lib/clock.js';
import { flyError } from './http-error.js';
import type { IdFactory } from './ids.js';
import { CRASH_AFTER_MS, imageBehaviour } from './image-behaviour.js';
import { currentConfig, currentVersion } from './serialize.js';
import type { Store } from './store.js';
import { createTransitionEngine, type Phase } from './transitions.js';
import type { CheckRecord, MachineConfig, MachineRecord, TransitionDelays } from './types.js';

/** States a machine rests in; `settled` in wait means any of these. */
export const SETTLED_STATES: ReadonlySet<string> = new Set(['created', 'started', 'stopped', 'suspended', 'failed', 'destroyed']);

/** Input for creating a machine. */
export interface CreateMachineInput {
  app: string;
  config: MachineConfig;
  name?: string;
  region?: string;
  skipLaunch?: boolean;
}

/** Machine state machine (MACHINES-API.md §5): transient states settle after delays on the injected clock. */
export interface Lifecycle {
  create(input: CreateMachineInput): MachineRecord;
  start(m: MachineRecord): string;
  stop(m: MachineRecord): void;
  restart(m: MachineRecord): void;
  suspend(m: MachineRecord): void;
  destroy(m: MachineRecord, force: boolean): void;
  /** Destroys at once, skipping the transient state (app deletion). */
  destroyNow(m: MachineRecord): void;
  update(m: MachineRecord, config: MachineConfig, skipLaunch: boolean): void;
  /** Simulates the main process exiting; the restart policy decides what follows. */
  exit(m: MachineRecord, exitCode: number, oomKilled?: boolean): void;
  /** Puts the machine straight into `state` (control API and demo seed), logging a flyd event. */
  force(m: MachineRecord, state: string): void;
  /** Records a config or flag change (metadata, cordon) without a state change, announced as `machine.updated`. */
  touch(m: MachineRecord): void;
  setCheck(m: MachineRecord, name: string, status: CheckRecord['status'], output?: string): void;
  /** Stops all pending timers (emulator shutdown). */
  dispose(): void;
}

/** Options for {@link createLifecycle}. */
export interface LifecycleOptions {
  store: Store;
  clock: Clock;
  ids: IdFactory;
  delays: TransitionDelays;
  /** Called after every state change or event, so waiters can re-check. */
  notify: (m: MachineRecord) => void;
  defaultRegion: string;
}

const TRANSIENT = new Set(['creating', 'starting', 'stopping', 'restarting', 'suspending', 'destroying', 'updating', 'replacing']);

const FORCED_EVENT_TYPE: Record<string, string> = {
  created: 'launch',
  starting: 'start',
  started: 'start',
  stopping: 'stop',
  stopped: 'stop',
  suspending: 'suspend',
  suspended: 'suspend',
  failed: 'exit',
  destroying: 'destroy',
  destroyed: 'destroy',
  restarting: 'restart',
  updating: 'update',
};

/** Creates the {@link Lifecycle} for one emulator. */
export function createLifecycle(options: LifecycleOptions): Lifecycle {
  const { store, clock, ids, delays, notify } = options;
  const crashTimers = new Set<TimerHandle>();
  // A `-crash` image exits soon after each start; by then the machine may have moved on, so check first.
  const onStarted = (m: MachineRecord): void => {
    if (imageBehaviour(currentConfig(m).image) !== 'crash') return;
    const version = currentVersion(m);
    const timer = clock.setTimeout(() => {
      crashTimers.delete(timer);
      if (m.state === 'started' && currentVersion(m) === version) exitMachine(m, 1);
    }, CRASH_AFTER_MS);
    crashTimers.add(timer);
  };
  const { run, cancel } = createTransitionEngine({ store, clock, ids, notify, onStarted });
  const rfc = (ms: number): string => new Date(ms).toISOString();

  function requireState(m: MachineRecord, action: string, allowed: string[]): void {
    if (allowed.includes(m.state)) return;
    if (TRANSIENT.has(m.state)) {
      throw flyError(412, `unable to ${action} machine: it is ${m.state}, a transition is in progress`);
    }
    throw flyError(412, `unable to ${action} machine from current state '${m.state}'`);
  }

  const starting = (source: 'user' | 'flyd', holdStart = delays.start): Phase[] => [
    { state: 'starting', type: 'start', source, holdMs: holdStart },
    { state: 'started', type: 'start', source: 'flyd' },
  ];

  function checksFor(config: MachineConfig): CheckRecord[] {
    return Object.keys(config.checks ?? {}).map((name) => ({
      name,
      status: 'critical',
      output: 'waiting for machine to start',
      updated_at: rfc(clock.now()),
    }));
  }

  function exitMachine(m: MachineRecord, exitCode: number, oomKilled = false): void {
    requireState(m, 'exit', ['started']);
    const config = currentConfig(m);
    const policy = config.restart?.policy ?? 'on-failure';
    const maxRetries = config.restart?.max_retries ?? 10;
    const restarting =
      !config.auto_destroy && (policy === 'always' || (policy === 'on-failure' && exitCode !== 0 && m.restartCount < maxRetries));
    const exitEvent = { exit_code: exitCode, oom_killed: oomKilled, requested_stop: false, restarting, exited_at: rfc(clock.now()) };
    const exited: Phase = {
      state: 'stopped',
      type: 'exit',
      source: 'flyd',
      request: { exit_event: exitEvent, restart_count: m.restartCount },
    };
    if (config.auto_destroy) {
      run(m, [exited, { state: 'destroyed', type: 'destroy', source: 'flyd' }]);
    } else if (restarting) {
      m.restartCount += 1;
      run(m, [exited, ...starting('flyd')]);
    } else {
      run(m, [exited]);
    }
  }

  return {
    create(input) {
      const now = clock.now();
      const id = ids.machineId();
      const m: MachineRecord = {
        id,
        app: input.app,
        name: input.name || `emu-${id.slice(0, 6)}`,
        region: input.region || options.defaultRegion,
        state: 'created',
        privateIp: ids.privateIp(),
        cordoned: false,
        createdAtMs: now,
        updatedAtMs: now,
        versions: [{ version: ids.ulid(), config: input.config, createdAtMs: now }],
        events: [],
        checks: checksFor(input.config),
        restartCount: 0,
      };
      store.machines.set(id, m);
      for (const mount of input.config.mounts ?? []) {
        const v = mount.volume ? store.volumes.get(mount.volume) : undefined;
        if (v && v.app === input.app) v.attachedMachineId = id;
      }
      store.emit({ type: 'machine.created', data: { app: m.app, machine_id: id, to: 'created', version: currentVersion(m) } });
      const launch: Phase = { state: 'created', type: 'launch', source: 'user', holdMs: delays.create };
      run(m, input.skipLaunch ? [launch] : [launch, ...starting('flyd')]);
      return m;
    },
    start(m) {
      requireState(m, 'start', ['created', 'stopped', 'suspended', 'failed']);
      const previous = m.state;
      run(m, starting('user'));
      return previous;
    },
    stop(m) {
      requireState(m, 'stop', ['started', 'suspended', 'created', 'failed']);
      run(m, [
        { state: 'stopping', type: 'stop', source: 'user', holdMs: delays.stop },
        { state: 'stopped', type: 'stop', source: 'flyd' },
      ]);
    },
    restart(m) {
      requireState(m, 'restart', ['started']);
      m.restartCount += 1;
      run(m, [
        { state: 'restarting', type: 'restart', source: 'user', holdMs: delays.restart },
        { state: 'started', type: 'start', source: 'flyd' },
      ]);
    },
    suspend(m) {
      requireState(m, 'suspend', ['started']);
      run(m, [
        { state: 'suspending', type: 'suspend', source: 'user', holdMs: delays.suspend },
        { state: 'suspended', type: 'suspend', source: 'flyd' },
      ]);
    },
    destroy(m, force) {
      if (m.state === 'destroyed' || m.state === 'destroying')
        throw flyError(412, `unable to destroy machine from current state '${m.state}'`);
      if (!force && !['stopped', 'suspended', 'failed', 'created'].includes(m.state)) {
        throw flyError(412, `unable to destroy machine, not currently stopped, suspended or failed (state: ${m.state}); use force=true`);
      }
      run(m, [
        { state: 'destroying', type: 'destroy', source: 'user', holdMs: delays.destroy },
        { state: 'destroyed', type: 'destroy', source: 'flyd' },
      ]);
    },
    destroyNow(m) {
      if (m.state === 'destroyed') return;
      run(m, [{ state: 'destroyed', type: 'destroy', source: 'flyd' }]);
    },
    update(m, config, skipLaunch) {
      requireState(m, 'update', ['created', 'started', 'stopped', 'suspended', 'failed']);
      const previous = m.state;
      m.versions.push({ version: ids.ulid(), config, createdAtMs: clock.now() });
      const known = new Map(m.checks.map((c) => [c.name, c]));
      m.checks = checksFor(config).map((c) => known.get(c.name) ?? c);
      store.emit({ type: 'machine.updated', data: { app: m.app, machine_id: m.id, version: currentVersion(m) } });
      const updating: Phase = { state: 'updating', type: 'update', source: 'user', holdMs: delays.update };
      if (skipLaunch) {
        const rest = previous === 'created' ? 'created' : 'stopped';
        run(m, [updating, { state: rest, type: 'update', source: 'flyd' }]);
      } else {
        run(m, [updating, ...starting('flyd')]);
      }
    },
    exit: (m, exitCode, oomKilled = false) => exitMachine(m, exitCode, oomKilled),
    force(m, state) {
      run(m, [{ state, type: FORCED_EVENT_TYPE[state] ?? 'update', source: 'flyd' }]);
    },
    touch(m) {
      m.updatedAtMs = clock.now();
      notify(m);
      store.emit({ type: 'machine.updated', data: { app: m.app, machine_id: m.id, version: currentVersion(m) } });
    },
    setCheck(m, name, status, output = status === 'passing' ? 'OK' : 'check failed') {
      const check: CheckRecord = { name, status, output, updated_at: rfc(clock.now()) };
      const i = m.checks.findIndex((c) => c.name === name);
      if (i >= 0) m.checks[i] = check;
      else m.checks.push(check);
      m.updatedAtMs = clock.now();
    },
    dispose: () => {
      cancel();
      for (const t of crashTimers) clock.clearTimeout(t);
      crashTimers.clear();
    },
  };
}
