/**
 * The part of PromQL the emulator understands, enough for what the gateway sends (docs/EMULATOR.md, "Metrics"):
 *
 * ```
 * expr     := aggr | call | selector
 * aggr     := ('sum' | 'avg' | 'min' | 'max' | 'count') [('by' | 'without') '(' labels ')'] '(' expr ')'
 * call     := ('rate' | 'irate' | 'increase') '(' selector '[' duration ']' ')'
 * selector := name ['{' matchers '}'] | '{' matchers '}'
 * matcher  := label ('=' | '!=' | '=~' | '!~') "string"
 * duration := integer ('ms' | 's' | 'm' | 'h' | 'd')
 * ```
 *
 * Anything else is a `bad_data` error, as Prometheus answers a query it cannot parse.
 */
import type { EmuSeries, Labels } from './metrics-series.js';

/** A query the emulator cannot parse or evaluate (Prometheus' `bad_data`). */
export class PromQLError extends Error {}

type Matcher = { label: string; op: '=' | '!=' | '=~' | '!~'; value: string };
type Node =
  | { kind: 'selector'; matchers: Matcher[] }
  | { kind: 'call'; fn: 'rate' | 'irate' | 'increase'; selector: Matcher[]; windowMs: number }
  | { kind: 'aggr'; op: 'sum' | 'avg' | 'min' | 'max' | 'count'; grouping?: { without: boolean; labels: string[] }; expr: Node };

/** One sample of an instant vector. */
export interface VectorSample {
  labels: Labels;
  value: number;
}

const TOKEN = /\s*(=~|!~|!=|=|[(){}[\],]|"(?:[^"\\]|\\.)*"|[A-Za-z_:][A-Za-z0-9_:]*|\d+(?:ms|s|m|h|d))/y;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (!m) throw new PromQLError(`1:${at + 1}: parse error: unexpected character`);
    tokens.push(m[1]);
  }
  return tokens;
}

/** Parses a query of the supported subset. */
export function parsePromQL(text: string): Node {
  if (text.length > 4096) throw new PromQLError('query too long');
  const tokens = tokenize(text);
  let i = 0;
  const peek = () => tokens[i];
  const take = (expected?: string): string => {
    const t = tokens[i++];
    if (t === undefined) throw new PromQLError('parse error: unexpected end of input');
    if (expected !== undefined && t !== expected) throw new PromQLError(`parse error: expected "${expected}", got "${t}"`);
    return t;
  };
  const labelList = (): string[] => {
    take('(');
    const labels: string[] = [];
    while (peek() !== ')') {
      labels.push(take());
      if (peek() === ',') take(',');
    }
    take(')');
    return labels;
  };
  const selector = (): Matcher[] => {
    const matchers: Matcher[] = [];
    if (peek() !== '{') matchers.push({ label: '__name__', op: '=', value: take() });
    if (peek() === '{') {
      take('{');
      while (peek() !== '}') {
        const label = take();
        const op = take();
        if (op !== '=' && op !== '!=' && op !== '=~' && op !== '!~')
          throw new PromQLError(`parse error: unexpected "${op}" in label matching`);
        const quoted = take();
        if (!quoted.startsWith('"')) throw new PromQLError('parse error: label values must be double-quoted strings');
        matchers.push({ label, op, value: JSON.parse(quoted) as string });
        if (peek() === ',') take(',');
      }
      take('}');
    }
    if (matchers.length === 0) throw new PromQLError('vector selector must contain at least one non-empty matcher');
    return matchers;
  };
  const expr = (): Node => {
    const head = peek();
    if (head === 'sum' || head === 'avg' || head === 'min' || head === 'max' || head === 'count') {
      take();
      let grouping: { without: boolean; labels: string[] } | undefined;
      if (peek() === 'by' || peek() === 'without') grouping = { without: take() === 'without', labels: labelList() };
      take('(');
      const inner = expr();
      take(')');
      if (!grouping && (peek() === 'by' || peek() === 'without')) grouping = { without: take() === 'without', labels: labelList() };
      return { kind: 'aggr', op: head, grouping, expr: inner };
    }
    if (head === 'rate' || head === 'irate' || head === 'increase') {
      take();
      take('(');
      const matchers = selector();
      take('[');
      const window = take();
      const m = /^(\d+)(ms|s|m|h|d)$/.exec(window);
      if (!m) throw new PromQLError(`parse error: bad duration "${window}"`);
      take(']');
      take(')');
      return { kind: 'call', fn: head, selector: matchers, windowMs: Number(m[1]) * UNIT_MS[m[2]] };
    }
    return { kind: 'selector', matchers: selector() };
  };
  const node = expr();
  if (i !== tokens.length) throw new PromQLError(`parse error: unexpected "${tokens[i]}"`);
  return node;
}

function matches(labels: Labels, matchers: Matcher[]): boolean {
  return matchers.every(({ label, op, value }) => {
    const actual = labels[label] ?? '';
    switch (op) {
      case '=':
        return actual === value;
      case '!=':
        return actual !== value;
      case '=~':
        return new RegExp(`^(?:${value})$`).test(actual);
      case '!~':
        return !new RegExp(`^(?:${value})$`).test(actual);
    }
  });
}

function withoutName(labels: Labels): Labels {
  const { __name__: _name, ...rest } = labels;
  return rest;
}

function groupKey(labels: Labels): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Evaluates a parsed query at one instant (ms) over the given series. */
export function evaluate(node: Node, series: EmuSeries[], ms: number): VectorSample[] {
  switch (node.kind) {
    case 'selector': {
      const out: VectorSample[] = [];
      for (const s of series) {
        if (!matches(s.labels, node.matchers)) continue;
        const value = s.at(ms);
        if (value !== undefined) out.push({ labels: s.labels, value });
      }
      return out;
    }
    case 'call': {
      const out: VectorSample[] = [];
      for (const s of series) {
        if (!matches(s.labels, node.selector)) continue;
        const now = s.at(ms);
        const before = s.at(ms - node.windowMs);
        if (now === undefined || before === undefined) continue;
        const delta = Math.max(0, now - before);
        out.push({ labels: withoutName(s.labels), value: node.fn === 'increase' ? delta : delta / (node.windowMs / 1000) });
      }
      return out;
    }
    case 'aggr': {
      const groups = new Map<string, { labels: Labels; values: number[] }>();
      for (const sample of evaluate(node.expr, series, ms)) {
        const labels: Labels = {};
        const g = node.grouping;
        for (const [k, v] of Object.entries(withoutName(sample.labels))) {
          if (!g || (g.without ? !g.labels.includes(k) : g.labels.includes(k))) labels[k] = v;
        }
        if (!g) for (const k of Object.keys(labels)) delete labels[k];
        const key = groupKey(labels);
        const group = groups.get(key) ?? { labels, values: [] };
        group.values.push(sample.value);
        groups.set(key, group);
      }
      return [...groups.values()].map(({ labels, values }) => {
        const sum = values.reduce((a, b) => a + b, 0);
        const value = {
          sum,
          avg: sum / values.length,
          min: Math.min(...values),
          max: Math.max(...values),
          count: values.length,
        }[node.op];
        return { labels, value };
      });
    }
  }
}

/** The labels of a sample as a stable key (matrix rows are keyed by it). */
export const labelsKey = groupKey;
