/**
 * Process figures read from /proc (Linux only): CPU time and resident memory of a process together with all its
 * descendants, so a server that forks workers or runs behind a wrapper (npx, tsx) is measured whole.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's utime and stime; 100 on every Linux build this runs on. */
const TICKS_PER_SECOND = 100;

interface Stat {
  pid: number;
  ppid: number;
  cpuTicks: number;
  rssPages: number;
}

function readStat(pid: number): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name sits in parentheses and may contain spaces; the fields after it are fixed.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { pid, ppid: Number(fields[1]), cpuTicks: Number(fields[11]) + Number(fields[12]), rssPages: Number(fields[21]) };
  } catch {
    return undefined;
  }
}

function tree(root: number): Stat[] {
  const all: Stat[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(Number(name));
    if (stat) all.push(stat);
  }
  const children = new Map<number, Stat[]>();
  for (const s of all) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  const out: Stat[] = [];
  const rootStat = all.find((s) => s.pid === root);
  const queue = rootStat ? [rootStat] : [];
  while (queue.length > 0) {
    const s = queue.shift()!;
    out.push(s);
    queue.push(...(children.get(s.pid) ?? []));
  }
  return out;
}

/** CPU time (user + system) used so far by `pid` and its descendants, in ms. */
export function cpuMs(pid: number): number {
  return (tree(pid).reduce((sum, s) => sum + s.cpuTicks, 0) * 1000) / TICKS_PER_SECOND;
}

/** Resident set size of `pid` and its descendants, in bytes. */
export function rssBytes(pid: number): number {
  return tree(pid).reduce((sum, s) => sum + s.rssPages, 0) * 4096;
}

/**
 * Waits until the server has finished the work still queued when the load generator stopped (an overloaded server
 * keeps answering requests that are already in), so it is not counted in the next measurement.
 */
export async function settle(pid: number): Promise<void> {
  let quiet = 0;
  for (let i = 0; i < 200 && quiet < 2; i++) {
    const before = cpuMs(pid);
    await new Promise((r) => setTimeout(r, 200));
    quiet = cpuMs(pid) - before <= 20 ? quiet + 1 : 0;
  }
}
