import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../helpers/packaging-files.js';
import { isKnownMetric, metricCatalog, promqlProblems, seriesNames } from '../../helpers/promql-names.js';

const runbook = readFileSync(path.join(repoRoot, 'docs/RUNBOOK.md'), 'utf8');
const start = runbook.indexOf('### Alerts');
const alerts = runbook.slice(start, runbook.indexOf('\n## ', start));
const rules = [...alerts.matchAll(/```promql\n([\s\S]*?)\n```/g)].map((match) => match[1].trim());
let catalog: Awaited<ReturnType<typeof metricCatalog>>;

beforeAll(async () => {
  catalog = await metricCatalog();
});

describe('RUNBOOK alerts', () => {
  it('should hold one PromQL rule per alert when reading the Alerts section', () => {
    expect(start).toBeGreaterThan(0);
    expect(rules.length).toBeGreaterThanOrEqual(10);
    for (const rule of rules) expect(seriesNames(rule).length, rule).toBeGreaterThan(0);
  });

  it('should name only series, labels and values the gateway records when checked against the registry', () => {
    expect(rules.flatMap((rule) => promqlProblems(rule, catalog).map((problem) => `${rule}: ${problem}`))).toEqual([]);
  });

  it('should cover Fly auth, Fly errors, rate-budget sheds, Redis, webhooks and subscriptions when listing the rules', () => {
    const all = rules.join('\n');
    for (const needle of [
      'flygate_upstream_call_seconds_count{status="401"}',
      'flygate_rate_budget_wait_seconds_count{outcome="shed"}',
      'flygate_cache_errors_total',
      'flygate_webhook_requests_total',
      'flygate_subscriptions_active',
      'flygate_graphql_operations_total{outcome="error"}',
    ]) {
      expect(all).toContain(needle);
    }
  });

  it('should mention only metrics that exist anywhere in the runbook when read as a whole', () => {
    const mentioned = seriesNames(runbook);
    expect(mentioned.length).toBeGreaterThan(5);
    expect(mentioned.filter((name) => !isKnownMetric(name, catalog))).toEqual([]);
  });
});
