import type { IncomingHttpHeaders } from 'node:http';
import { HttpError, flyError } from './http-error.js';
import { activeLease } from './serialize.js';
import type { MachineRecord } from './types.js';

/** Reads a boolean query flag (`true`/`1`). */
export function flag(query: URLSearchParams, name: string): boolean {
  const v = query.get(name);
  return v === 'true' || v === '1';
}

/** The body as a JSON object, or `{}` when absent; 400 when it is not an object. */
export function objectBody(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw flyError(400, 'request body must be a JSON object');
  return body as Record<string, unknown>;
}

/** Parses a positive integer query value within bounds; undefined when absent. */
export function intQuery(query: URLSearchParams, name: string, min: number, max: number): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw flyError(400, `invalid ${name}: ${raw}`);
  return Math.min(n, max);
}

/** Parses a duration given as seconds (`30`), or a Go-style duration (`30s`, `1m`, `500ms`); returns ms. */
export function parseDurationMs(raw: unknown): number | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw === 'number') return raw * 1000;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(String(raw).trim());
  if (!m) throw flyError(400, `invalid duration: ${String(raw)}`);
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  return unit === 'ms' ? n : unit === 's' ? n * 1000 : unit === 'm' ? n * 60_000 : n * 3_600_000;
}

/** The lease nonce header, if sent. */
export function nonceHeader(headers: IncomingHttpHeaders): string | undefined {
  const v = headers['fly-machine-lease-nonce'];
  return Array.isArray(v) ? v[0] : v || undefined;
}

/** Fails with 409 when the machine holds a live lease and the request lacks its nonce. */
export function requireLease(m: MachineRecord, headers: IncomingHttpHeaders, nowMs: number): void {
  const lease = activeLease(m, nowMs);
  if (!lease || nonceHeader(headers) === lease.nonce) return;
  const until = new Date(lease.expiresAtMs).toISOString();
  throw new HttpError(409, {
    error: `machine ${m.id} is currently leased by ${lease.owner} until ${until}; send its nonce in fly-machine-lease-nonce`,
  });
}
