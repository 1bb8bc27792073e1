import type { Clock, TimerHandle } from '../lib/clock.js';
import type { IdFactory } from './ids.js';
import { imageBehaviour } from './image-behaviour.js';
import { currentConfig, currentVersion } from './serialize.js';
import type { Store } from './store.js';
import type { MachineEventRecord, MachineRecord } from './types.js';

/** One step of a transition: enter `state`, log an event, stay `holdMs` before the next step. */
export interface Phase {
  state: string;
  type: string;
  source: 'user' | 'flyd';
  holdMs?: number;
  request?: Record<string, unknown>;
}

/** Runs phase sequences on machines: state, event log, change notices, timers on the emulator clock. */
export interface TransitionEngine {
  /** Enters the first phase now and schedules the rest; replaces any sequence still running on `m`. */
  run(m: MachineRecord, phases: Phase[]): void;
  /** Cancels the pending sequence of `m`, or of every machine when `m` is omitted. */
  cancel(m?: MachineRecord): void;
}

/** Longest event log kept per machine. */
const MAX_EVENTS = 200;

/** Creates a {@link TransitionEngine}. `notify` runs after every state change so waiters can re-check. */
export function createTransitionEngine(deps: {
  store: Store;
  clock: Clock;
  ids: IdFactory;
  notify: (m: MachineRecord) => void;
  /** Called once a machine has entered `started` (image behaviours hook in here). */
  onStarted?: (m: MachineRecord) => void;
}): TransitionEngine {
  const { store, clock, ids, notify } = deps;
  const timers = new Map<string, TimerHandle>();

  function rfc(ms: number): string {
    return new Date(ms).toISOString();
  }

  function record(m: MachineRecord, type: string, status: string, source: 'user' | 'flyd', request?: Record<string, unknown>): void {
    const event: MachineEventRecord = { id: ids.ulid(), type, status, source, timestamp: clock.now() };
    if (request) event.request = request;
    m.events.push(event);
    if (m.events.length > MAX_EVENTS) m.events.splice(0, m.events.length - MAX_EVENTS);
    store.emit({ type: 'machine.event', data: { app: m.app, machine_id: m.id, event } });
  }

  function enter(m: MachineRecord, phase: Phase): void {
    const from = m.state;
    m.state = phase.state;
    m.updatedAtMs = clock.now();
    if (phase.state === 'started') {
      // A misbehaving image (see image-behaviour.ts) never gets its checks to pass.
      const healthy = imageBehaviour(currentConfig(m).image) === 'normal';
      m.checks = m.checks.map((c) => ({
        ...c,
        status: healthy ? 'passing' : 'critical',
        output: healthy ? 'OK' : 'HTTP GET /health: connection refused',
        updated_at: rfc(clock.now()),
      }));
    }
    record(m, phase.type, phase.state, phase.source, phase.request);
    if (from !== phase.state) {
      store.emit({
        type: 'machine.state_changed',
        data: { app: m.app, machine_id: m.id, from, to: phase.state, version: currentVersion(m) },
      });
    }
    if (phase.state === 'destroyed') {
      m.lease = undefined;
      for (const v of store.volumesOf(m.app)) if (v.attachedMachineId === m.id) v.attachedMachineId = undefined;
      store.emit({ type: 'machine.destroyed', data: { app: m.app, machine_id: m.id, version: currentVersion(m) } });
    }
    notify(m);
    if (phase.state === 'started' && from !== 'started') deps.onStarted?.(m);
  }

  function run(m: MachineRecord, phases: Phase[]): void {
    cancel(m);
    const [first, ...rest] = phases;
    if (!first) return;
    enter(m, first);
    if (rest.length === 0) return;
    const hold = first.holdMs ?? 0;
    if (hold <= 0) return run(m, rest);
    timers.set(
      m.id,
      clock.setTimeout(() => {
        timers.delete(m.id);
        run(m, rest);
      }, hold),
    );
  }

  function cancel(m?: MachineRecord): void {
    if (!m) {
      for (const t of timers.values()) clock.clearTimeout(t);
      timers.clear();
      return;
    }
    const t = timers.get(m.id);
    if (t !== undefined) clock.clearTimeout(t);
    timers.delete(m.id);
  }

  return { run, cancel };
}
