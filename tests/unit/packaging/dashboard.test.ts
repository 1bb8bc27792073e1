import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../helpers/packaging-files.js';
import { metricCatalog, promqlProblems, seriesNames } from '../../helpers/promql-names.js';

interface Target {
  expr: string;
  datasource: { uid: string };
}
interface Panel {
  type: string;
  title: string;
  datasource?: { uid: string };
  targets?: Target[];
}
interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: { name: string; type: string; query: unknown; definition?: string }[] };
}

const dashboard = JSON.parse(readFileSync(path.join(repoRoot, 'docs/grafana/flygate-dashboard.json'), 'utf8')) as Dashboard;
const charts = dashboard.panels.filter((panel) => panel.type !== 'row');
const exprs = charts.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr));
let catalog: Awaited<ReturnType<typeof metricCatalog>>;

beforeAll(async () => {
  catalog = await metricCatalog();
});

describe('Grafana dashboard', () => {
  it('should query only series the gateway registers, with their real labels, when read against the registry', () => {
    expect(exprs.length).toBeGreaterThan(10);
    expect(exprs.flatMap((expr) => promqlProblems(expr, catalog).map((problem) => `${expr}: ${problem}`))).toEqual([]);
  });

  it('should name metrics the registry has in the app variable query when listing apps', () => {
    const app = dashboard.templating.list.find((variable) => variable.name === 'app')!;
    expect(promqlProblems(app.definition!, catalog)).toEqual([]);
    expect(seriesNames(app.definition!)).toEqual(['flygate_graphql_operations_total']);
  });

  it('should chart requests, upstream status, cache hits, rate-budget waits, subscriptions and webhooks when listing its series', () => {
    const charted = new Set(exprs.flatMap(seriesNames));
    for (const series of [
      'flygate_graphql_operations_total',
      'flygate_upstream_call_seconds_count',
      'flygate_cache_reads_total',
      'flygate_rate_budget_wait_seconds_count',
      'flygate_rate_budget_wait_seconds_bucket',
      'flygate_subscriptions_active',
      'flygate_webhook_requests_total',
    ]) {
      expect(charted, series).toContain(series);
    }
    expect(exprs.some((expr) => expr.includes('sum by (status) (rate(flygate_upstream_call_seconds_count'))).toBe(true);
  });

  it('should read every panel from the chosen Prometheus data source and one app when imported into Fly Grafana', () => {
    expect(dashboard.templating.list.find((variable) => variable.name === 'datasource')).toMatchObject({
      type: 'datasource',
      query: 'prometheus',
    });
    for (const panel of charts) {
      expect(panel.datasource?.uid, panel.title).toBe('${datasource}');
      for (const target of panel.targets ?? []) {
        expect(target.datasource.uid).toBe('${datasource}');
        for (const selector of target.expr.matchAll(/\b(?:flygate|nodejs|process)_[a-z0-9_]+\{([^}]*)\}/g)) {
          expect(selector[1], target.expr).toMatch(/^app="\$app"/);
        }
      }
    }
  });

  it('should find the mistakes it guards against when given wrong expressions', () => {
    expect(promqlProblems('rate(flygate_no_such_metric_total{app="$app"}[5m])', catalog)).toEqual([
      'unknown series flygate_no_such_metric_total',
    ]);
    expect(promqlProblems('sum by (tenant) (rate(flygate_cache_reads_total{app="$app"}[5m]))', catalog)).toEqual([
      'no metric in the expression has the label tenant',
    ]);
    expect(promqlProblems('rate(flygate_cache_reads_total{outcome="hits"}[5m])', catalog)).toEqual([
      'flygate_cache_reads_total{outcome} is never "hits" (it is one of hit, miss, stale, bypass)',
    ]);
    expect(promqlProblems('rate(flygate_upstream_call_seconds{le="1"}[5m])', catalog)).toEqual([
      'unknown series flygate_upstream_call_seconds',
    ]);
    expect(promqlProblems('rate(flygate_upstream_call_seconds_count{le="1"}[5m])', catalog)).toEqual([
      'flygate_upstream_call_seconds_count has no label le',
    ]);
  });
});
