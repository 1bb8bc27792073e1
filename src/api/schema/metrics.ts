/**
 * Metrics of machines and apps, read from Fly's Prometheus-compatible API (`src/flyio/metrics.ts`) and answered as
 * typed series: what each figure is, its unit, and parallel timestamps and values. Each figure is one query, asked
 * only when selected, through the read cache (per token, `METRICS_CACHE_MS`) with windows aligned to their step.
 * Also `machineMetrics` (a tick per interval for a live chart) and `promql` (any query, admins only).
 */
import { z } from 'zod';
import { promQuery, promQueryRange } from '../../flyio/metrics.js';
import type { FlyMatrixSeries } from '../../flyio/wire/metrics.js';
import {
  combineRows,
  matchers,
  metricWindow,
  MetricWindowError,
  seriesOf,
  subtractRows,
  type MetricSeries,
  type MetricUnit,
  type MetricWindow,
} from '../../services/metrics/metric-window.js';
import { allows } from '../auth/caller.js';
import { appSubscription } from '../auth/guards.js';
import { builder } from '../builder.js';
import type { GraphQLContext } from '../context.js';
import { ForbiddenError, InvalidInputError, rethrowAsUserFacing } from '../errors.js';
import { AppRef } from './app.js';
import { appNameSchema, machineIdSchema } from './inputs.js';
import { MachineRef } from './machines/machine.js';
import { subscriptionSignal } from './subscription-signal.js';

/** What a metrics object resolves its figures from: the app (and machine), its org, and the checked window. */
interface MetricsScope {
  app: string;
  machineId?: string;
  window: MetricWindow;
}

const MetricUnitEnum = builder.enumType('MetricUnit', {
  values: {
    PERCENT: { value: 'percent', description: '0 to 100.' },
    BYTES: { value: 'bytes' },
    BYTES_PER_SECOND: { value: 'bytes_per_second' },
    LOAD: { value: 'load', description: 'Run-queue length (load average over one minute).' },
    REQUESTS_PER_SECOND: { value: 'requests_per_second' },
    UNKNOWN: { value: 'unknown', description: 'A raw PromQL answer: the unit is whatever the query computes.' },
  } as const,
});

const MetricLabelRef = builder.objectRef<[string, string]>('MetricLabel').implement({
  fields: (t) => ({
    name: t.string({ resolve: ([name]) => name }),
    value: t.string({ resolve: ([, value]) => value }),
  }),
});

const MetricSeriesRef = builder.objectRef<MetricSeries>('MetricSeries').implement({
  description: 'One measured figure over time: `timestamps[i]` (Unix seconds) goes with `values[i]`.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'What it measures, e.g. cpu_percent or http_responses.' }),
    unit: t.field({ type: MetricUnitEnum, resolve: (s) => s.unit }),
    labels: t.field({
      type: [MetricLabelRef],
      description: 'What tells this series from its siblings (status, instance, volume…).',
      resolve: (s) => Object.entries(s.labels).sort(([a], [b]) => (a < b ? -1 : 1)),
    }),
    timestamps: t.intList({ resolve: (s) => s.timestamps }),
    values: t.floatList({
      nullable: { list: false, items: true },
      description: 'Null where Fly had no number (NaN).',
      resolve: (s) => s.values,
    }),
  }),
});

async function orgOf(ctx: GraphQLContext, app: string): Promise<string> {
  const found = await ctx.loaders.app.load(app);
  return found.organization?.slug || ctx.org;
}

/** One range query of the scope's window, as Fly's matrix rows. */
async function rows(ctx: GraphQLContext, scope: MetricsScope, query: string): Promise<FlyMatrixSeries[]> {
  try {
    const { start, end, step } = scope.window;
    const org = await orgOf(ctx, scope.app);
    const answer = await ctx.loaders.call(promQueryRange, { org, app: scope.app, machineId: scope.machineId, query, start, end, step });
    return answer.data.result;
  } catch (error) {
    rethrowAsUserFacing(error);
  }
}

async function single(
  ctx: GraphQLContext,
  scope: MetricsScope,
  name: string,
  unit: MetricUnit,
  query: string,
): Promise<MetricSeries | null> {
  const [row] = await rows(ctx, scope, query);
  return row ? seriesOf(name, unit, row) : null;
}

async function many(ctx: GraphQLContext, scope: MetricsScope, name: string, unit: MetricUnit, query: string): Promise<MetricSeries[]> {
  return (await rows(ctx, scope, query)).map((row) => seriesOf(name, unit, row));
}

