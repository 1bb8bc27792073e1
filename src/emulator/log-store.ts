/**
 * The emulator's app logs: what `GET /api/v1/apps/{app}/logs` serves (and the NATS relay publishes). Lines are made
 * from the machines' own life (every machine event becomes a line or two, as Fly's init and proxy would print them)
 * and from the demo's traffic (`serve`: a request line from a started machine). Each line gets the next number of one
 * counter; `next_token` is that number, opaque to clients. Lines older than the retention, or beyond the per-app
 * cap, are dropped as new ones arrive.
 */
import type { Clock } from '../lib/clock.js';
import { flyError } from './http-error.js';
import type { Store } from './store.js';
import type { EmulatorChange } from './types.js';

/** One stored line. */
export interface EmuLogLine {
  seq: number;
  app: string;
  instance: string;
  region: string;
  level: string;
  message: string;
  /** Emulator clock, ms. */
  at: number;
}

/** What {@link LogStore.query} filters by. */
export interface LogQuery {
  app: string;
  /** Lines after this token (from a previous answer). */
  nextToken?: string;
  /** Without a token: lines from this instant (ms) on. */
  startTime?: number;
  instance?: string;
  region?: string;
}

/** The emulator's log lines. */
export interface LogStore {
  /** Appends one line (tests, the demo's traffic) and tells the listeners. */
  append(line: Omit<EmuLogLine, 'seq' | 'at'>): EmuLogLine;
  /** One page of lines after the token, oldest first, and the token to pass next time. */
  query(query: LogQuery): { lines: EmuLogLine[]; nextToken: string };
  /** One request line from a random started machine of each app the filter lets through. */
  serve(random: () => number, appFilter?: (app: string) => boolean): void;
  /** Calls `listener` with every new line; returns the function that stops it. */
  onLine(listener: (line: EmuLogLine) => void): () => void;
}

/** Lines one answer holds at most. */
export const LOG_PAGE_SIZE = 100;

const EVENT_LINES: Record<string, (status: string) => string[]> = {
  launch: () => ['Pulling container image', 'Configuring firecracker'],
  start: (status) => (status === 'started' ? ['Starting init (commit: emulator)...', 'Preparing to run the app', 'Machine started'] : []),
  stop: (status) => (status === 'stopped' ? ['Sending signal SIGINT to main child process', 'Machine stopped'] : []),
  restart: () => ['Machine restarting'],
  suspend: (status) => (status === 'suspended' ? ['Machine suspended'] : []),
  exit: (status) => [`Main child exited normally with code: ${status === 'stopped' ? 0 : 1}`, 'Machine exited'],
  update: () => ['Machine config updated'],
  destroy: (status) => (status === 'destroyed' ? ['Machine destroyed'] : []),
};

function encodeToken(seq: number): string {
  return Buffer.from(`emu:${seq}`).toString('base64url');
}

function decodeToken(token: string): number {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  const seq = Number(text.slice(4));
  if (!text.startsWith('emu:') || !Number.isInteger(seq) || seq < 0) throw flyError(400, 'invalid next_token');
  return seq;
}

/** Creates the log store and hooks it to the machines' changes. */
export function createLogStore(store: Store, clock: Clock, options: { retentionMs?: number; maxPerApp?: number } = {}): LogStore {
  const retentionMs = options.retentionMs ?? 7 * 24 * 3600_000;
  const maxPerApp = options.maxPerApp ?? 10_000;
  const byApp = new Map<string, EmuLogLine[]>();
  const listeners = new Set<(line: EmuLogLine) => void>();
  let seq = 0;

  const prune = (lines: EmuLogLine[]) => {
    const oldest = clock.now() - retentionMs;
    let drop = Math.max(0, lines.length - maxPerApp);
    while (drop < lines.length && lines[drop]!.at < oldest) drop += 1;
    if (drop > 0) lines.splice(0, drop);
  };

  const logs: LogStore = {
    append(input) {
      seq += 1;
      const line: EmuLogLine = { ...input, seq, at: clock.now() };
      let lines = byApp.get(line.app);
      if (!lines) byApp.set(line.app, (lines = []));
      lines.push(line);
      prune(lines);
      for (const listener of [...listeners]) listener(line);
      return line;
    },

    query({ app, nextToken, startTime, instance, region }) {
      const lines = byApp.get(app) ?? [];
      prune(lines);
      const after = nextToken ? decodeToken(nextToken) : 0;
      const page: EmuLogLine[] = [];
      let last = after;
      for (const line of lines) {
        if (line.seq <= after) continue;
        if (page.length === LOG_PAGE_SIZE) break;
        last = line.seq;
        if (startTime !== undefined && !nextToken && line.at < startTime) continue;
        if ((instance && line.instance !== instance) || (region && line.region !== region)) continue;
        page.push(line);
      }
      // Nothing new: the token stays where it was (or moves past what the filters skipped).
      return { lines: page, nextToken: encodeToken(last) };
    },

    serve(random, appFilter = () => true) {
      const started = [...store.machines.values()].filter((m) => m.state === 'started' && appFilter(m.app));
      const apps = new Set(started.map((m) => m.app));
      for (const app of apps) {
        const candidates = started.filter((m) => m.app === app);
        const m = candidates[Math.floor(random() * candidates.length)]!;
        const paths = ['/', '/healthz', '/api/items', '/static/app.js'];
        const path = paths[Math.floor(random() * paths.length)]!;
        const status = random() < 0.05 ? 500 : 200;
        logs.append({
          app,
          instance: m.id,
          region: m.region,
          level: status === 500 ? 'error' : 'info',
          message: `GET ${path} ${status} in ${1 + Math.floor(random() * 80)}ms`,
        });
      }
    },

    onLine(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };

  store.onChange((change: EmulatorChange) => {
    if (change.type !== 'machine.event' || !change.data.event) return;
    const machine = store.machines.get(change.data.machine_id);
    const region = machine?.region ?? 'iad';
    const { type, status } = change.data.event;
    const messages = EVENT_LINES[type]?.(status ?? '') ?? [];
    const level = type === 'exit' && status !== 'stopped' ? 'error' : 'info';
    for (const message of messages) logs.append({ app: change.data.app, instance: change.data.machine_id, region, level, message });
  });
  return logs;
}
