/**
 * Fly's platform endpoints beside the Machines API (LOGS-METRICS.md): the Prometheus-compatible metrics API of an
 * org (`/prometheus/<org>/api/v1/query` and `query_range`, answered in the Prometheus HTTP API's envelope from the
 * series of `metrics-series.ts`, for the PromQL subset of `promql.ts`) and an app's releases.
 */
import type { EmuResponse, Handlers, RouteContext } from '../context.js';
import { HttpError } from '../http-error.js';
import { allSeries } from '../metrics-series.js';
import { evaluate, labelsKey, parsePromQL, PromQLError } from '../promql.js';
import type { Labels } from '../metrics-series.js';

/** Prometheus refuses a range query with more points per series than this. */
export const MAX_POINTS_PER_SERIES = 11_000;

const badData = (error: string): HttpError => new HttpError(400, { status: 'error', errorType: 'bad_data', error });

/** A Prometheus time: RFC 3339 or (fractional) Unix seconds; answered in ms. */
function parseTime(name: string, raw: string | null, fallback?: number): number {
  if (raw === null || raw === '') {
    if (fallback !== undefined) return fallback;
    throw badData(`invalid parameter "${name}": cannot parse "" to a valid timestamp`);
  }
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.round(seconds * 1000);
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) throw badData(`invalid parameter "${name}": cannot parse "${raw.slice(0, 64)}" to a valid timestamp`);
  return ms;
}

const STEP_UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A step: seconds or a duration (`15s`, `1m`); answered in ms. */
function parseStep(raw: string | null): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(raw ?? '');
  if (!m) throw badData(`invalid parameter "step": cannot parse "${(raw ?? '').slice(0, 64)}" to a valid duration`);
  const ms = Number(m[1]) * STEP_UNIT_MS[m[2] ?? 's'];
  if (!(ms > 0)) throw badData('zero or negative query resolution step widths are not accepted. Try a positive integer');
  return ms;
}

const seconds = (ms: number) => ms / 1000;
const sampleValue = (value: number) => String(value);

/** Metrics and releases routes. */
export function metricsRoutes(ctx: RouteContext): Handlers {
  const { store } = ctx;

  function prepare(org: string, query: string | null, canSee: (app: string) => boolean) {
    if (store.resolveOrg(org) === undefined)
      throw new HttpError(404, { status: 'error', errorType: 'not_found', error: 'organization not found' });
    if (!query) throw badData('invalid parameter "query": unknown position: parse error: no expression found in input');
    let node;
    try {
      node = parsePromQL(query);
    } catch (error) {
      if (error instanceof PromQLError) throw badData(`invalid parameter "query": ${error.message}`);
      throw error;
    }
    // A token sees the series of the apps it may see, nothing of the others.
    const series = allSeries(store).filter((s) => canSee(s.labels.app ?? ''));
    return { node, series };
  }

  const success = (data: unknown): EmuResponse => ({ status: 200, body: { status: 'success', data } });

  return {
    'prometheus.query': (req) => {
      const { node, series } = prepare(req.params.org_slug, req.query.get('query'), req.canSee);
      const at = parseTime('time', req.query.get('time'), ctx.clock.now());
      const result = evaluate(node, series, at).map((s) => ({ metric: s.labels, value: [seconds(at), sampleValue(s.value)] }));
      return success({ resultType: 'vector', result });
    },
    'prometheus.query_range': (req) => {
      const { node, series } = prepare(req.params.org_slug, req.query.get('query'), req.canSee);
      const start = parseTime('start', req.query.get('start'));
      const end = parseTime('end', req.query.get('end'));
      if (end < start) throw badData('invalid parameter "end": end timestamp must not be before start time');
      const step = parseStep(req.query.get('step'));
      if ((end - start) / step > MAX_POINTS_PER_SERIES) {
        throw badData('exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)');
      }
      const rows = new Map<string, { metric: Labels; values: Array<[number, string]> }>();
      for (let at = start; at <= end; at += step) {
        for (const s of evaluate(node, series, at)) {
          const key = labelsKey(s.labels);
          const row = rows.get(key) ?? { metric: s.labels, values: [] };
          row.values.push([seconds(at), sampleValue(s.value)]);
          rows.set(key, row);
        }
      }
      return success({ resultType: 'matrix', result: [...rows.values()] });
    },
    'releases.list': (req) => {
      const app = req.params.app_name;
      if (!store.apps.has(app)) throw new HttpError(404, { error: 'app not found' });
      const limitRaw = req.query.get('limit');
      const limit = limitRaw === null ? 25 : Number(limitRaw);
      if (!Number.isInteger(limit) || limit < 1 || limit > 500)
        throw new HttpError(400, { error: 'limit must be a whole number from 1 to 500' });
      return { status: 200, body: { data: releasesOf(store, app, ctx.owner).slice(0, limit) } };
    },
  };
}

/**
 * An app's releases as the emulator keeps them: a new release each time an image first runs on one of its
 * machines (every machine version in time order), newest first; the newest is the current one.
 */
export function releasesOf(store: RouteContext['store'], app: string, user: string): unknown[] {
  const versions = store
    .machinesOf(app)
    .flatMap((m) => m.versions)
    .sort((a, b) => a.createdAtMs - b.createdAtMs);
  const releases: Array<{ image: string; at: number }> = [];
  for (const v of versions) {
    const image = typeof v.config.image === 'string' ? v.config.image : undefined;
    if (image && releases.at(-1)?.image !== image) {
      releases.push({ image, at: v.createdAtMs });
    }
  }
  return releases
    .map((r, i) => ({
      id: `rel_${app}_${i + 1}`,
      version: i + 1,
      stable: true,
      in_progress: false,
      status: i === releases.length - 1 ? 'complete' : 'superseded',
      strategy: 'rolling',
      user: { email: user },
      created_at: new Date(r.at).toISOString(),
      image_ref: r.image,
    }))
    .reverse();
}