/** The PromQL of each figure (the subset the emulator documents in docs/EMULATOR.md). */
export const machineQueries = {
  cpuBusy: (s: MetricsScope) =>
    `sum by (cpu_id) (rate(fly_instance_cpu${matchers(s.app, s.machineId, 'mode!="idle"')}[${s.window.rateWindow}]))`,
  memoryTotal: (s: MetricsScope) => `fly_instance_memory_mem_total${matchers(s.app, s.machineId)}`,
  memoryAvailable: (s: MetricsScope) => `fly_instance_memory_mem_available${matchers(s.app, s.machineId)}`,
  load: (s: MetricsScope) => `fly_instance_load_average${matchers(s.app, s.machineId, 'minutes="1"')}`,
  netIn: (s: MetricsScope) => `sum(rate(fly_instance_net_recv_bytes${matchers(s.app, s.machineId)}[${s.window.rateWindow}]))`,
  netOut: (s: MetricsScope) => `sum(rate(fly_instance_net_sent_bytes${matchers(s.app, s.machineId)}[${s.window.rateWindow}]))`,
  volumeUsed: (s: MetricsScope) => `fly_volume_used_pct${matchers(s.app, s.machineId)}`,
};

const MachineMetricsRef = builder.objectRef<MetricsScope>('MachineMetrics').implement({
  description: 'Figures of one machine over a window. Each field is one query to Fly, asked only when selected.',
  fields: (t) => ({
    start: t.int({ description: 'First point (Unix seconds).', resolve: (s) => s.window.start }),
    end: t.int({ description: 'Last point (Unix seconds): now, rounded down to the step.', resolve: (s) => s.window.end }),
    stepSeconds: t.int({ resolve: (s) => s.window.step }),
    cpuPercent: t.field({
      type: MetricSeriesRef,
      nullable: true,
      description: 'Busy CPU share, averaged over its CPUs. Null when Fly has no samples (a machine that never ran).',
      resolve: async (s, _args, ctx) => {
        const [avg] = combineRows(await rows(ctx, s, machineQueries.cpuBusy(s)), (vs) => vs.reduce((a, b) => a + b, 0) / vs.length);
        return avg ? seriesOf('cpu_percent', 'percent', avg) : null;
      },
    }),
    memoryTotalBytes: t.field({
      type: MetricSeriesRef,
      nullable: true,
      resolve: (s, _args, ctx) => single(ctx, s, 'memory_total', 'bytes', machineQueries.memoryTotal(s)),
    }),
    memoryUsedBytes: t.field({
      type: MetricSeriesRef,
      nullable: true,
      description: 'Total minus available (two queries; the total is shared with memoryTotalBytes).',
      resolve: async (s, _args, ctx) => {
        const [[total], [available]] = await Promise.all([
          rows(ctx, s, machineQueries.memoryTotal(s)),
          rows(ctx, s, machineQueries.memoryAvailable(s)),
        ]);
        const used = subtractRows(total, available);
        return used ? seriesOf('memory_used', 'bytes', used) : null;
      },
    }),
    loadAverage: t.field({
      type: MetricSeriesRef,
      nullable: true,
      description: 'Load average over one minute.',
      resolve: (s, _args, ctx) => single(ctx, s, 'load_average', 'load', machineQueries.load(s)),
    }),
    networkInBytesPerSecond: t.field({
      type: MetricSeriesRef,
      nullable: true,
      resolve: (s, _args, ctx) => single(ctx, s, 'network_in', 'bytes_per_second', machineQueries.netIn(s)),
    }),
    networkOutBytesPerSecond: t.field({
      type: MetricSeriesRef,
      nullable: true,
      resolve: (s, _args, ctx) => single(ctx, s, 'network_out', 'bytes_per_second', machineQueries.netOut(s)),
    }),
    volumeUsedPercent: t.field({
      type: [MetricSeriesRef],
      description: 'One series per volume mounted on the machine (label `volume`).',
      resolve: (s, _args, ctx) => many(ctx, s, 'volume_used_percent', 'percent', machineQueries.volumeUsed(s)),
    }),
  }),
});

