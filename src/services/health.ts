import type { FlyClient } from '../flyio/types.js';
import { anySignal } from '../lib/signals.js';
import type { Clock } from '../lib/clock.js';

/** Outcome of one dependency check. */
export interface HealthCheckResult {
  name: string;
  status: 'pass' | 'fail';
  latencyMs: number;
  /** Short, secret-free reason when failing. */
  message?: string;
}

/**
 * Overall readiness: `fail` when a check the gateway cannot serve without fails, `degraded` when only a check it can
 * work around fails (Redis: queries still answer from memory and Fly), `pass` otherwise.
 */
export interface HealthReport {
  status: 'pass' | 'degraded' | 'fail';
  mode: 'demo' | 'live';
  checks: HealthCheckResult[];
}

/** A named readiness probe; resolves when healthy, throws when not. */
export type Probe = (signal: AbortSignal) => Promise<unknown>;

/**
 * Health use case: runs every probe with a timeout and reports each with its latency. Probes are shared: whoever
 * asks (readiness route, health query, any number of health subscriptions) reads one cached report, refreshed at
 * most once per `probeIntervalMs` with a single refresh in flight, so callers cannot multiply upstream calls or
 * drain the Fly rate budget that readiness depends on.
 */
export interface HealthService {
  /** The cached report while it is younger than `probeIntervalMs`, else the result of one shared refresh. */
  check(): Promise<HealthReport>;
  /**
   * A report now, then one every `intervalMs` until `signal` aborts or the consumer calls `return()`, which ends the
   * wait at once (no further probe runs for a consumer that has left).
   */
  watch(intervalMs: number, signal?: AbortSignal): AsyncIterableIterator<HealthReport>;
}

/** Options for {@link createHealthService}. */
export interface HealthServiceOptions {
  mode: 'demo' | 'live';
  probes: Record<string, Probe>;
  clock: Clock;
  /** Per-probe timeout. @default 2000 */
  timeoutMs?: number;
  /** Shortest time between two probe rounds (measured from the start of a round). @default 5000 */
  probeIntervalMs?: number;
  /** Probes whose failure only degrades the gateway (it keeps serving), e.g. `redis`. @default none */
  degradable?: readonly string[];
}

/** Creates the health service. */
export function createHealthService({
  mode,
  probes,
  clock,
  timeoutMs = 2000,
  probeIntervalMs = 5000,
  degradable = [],
}: HealthServiceOptions): HealthService {
  async function run(name: string, probe: Probe): Promise<HealthCheckResult> {
    const started = clock.now();
    // The probe's deadline runs on the injected clock, like every other timed part.
    const deadline = new AbortController();
    const timer = clock.setTimeout(() => deadline.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    const timedOut = new Promise<never>((_, reject) =>
      deadline.signal.addEventListener('abort', () => reject(deadline.signal.reason), { once: true }),
    );
    try {
      await Promise.race([probe(deadline.signal), timedOut]);
      return { name, status: 'pass', latencyMs: clock.now() - started };
    } catch (error) {
      const message = deadline.signal.aborted ? `no answer within ${timeoutMs} ms` : safeMessage(error);
      return { name, status: 'fail', latencyMs: clock.now() - started, message };
    } finally {
      clock.clearTimeout(timer);
    }
  }
  async function probeAll(): Promise<HealthReport> {
    const checks = await Promise.all(Object.entries(probes).map(([name, probe]) => run(name, probe)));
    const failing = checks.filter((c) => c.status === 'fail');
    const status = failing.length === 0 ? 'pass' : failing.every((c) => degradable.includes(c.name)) ? 'degraded' : 'fail';
    return { status, mode, checks };
  }
  let cached: { startedAt: number; report: HealthReport } | undefined;
  let refreshing: Promise<HealthReport> | undefined;
  function check(): Promise<HealthReport> {
    if (cached && clock.now() - cached.startedAt < probeIntervalMs) return Promise.resolve(cached.report);
    if (!refreshing) {
      const startedAt = clock.now();
      // run() never rejects (a failing probe is a failing check), so the shared promise always settles with a report.
      refreshing = probeAll().then((report) => {
        cached = { startedAt, report };
        refreshing = undefined;
        return report;
      });
    }
    return refreshing;
  }
  function watch(intervalMs: number, signal?: AbortSignal): AsyncIterableIterator<HealthReport> {
    const left = new AbortController();
    const stop = signal ? anySignal([signal, left.signal]) : left.signal;
    const done: IteratorReturnResult<undefined> = { value: undefined, done: true };
    let first = true;
    const ticks: AsyncIterableIterator<HealthReport> = {
      async next() {
        if (!first) await clock.sleep(intervalMs, stop).catch(() => undefined);
        first = false;
        return stop.aborted ? done : { value: await check(), done: false };
      },
      async return() {
        left.abort();
        return done;
      },
      [Symbol.asyncIterator]: () => ticks,
    };
    return ticks;
  }
  return { check, watch };
}

function safeMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** The upstream probe: the cheapest authenticated Fly call. */
export function flyProbe(fly: FlyClient): Probe {
  return (signal) => fly.tokens.current({ signal, deadlineMs: 2000 });
}
