/**
 * What every `Lock` adapter (in memory, on Redis) agrees on: how a holder is named when none is given and which
 * lifetimes are valid. Kept apart from both adapters so neither imports the other.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/** A unique holder name: `<hostname>:<pid>:<random>`. */
export function defaultLockOwner(): string {
  return `${hostname()}:${process.pid}:${randomUUID()}`;
}

/** Refuses a lock lifetime that is not a positive whole number of milliseconds (a lock that never expires, or NaN). */
export function validateLockTtl(ttlMs: number): void {
  if (!Number.isInteger(ttlMs) || ttlMs <= 0) throw new RangeError(`lock ttlMs must be a positive integer, got ${ttlMs}`);
}