const AppMetricsRef = builder.objectRef<MetricsScope>('AppMetrics').implement({
  description: 'Figures of an app over a window: its HTTP responses, and its machines and volumes side by side.',
  fields: (t) => ({
    start: t.int({ resolve: (s) => s.window.start }),
    end: t.int({ resolve: (s) => s.window.end }),
    stepSeconds: t.int({ resolve: (s) => s.window.step }),
    httpResponses: t.field({
      type: [MetricSeriesRef],
      description: "Responses per second served by Fly's proxy, one series per status (label `status`).",
      resolve: (s, _args, ctx) =>
        many(
          ctx,
          s,
          'http_responses',
          'requests_per_second',
          `sum by (status) (rate(fly_app_http_responses_count${matchers(s.app)}[${s.window.rateWindow}]))`,
        ),
    }),
    cpuPercent: t.field({
      type: [MetricSeriesRef],
      description: 'Busy CPU share of each machine (label `instance`).',
      resolve: (s, _args, ctx) =>
        many(
          ctx,
          s,
          'cpu_percent',
          'percent',
          `avg by (instance) (sum by (instance, cpu_id) (rate(fly_instance_cpu${matchers(s.app, undefined, 'mode!="idle"')}[${s.window.rateWindow}])))`,
        ),
    }),
    networkInBytesPerSecond: t.field({
      type: [MetricSeriesRef],
      description: 'Of each machine (label `instance`).',
      resolve: (s, _args, ctx) =>
        many(
          ctx,
          s,
          'network_in',
          'bytes_per_second',
          `sum by (instance) (rate(fly_instance_net_recv_bytes${matchers(s.app)}[${s.window.rateWindow}]))`,
        ),
    }),
    networkOutBytesPerSecond: t.field({
      type: [MetricSeriesRef],
      description: 'Of each machine (label `instance`).',
      resolve: (s, _args, ctx) =>
        many(
          ctx,
          s,
          'network_out',
          'bytes_per_second',
          `sum by (instance) (rate(fly_instance_net_sent_bytes${matchers(s.app)}[${s.window.rateWindow}]))`,
        ),
    }),
    volumeUsedPercent: t.field({
      type: [MetricSeriesRef],
      description: 'Of each volume (label `volume`).',
      resolve: (s, _args, ctx) => many(ctx, s, 'volume_used_percent', 'percent', `fly_volume_used_pct${matchers(s.app)}`),
    }),
  }),
});

/** The checked window, or the typed error naming the argument (nothing is asked of Fly). */
function windowOf(ctx: GraphQLContext, rangeSeconds: number | null | undefined, stepSeconds: number | null | undefined): MetricWindow {
  try {
    return metricWindow(rangeSeconds ?? 3600, stepSeconds ?? 60, ctx.services.clock.now());
  } catch (error) {
    if (!(error instanceof MetricWindowError)) throw error;
    throw new InvalidInputError(`${error.field} ${error.message}`, { issues: [{ field: error.field, message: error.message }] });
  }
}

builder.objectFields(MachineRef, (t) => ({
  metrics: t.field({
    type: MachineMetricsRef,
    description: "This machine's figures over the last `rangeSeconds`, a point every `stepSeconds`.",
    errors: { types: [InvalidInputError], directResult: true as const, union: { name: 'MachineMetricsResult' } },
    args: {
      rangeSeconds: t.arg.int({ required: false, defaultValue: 3600, description: 'How far back from now, in seconds (at most 30 days).' }),
      stepSeconds: t.arg.int({
        required: false,
        defaultValue: 60,
        description: 'Seconds between points; at most 1,000 points per series.',
      }),
    },
    resolve: (p, args, ctx) => ({ app: p.appName, machineId: p.machine.id, window: windowOf(ctx, args.rangeSeconds, args.stepSeconds) }),
  }),
}));

builder.objectFields(AppRef, (t) => ({
  metrics: t.field({
    type: AppMetricsRef,
    description: "This app's figures over the last `rangeSeconds`, a point every `stepSeconds`.",
    errors: { types: [InvalidInputError], directResult: true as const, union: { name: 'AppMetricsResult' } },
    args: {
      rangeSeconds: t.arg.int({ required: false, defaultValue: 3600, description: 'How far back from now, in seconds (at most 30 days).' }),
      stepSeconds: t.arg.int({
        required: false,
        defaultValue: 60,
        description: 'Seconds between points; at most 1,000 points per series.',
      }),
    },
    resolve: (app, args, ctx) => ({ app: app.name, window: windowOf(ctx, args.rangeSeconds, args.stepSeconds) }),
  }),
}));

const PromqlAnswerRef = builder.objectRef<{ series: MetricSeries[] }>('PromqlAnswer').implement({
  fields: (t) => ({ series: t.field({ type: [MetricSeriesRef], resolve: (a) => a.series }) }),
});

builder.queryFields((t) => ({
  promql: t.field({
    type: PromqlAnswerRef,
    description:
      "Any PromQL range query against the metrics of the app's organization, answered as it is (unit UNKNOWN). Admins only: an admin API key, or open access; never a Fly token or a read/write key.",
    errors: { types: [InvalidInputError, ForbiddenError], directResult: true as const, union: { name: 'PromqlResult' } },
    args: {
      app: t.arg.string({ required: true, validate: { schema: appNameSchema }, description: 'The app whose organization is asked.' }),
      query: t.arg.string({
        required: true,
        validate: { schema: z.string().min(1, 'must not be empty').max(4000, 'at most 4000 characters') },
      }),
      rangeSeconds: t.arg.int({ required: false, defaultValue: 3600 }),
      stepSeconds: t.arg.int({ required: false, defaultValue: 60 }),
    },
    resolve: async (_root, args, ctx) => {
      if (!ctx.caller || !allows(ctx.caller, 'admin') || ctx.caller.flyAuthorization !== undefined) {
        throw new ForbiddenError('promql is for admins only (an admin API key, or open access).');
      }
      const window = windowOf(ctx, args.rangeSeconds, args.stepSeconds);
      const found = await rows(ctx, { app: args.app, window }, args.query);
      return { series: found.map((row) => seriesOf(row.metric.__name__ ?? 'promql', 'unknown', row)) };
    },
  }),
}));

