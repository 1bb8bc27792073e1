/**
 * The vocabulary of app logs: a line as the gateway shows it, a delivery of the live stream, and the ports the
 * single poll loop needs (where it keeps Fly's cursor, how it takes its lock).
 */
import type { Lock } from '../ports.js';
import type { ResyncSignal } from '../events/types.js';

/** One log line. */
export interface LogLine {
  /** Fly's id of the line. */
  id: string;
  /** When the line was printed, RFC 3339. */
  timestamp: string;
  app: string;
  /** The machine that printed it (Fly's `instance`). */
  machineId: string;
  region: string;
  /** `debug`, `info`, `warn`, `error`, ... as Fly reports it. */
  level: string;
  message: string;
}

/** A line of the live stream with its place in the logs stream (resume with `afterSeq` and `epoch`). */
export interface DeliveredLogLine extends LogLine {
  kind: 'line';
  seq: number;
  epoch: string;
}

/** What a live logs subscription yields: a line, or a RESYNC when lines may have been missed. */
export type LogDelivery = DeliveredLogLine | ResyncSignal;

/**
 * Where the poll loop of a stream keeps Fly's `next_token` between polls, so the instance that takes the lock over
 * continues where the previous holder stopped. Entries expire: a stream that nobody followed for a while starts
 * again from now rather than replaying what was printed meanwhile.
 */
export interface LogCursorStore {
  load(key: string): Promise<string | undefined>;
  save(key: string, token: string, ttlMs: number): Promise<void>;
}

/** The lock of one stream's poll loop (one holder across every instance). */
export type LogLockFactory = (key: string, ttlMs: number) => Lock;

/** Severity order of Fly's levels; an unknown level counts as `info`. */
const SEVERITY: Record<string, number> = { trace: 0, debug: 1, info: 2, notice: 2, warn: 3, warning: 3, error: 4, fatal: 5, critical: 5 };

/** Whether a line of `level` passes a filter of at least `minimum`. */
export function atLeast(level: string, minimum: string): boolean {
  return (SEVERITY[level.toLowerCase()] ?? 2) >= (SEVERITY[minimum.toLowerCase()] ?? 2);
}

/** A live subscription to a {@link LiveLogSource}: ended by `close()`, or by the source (`closed` resolves then). */
export interface LiveLogFeed {
  readonly closed: Promise<void>;
  close(): Promise<void>;
}

/**
 * A push source of an app's lines with no history (Fly's NATS log stream, on Fly's private network): the poll loop
 * follows it instead of polling while it answers, and polls again when it fails.
 */
export interface LiveLogSource {
  /** Subscribes to `app`'s lines; rejects when the source cannot be reached. Lines arrive in the source's order. */
  follow(app: string, onLine: (line: LogLine) => void): Promise<LiveLogFeed>;
  /** Closes the connection. */
  close(): Promise<void>;
}
