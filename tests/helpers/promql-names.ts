import type { AcquireOutcome } from '#src/flyio/rate-limit.js';
import { createMetrics } from '#src/lib/metrics.js';
import type { CacheOutcome } from '#src/services/cache/read-cache.js';

/** Labels Fly's managed Prometheus adds to every series it scrapes from an app's machines. */
export const FLY_SCRAPE_LABELS = ['app', 'region', 'host', 'instance'];

/**
 * Values the gateway records for labels with a closed set, so a dashboard or alert filtering on a value that is
 * never produced (a typo, a renamed outcome) is caught. Typed against the source unions where there is one.
 */
const rateBudgetOutcomes: Record<AcquireOutcome, true> = { immediate: true, queued: true, shed: true };
const cacheOutcomes: Record<CacheOutcome, true> = { hit: true, miss: true, stale: true, bypass: true };
const KNOWN_VALUES: Record<string, Record<string, string[]>> = {
  flygate_rate_budget_wait_seconds: { outcome: Object.keys(rateBudgetOutcomes) },
  flygate_cache_reads_total: { outcome: Object.keys(cacheOutcomes) },
  flygate_graphql_operations_total: { outcome: ['ok', 'error'], operation_type: ['query', 'mutation', 'subscription'] },
  flygate_events_published_total: { source: ['webhook', 'sync'] },
};

interface CatalogEntry {
  type: string;
  labels: string[];
}

/** Every metric a gateway registers (its own and Node's default ones), with type and label names. */
export async function metricCatalog(): Promise<Map<string, CatalogEntry>> {
  const { registry } = createMetrics({ defaultMetrics: true });
  const catalog = new Map<string, CatalogEntry>();
  for (const metric of await registry.getMetricsAsJSON()) {
    const single = registry.getSingleMetric(metric.name) as unknown as { labelNames?: string[] };
    catalog.set(metric.name, { type: String(metric.type), labels: single.labelNames ?? [] });
  }
  return catalog;
}

/** The registered metric a series name belongs to (`_bucket`, `_count`, `_sum` of a histogram), or undefined. */
function resolve(series: string, catalog: Map<string, CatalogEntry>): { name: string; entry: CatalogEntry; bucket: boolean } | undefined {
  const direct = catalog.get(series);
  if (direct && direct.type !== 'histogram' && direct.type !== 'summary') return { name: series, entry: direct, bucket: false };
  const match = /^(.*)_(bucket|count|sum)$/.exec(series);
  const base = match ? catalog.get(match[1]) : undefined;
  if (match && base && (base.type === 'histogram' || (base.type === 'summary' && match[2] !== 'bucket'))) {
    return { name: match[1], entry: base, bucket: match[2] === 'bucket' };
  }
  return undefined;
}

/** Whether `name` is a registered metric, or a series of one (`_bucket`, `_count`, `_sum` of a histogram). */
export function isKnownMetric(name: string, catalog: Map<string, CatalogEntry>): boolean {
  return catalog.has(name) || resolve(name, catalog) !== undefined;
}

/** Series names in a PromQL expression that look like ours or Node's (`flygate_…`, `nodejs_…`, `process_…`). */
export function seriesNames(expr: string): string[] {
  return [...new Set(expr.match(/\b(?:flygate|nodejs|process)_[a-z0-9_]+\b/g) ?? [])];
}

/**
 * What is wrong with one PromQL expression against the registry: unknown series, label names a metric does not
 * have (in selectors and in `by (...)`), and values never recorded for labels with a closed set. Empty when fine.
 */
export function promqlProblems(expr: string, catalog: Map<string, CatalogEntry>): string[] {
  const problems: string[] = [];
  const used: { name: string; entry: CatalogEntry; bucket: boolean }[] = [];
  for (const series of seriesNames(expr)) {
    const resolved = resolve(series, catalog);
    if (!resolved) problems.push(`unknown series ${series}`);
    else used.push(resolved);
  }
  for (const match of expr.matchAll(/\b([a-z_][a-z0-9_]*)\{([^}]*)\}/g)) {
    const resolved = resolve(match[1], catalog);
    if (!resolved) continue;
    const allowed = new Set([...resolved.entry.labels, ...FLY_SCRAPE_LABELS, ...(resolved.bucket ? ['le'] : [])]);
    for (const matcher of match[2].matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"([^"]*)"/g)) {
      const [, label, op, value] = matcher;
      if (!allowed.has(label)) problems.push(`${match[1]} has no label ${label}`);
      const known = KNOWN_VALUES[resolved.name]?.[label];
      if (known && !value.startsWith('$')) {
        for (const one of op.endsWith('~') ? value.split('|') : [value]) {
          if (!known.includes(one)) problems.push(`${resolved.name}{${label}} is never "${one}" (it is one of ${known.join(', ')})`);
        }
      }
    }
  }
  const groupable = new Set([...used.flatMap((u) => u.entry.labels), ...FLY_SCRAPE_LABELS, ...(used.some((u) => u.bucket) ? ['le'] : [])]);
  for (const match of expr.matchAll(/\b(?:by|without)\s*\(([^)]*)\)/g)) {
    for (const label of match[1]
      .split(',')
      .map((l) => l.trim())
      .filter(Boolean)) {
      if (!groupable.has(label)) problems.push(`no metric in the expression has the label ${label}`);
    }
  }
  return problems;
}