/** One tick of `machineMetrics`: the figures of a machine now. */
interface MetricsTick {
  at: number;
  cpuPercent: number | null;
  memoryUsedBytes: number | null;
  memoryTotalBytes: number | null;
  loadAverage: number | null;
}

const MachineMetricsTickRef = builder.objectRef<MetricsTick>('MachineMetricsTick').implement({
  description: 'The figures of a machine at one instant (a point of a live chart).',
  fields: (t) => ({
    at: t.int({ description: 'Unix seconds.', resolve: (k) => k.at }),
    cpuPercent: t.float({ nullable: true, resolve: (k) => k.cpuPercent }),
    memoryUsedBytes: t.float({ nullable: true, resolve: (k) => k.memoryUsedBytes }),
    memoryTotalBytes: t.float({ nullable: true, resolve: (k) => k.memoryTotalBytes }),
    loadAverage: t.float({ nullable: true, resolve: (k) => k.loadAverage }),
  }),
});

type VectorRow = { metric: Record<string, string>; value: [number, string] };

async function readTick(ctx: GraphQLContext, app: string, machineId: string, atSeconds: number): Promise<MetricsTick> {
  const org = await ctx.services.fly.apps.get(app).then((a) => a.organization?.slug || ctx.org);
  const ask = async (query: string): Promise<VectorRow[]> =>
    (await ctx.services.fly.call(promQuery, { org, app, query, time: atSeconds })).data.result as VectorRow[];
  const m = matchers(app, machineId);
  const [cpu, gauges] = await Promise.all([
    ask(`avg(sum by (cpu_id) (rate(fly_instance_cpu${matchers(app, machineId, 'mode!="idle"')}[60s])))`),
    ask(`{__name__=~"fly_instance_memory_mem_total|fly_instance_memory_mem_available|fly_instance_load_average",${m.slice(1, -1)}}`),
  ]);
  const gauge = (name: string, extra?: [string, string]) => {
    const row = gauges.find((r) => r.metric.__name__ === name && (!extra || r.metric[extra[0]] === extra[1]));
    const n = row ? Number(row.value[1]) : NaN;
    return Number.isFinite(n) ? n : null;
  };
  const total = gauge('fly_instance_memory_mem_total');
  const available = gauge('fly_instance_memory_mem_available');
  const busy = cpu[0] ? Number(cpu[0].value[1]) : NaN;
  return {
    at: atSeconds,
    cpuPercent: Number.isFinite(busy) ? busy : null,
    memoryTotalBytes: total,
    memoryUsedBytes: total !== null && available !== null ? total - available : null,
    loadAverage: gauge('fly_instance_load_average', ['minutes', '1']),
  };
}

/** Ticks every `intervalSeconds` on the gateway's clock, the first at once, until `signal` aborts. */
async function* ticks(
  ctx: GraphQLContext,
  app: string,
  machineId: string,
  intervalSeconds: number,
  signal: AbortSignal,
): AsyncGenerator<MetricsTick> {
  const { clock } = ctx.services;
  while (!signal.aborted) {
    // Aligned to the interval, so every subscriber of the machine asks Fly the same thing and shares its answer.
    const at = Math.floor(clock.now() / 1000 / intervalSeconds) * intervalSeconds;
    try {
      yield await readTick(ctx, app, machineId, at);
    } catch (error) {
      rethrowAsUserFacing(error);
    }
    try {
      await clock.sleep(intervalSeconds * 1000, signal);
    } catch {
      return;
    }
  }
}

builder.subscriptionFields((t) => ({
  machineMetrics: t.field({
    type: MachineMetricsTickRef,
    description: 'The figures of a machine now, then again every `intervalSeconds` (5 to 3600): a live chart.',
    args: {
      app: t.arg.string({ required: true, validate: { schema: appNameSchema } }),
      machineId: t.arg.string({ required: true, validate: { schema: machineIdSchema } }),
      intervalSeconds: t.arg.int({
        required: false,
        defaultValue: 15,
        validate: { schema: z.number().int().min(5, 'must be at least 5').max(3600, 'must be at most 3600') },
      }),
    },
    subscribe: async (_root, args, ctx) =>
      appSubscription(ctx, args.app, subscriptionSignal(ctx), async (signal) =>
        ticks(ctx, args.app, args.machineId, args.intervalSeconds ?? 15, signal),
      ),
    resolve: (tick: MetricsTick) => tick,
  }),
}));
