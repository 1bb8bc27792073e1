/**
 * What the metrics fields need beside the Fly call: a checked time window (range and step, aligned to the step so
 * repeated reads within one step ask Fly the same thing and share its cached answer), the PromQL of each figure, and
 * Fly's matrix answer turned into typed series. No GraphQL here.
 */
import type { FlyMatrixSeries } from '../../flyio/wire/metrics.js';

/** Most points one series may have (Fly's own limit is 11,000; a chart needs far fewer). */
export const MAX_POINTS = 1_000;
/** Longest range: Fly keeps metrics for about 30 days. */
export const MAX_RANGE_SECONDS = 30 * 24 * 3600;

/** Why a window was refused, naming the argument. */
export class MetricWindowError extends Error {
  constructor(
    readonly field: 'rangeSeconds' | 'stepSeconds' | 'intervalSeconds',
    message: string,
  ) {
    super(message);
  }
}

/** A checked window, in Unix seconds. */
export interface MetricWindow {
  start: number;
  end: number;
  step: number;
  /** The `[...]` window of rate(): at least a minute (Fly scrapes every 15 s), else the step. */
  rateWindow: string;
}

/** Checks a range and step (seconds) and aligns the window's end to the step at `nowMs`; throws {@link MetricWindowError}. */
export function metricWindow(rangeSeconds: number, stepSeconds: number, nowMs: number): MetricWindow {
  if (!Number.isInteger(rangeSeconds) || rangeSeconds <= 0)
    throw new MetricWindowError('rangeSeconds', 'must be a whole number of seconds above 0');
  if (rangeSeconds > MAX_RANGE_SECONDS) throw new MetricWindowError('rangeSeconds', `must be at most ${MAX_RANGE_SECONDS} (30 days)`);
  if (!Number.isInteger(stepSeconds) || stepSeconds <= 0)
    throw new MetricWindowError('stepSeconds', 'must be a whole number of seconds above 0');
  if (stepSeconds > rangeSeconds) throw new MetricWindowError('stepSeconds', 'must not be larger than rangeSeconds');
  if (rangeSeconds / stepSeconds > MAX_POINTS) {
    throw new MetricWindowError(
      'stepSeconds',
      `would give ${Math.floor(rangeSeconds / stepSeconds)} points per series; at most ${MAX_POINTS} (use a step of at least ${Math.ceil(rangeSeconds / MAX_POINTS)})`,
    );
  }
  const end = Math.floor(nowMs / 1000 / stepSeconds) * stepSeconds;
  return { start: end - rangeSeconds, end, step: stepSeconds, rateWindow: `${Math.max(60, stepSeconds)}s` };
}

/** Units of a series. */
export type MetricUnit = 'percent' | 'bytes' | 'bytes_per_second' | 'load' | 'requests_per_second' | 'unknown';

/** One typed series: what it measures, its unit, its labels, and parallel timestamps (Unix seconds) and values. */
export interface MetricSeries {
  name: string;
  unit: MetricUnit;
  labels: Record<string, string>;
  timestamps: number[];
  /** Null where Fly answered NaN or ±Inf. */
  values: Array<number | null>;
}

function numberOf(text: unknown): number | null {
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

/** One matrix row as a typed series (`__name__` dropped from its labels). */
export function seriesOf(name: string, unit: MetricUnit, row: FlyMatrixSeries): MetricSeries {
  const { __name__: _drop, ...labels } = row.metric;
  return { name, unit, labels, timestamps: row.values.map(([t]) => Number(t)), values: row.values.map(([, v]) => numberOf(v)) };
}

/** Rows combined point by point (same timestamps) with `combine`; empty when there are none. */
export function combineRows(rows: FlyMatrixSeries[], combine: (values: number[]) => number): FlyMatrixSeries[] {
  if (rows.length === 0) return [];
  const byTime = new Map<number, number[]>();
  for (const row of rows) {
    for (const [t, v] of row.values) {
      const n = numberOf(v);
      if (n === null) continue;
      byTime.set(Number(t), [...(byTime.get(Number(t)) ?? []), n]);
    }
  }
  const values = [...byTime.entries()].sort(([a], [b]) => a - b).map(([t, vs]): [number, string] => [t, String(combine(vs))]);
  return [{ metric: {}, values }];
}

/** `used = total - available`, point by point where both have a value. */
export function subtractRows(total: FlyMatrixSeries | undefined, available: FlyMatrixSeries | undefined): FlyMatrixSeries | undefined {
  if (!total || !available) return undefined;
  const free = new Map(available.values.map(([t, v]) => [Number(t), numberOf(v)]));
  const values = total.values.flatMap(([t, v]): Array<[number, string]> => {
    const a = free.get(Number(t));
    const n = numberOf(v);
    return a === undefined || a === null || n === null ? [] : [[Number(t), String(n - a)]];
  });
  return { metric: {}, values };
}

/** A PromQL string literal. */
export function quote(value: string): string {
  return JSON.stringify(value);
}

/** The label matchers of one machine (`app`, `instance`), or of a whole app. */
export function matchers(app: string, machineId?: string, extra = ''): string {
  const parts = [`app=${quote(app)}`];
  if (machineId !== undefined) parts.push(`instance=${quote(machineId)}`);
  if (extra) parts.push(extra);
  return `{${parts.join(',')}}`;
}
