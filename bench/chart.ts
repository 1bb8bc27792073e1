/**
 * Writes the peers' figures as one SVG, by hand (no chart library): two panels of grouped bars, throughput as a
 * ratio to bare yoga `{ hello }` and CPU ms per operation at one connection, one group per scenario and one bar per
 * peer. Both axes are logarithmic, because the peers differ by orders of magnitude.
 *
 *   npm --prefix bench run chart      reads bench/.out/results.json, writes docs/benchmarks.svg
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The fields of a result row the chart needs. */
export interface ChartRow {
  peer: string;
  label: string;
  scenario: string;
  opsRatio?: number;
  cpuMsPerOp1: number;
}

const COLOURS: Record<string, string> = {
  'bare-yoga': '#7f7f7f',
  naive: '#1f77b4',
  mesh: '#ff7f0e',
  'mesh-cache': '#ffbb78',
  'flygate-cold': '#2ca02c',
  'flygate-warm': '#98df8a',
  'flygate-warm-keyed': '#17becf',
  'raw-http': '#d62728',
};

const r1 = (n: number) => Math.round(n * 10) / 10;
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

interface Panel {
  title: string;
  value: (r: ChartRow) => number | undefined;
  unit: (v: number) => string;
}

function panel(rows: ChartRow[], scenarios: string[], peers: string[], spec: Panel, x0: number, y0: number, w: number, h: number): string {
  const values = rows.map(spec.value).filter((v): v is number => v !== undefined && Number.isFinite(v) && v > 0);
  const lo = Math.floor(Math.log10(Math.min(...values)));
  const hi = Math.ceil(Math.log10(Math.max(...values)));
  const span = Math.max(1, hi - lo);
  const plotTop = y0 + 30;
  const plotBottom = y0 + h - 40;
  const left = x0 + 50;
  const yOf = (v: number) => plotBottom - ((Math.log10(v) - lo) / span) * (plotBottom - plotTop);
  const parts = [`<text x="${x0 + w / 2}" y="${y0 + 16}" text-anchor="middle" font-weight="bold">${escape(spec.title)}</text>`];
  for (let e = lo; e <= hi; e++) {
    const y = yOf(10 ** e);
    parts.push(`<line x1="${left}" x2="${x0 + w}" y1="${r1(y)}" y2="${r1(y)}" stroke="${e === 0 ? '#999' : '#ddd'}"/>`);
    parts.push(`<text x="${left - 4}" y="${r1(y + 4)}" text-anchor="end" font-size="10">${spec.unit(10 ** e)}</text>`);
  }
  const groupWidth = (x0 + w - left) / scenarios.length;
  const barWidth = Math.min(18, (groupWidth - 10) / peers.length);
  scenarios.forEach((scenario, g) => {
    const gx = left + g * groupWidth + (groupWidth - barWidth * peers.length) / 2;
    parts.push(
      `<text x="${left + g * groupWidth + groupWidth / 2}" y="${plotBottom + 16}" text-anchor="middle" font-size="10">${escape(scenario)}</text>`,
    );
    peers.forEach((peer, i) => {
      const row = rows.find((r) => r.peer === peer && r.scenario === scenario);
      const v = row ? spec.value(row) : undefined;
      if (v === undefined || !Number.isFinite(v) || v <= 0) return;
      const y = yOf(v);
      const bottom = yOf(10 ** lo);
      parts.push(
        `<rect x="${r1(gx + i * barWidth)}" y="${r1(y)}" width="${r1(barWidth - 2)}" height="${r1(Math.max(1, bottom - y))}" fill="${COLOURS[peer] ?? '#444'}"><title>${escape(`${row!.label}, ${scenario}: ${spec.unit(v)}`)}</title></rect>`,
      );
    });
  });
  parts.push(`<line x1="${left}" x2="${left}" y1="${plotTop}" y2="${plotBottom}" stroke="#333"/>`);
  return parts.join('\n');
}

const ratio = (v: number) => (v >= 1 ? `${v.toLocaleString('en-US')}×` : `${Number(v.toPrecision(2))}×`);
const ms = (v: number) => `${Number(v.toPrecision(2))} ms`;

/** Renders the chart for `rows` and writes it to `path`. */
export function writeChart(all: ChartRow[], path: string): void {
  // The reference's second measurement (at the end of a run) is folded into its first: both are 1× on average.
  const rows = all.filter((r) => !r.scenario.startsWith('hello (end)'));
  const scenarios = [...new Set(rows.map((r) => r.scenario))];
  const peers = [...new Set(rows.map((r) => r.peer))];
  const width = 1100;
  const height = 420;
  const half = (width - 40) / 2;
  const legend = peers
    .map((peer, i) => {
      const label = rows.find((r) => r.peer === peer)?.label ?? peer;
      const x = 20 + (i % 3) * 360;
      const y = height - 44 + Math.floor(i / 3) * 18;
      return `<rect x="${x}" y="${y - 10}" width="12" height="12" fill="${COLOURS[peer] ?? '#444'}"/><text x="${x + 18}" y="${y}" font-size="12">${escape(label)}</text>`;
    })
    .join('\n');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>
${panel(rows, scenarios, peers, { title: 'Throughput, ratio to bare yoga { hello } (higher is better)', value: (r) => r.opsRatio, unit: ratio }, 10, 0, half, height - 50)}
${panel(rows, scenarios, peers, { title: 'CPU ms per operation at 1 connection (lower is better)', value: (r) => r.cpuMsPerOp1, unit: ms }, 30 + half, 0, half, height - 50)}
${legend}
</svg>
`;
  writeFileSync(path, svg);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const results = JSON.parse(readFileSync(fileURLToPath(new URL('.out/results.json', import.meta.url)), 'utf8')) as { rows: ChartRow[] };
  const target = fileURLToPath(new URL('../docs/benchmarks.svg', import.meta.url));
  writeChart(results.rows, target);
  console.log(`wrote ${target}`);
}
