/**
 * The emulator's metrics: every series Fly's Prometheus API holds for an org (`fly_instance_*` per machine,
 * `fly_volume_*` per volume, `fly_app_*` per app), computed at any instant from the store, so a query at a known
 * clock has known values. A machine counts as running between a start-like event and the next stop-like one; while
 * it does not run its CPU and network counters stand still, its load is 0 and its memory is all available.
 * Per-machine rates come from a hash of its id, so each machine has its own steady, predictable curve.
 */
import { currentConfig } from './serialize.js';
import type { MachineRecord, VolumeRecord } from './types.js';
import type { Store } from './store.js';

/** A series' labels, `__name__` included. */
export type Labels = Record<string, string>;

/** One series: its labels and how to read it at an instant (ms); undefined where it has no sample. */
export interface EmuSeries {
  labels: Labels;
  at(ms: number): number | undefined;
}

const UP_EVENTS = new Set(['start', 'launch', 'restart']);
const DOWN_EVENTS = new Set(['stop', 'exit', 'suspend', 'destroy']);

/** A stable number in [0, 1) from a text (FNV-1a), so each machine has its own figures. */
export function unitHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) / 2 ** 32;
}

/** The spans `[from, to)` during which a machine ran, from its event log (the current state closes the last one). */
export function runningSpans(m: MachineRecord): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let since: number | undefined;
  let seen = false;
  for (const e of m.events) {
    if (UP_EVENTS.has(e.type)) {
      seen = true;
      since ??= e.timestamp;
    } else if (DOWN_EVENTS.has(e.type)) {
      seen = true;
      if (since !== undefined) spans.push([since, e.timestamp]);
      since = undefined;
    }
  }
  if (!seen && m.state === 'started') since = m.createdAtMs;
  if (since !== undefined && m.state === 'started') spans.push([since, Infinity]);
  return spans;
}

function runningAt(spans: Array<[number, number]>, ms: number): boolean {
  return spans.some(([from, to]) => ms >= from && ms < to);
}

/** Seconds of running time up to `ms`. */
function runningSeconds(spans: Array<[number, number]>, ms: number): number {
  let total = 0;
  for (const [from, to] of spans) if (ms > from) total += (Math.min(ms, to) - from) / 1000;
  return total;
}

/** Figures of one machine, fixed by its id and guest: busy CPU share, memory in use, network rates. */
export function machineProfile(
  id: string,
  guest: { cpus?: unknown; memory_mb?: unknown },
): {
  cpus: number;
  memoryMb: number;
  busyShare: number;
  usedShare: number;
  recvBytesPerSecond: number;
  sentBytesPerSecond: number;
} {
  const h = unitHash(id);
  return {
    cpus: typeof guest.cpus === 'number' && guest.cpus > 0 ? guest.cpus : 1,
    memoryMb: typeof guest.memory_mb === 'number' && guest.memory_mb > 0 ? guest.memory_mb : 256,
    // 5 % to 45 % busy, 20 % to 70 % of memory used, whole numbers so answers are exact.
    busyShare: (5 + Math.floor(h * 41)) / 100,
    usedShare: (20 + Math.floor(h * 51)) / 100,
    recvBytesPerSecond: 1000 + Math.floor(h * 9000),
    sentBytesPerSecond: 2000 + Math.floor(h * 18000),
  };
}

function machineSeries(m: MachineRecord): EmuSeries[] {
  const base: Labels = { app: m.app, region: m.region, host: `host-${m.region}`, instance: m.id };
  const spans = runningSpans(m);
  const p = machineProfile(m.id, (currentConfig(m).guest ?? {}) as { cpus?: unknown; memory_mb?: unknown });
  const exists = (ms: number) => ms >= m.createdAtMs;
  const gauge = (name: string, extra: Labels, value: (ms: number) => number): EmuSeries => ({
    labels: { __name__: name, ...base, ...extra },
    at: (ms) => (exists(ms) ? value(ms) : undefined),
  });
  const totalBytes = p.memoryMb * 1024 * 1024;
  const out: EmuSeries[] = [
    gauge('fly_instance_up', {}, (ms) => (runningAt(spans, ms) ? 1 : 0)),
    gauge('fly_instance_memory_mem_total', {}, () => totalBytes),
    gauge('fly_instance_memory_mem_available', {}, (ms) =>
      runningAt(spans, ms) ? Math.round(totalBytes * (1 - p.usedShare)) : totalBytes,
    ),
    gauge('fly_instance_net_recv_bytes', {}, (ms) => Math.round(runningSeconds(spans, ms) * p.recvBytesPerSecond)),
    gauge('fly_instance_net_sent_bytes', {}, (ms) => Math.round(runningSeconds(spans, ms) * p.sentBytesPerSecond)),
  ];
  for (const minutes of ['1', '5', '15']) {
    out.push(gauge('fly_instance_load_average', { minutes }, (ms) => (runningAt(spans, ms) ? p.busyShare * p.cpus : 0)));
  }
  // fly_instance_cpu counts centiseconds per CPU and mode: 100 per second in all, split between busy and idle.
  for (let cpu = 0; cpu < p.cpus; cpu++) {
    const cpu_id = String(cpu);
    out.push(
      gauge('fly_instance_cpu', { cpu_id, mode: 'user' }, (ms) => runningSeconds(spans, ms) * 100 * p.busyShare),
      gauge('fly_instance_cpu', { cpu_id, mode: 'idle' }, (ms) => runningSeconds(spans, ms) * 100 * (1 - p.busyShare)),
    );
  }
  return out;
}

function volumeSeries(v: VolumeRecord): EmuSeries[] {
  const labels: Labels = { app: v.app, region: v.region, host: `host-${v.region}`, instance: v.attachedMachineId ?? '', volume: v.id };
  const exists = (ms: number) => ms >= v.createdAtMs && v.state !== 'destroyed';
  const usedPct = 10 + Math.floor(unitHash(v.id) * 71);
  return [
    { labels: { __name__: 'fly_volume_size_bytes', ...labels }, at: (ms) => (exists(ms) ? v.sizeGb * 1024 ** 3 : undefined) },
    { labels: { __name__: 'fly_volume_used_pct', ...labels }, at: (ms) => (exists(ms) ? usedPct : undefined) },
  ];
}

/** HTTP responses served by the proxy, per app and status: each running machine answers a steady rate. */
const STATUS_SHARES: ReadonlyArray<[string, number]> = [
  ['200', 8],
  ['301', 1],
  ['404', 1],
  ['500', 0.5],
];

function appSeries(store: Store, app: string): EmuSeries[] {
  const machines = store.machinesOf(app);
  const spans = machines.map(runningSpans);
  const createdAt = store.apps.get(app)?.createdAtMs ?? 0;
  return STATUS_SHARES.map(([status, perSecond]) => ({
    labels: { __name__: 'fly_app_http_responses_count', app, region: 'all', host: 'edge', instance: '', status },
    at: (ms: number) => (ms >= createdAt ? spans.reduce((sum, s) => sum + runningSeconds(s, ms) * perSecond, 0) : undefined),
  }));
}

/** Every series of the store's org at query time (the store's current machines, volumes and apps). */
export function allSeries(store: Store): EmuSeries[] {
  const out: EmuSeries[] = [];
  for (const m of store.machines.values()) if (m.state !== 'destroyed') out.push(...machineSeries(m));
  for (const v of store.volumes.values()) out.push(...volumeSeries(v));
  for (const app of store.apps.keys()) out.push(...appSeries(store, app));
  return out;
}
