/**
 * Log lines travel between instances on an event bus of their own (its own Redis stream, `flygate:logs`), which
 * gives them what machine events have: contiguous sequence numbers, resumes, RESYNC on gaps and overflows, and
 * idempotent publishing by id. The bus carries the event envelope, so a line is packed into one: the line's fields
 * in a `machine.event` whose Fly event has the type `log`, and the stream it belongs to (a hash of tenant and app)
 * beside its message. Nothing else reads this bus.
 */
import { createHash } from 'node:crypto';
import type { DeliveredEvent, GatewayEvent } from '../events/types.js';
import type { DeliveredLogLine, LogLine } from './types.js';

/** The short, non-reversible name of a stream (tenant and app) that every line carries. */
export function streamTag(streamKey: string): string {
  return createHash('sha256').update(streamKey).digest('base64url').slice(0, 16);
}

/** Packs a line of stream `tag` into the bus's envelope; its id is unique per stream, so a re-poll is dropped. */
export function packLogLine(tag: string, line: LogLine): GatewayEvent {
  const ms = Date.parse(line.timestamp);
  return {
    id: `log:${tag}:${line.id}`,
    type: 'machine.event',
    timestamp: line.timestamp,
    app: line.app,
    machineId: line.machineId,
    source: 'sync',
    event: {
      id: line.id,
      type: 'log',
      status: line.level,
      source: line.region,
      timestamp: Number.isNaN(ms) ? 0 : ms,
      request: { stream: tag, message: line.message },
    },
  };
}

/** The line a delivered envelope holds when it belongs to stream `tag`, else undefined. */
export function unpackLogLine(tag: string, delivered: DeliveredEvent): DeliveredLogLine | undefined {
  const { event } = delivered;
  if (event?.type !== 'log' || event.request?.stream !== tag) return undefined;
  return {
    kind: 'line',
    id: event.id,
    timestamp: delivered.timestamp,
    app: delivered.app,
    machineId: delivered.machineId,
    region: event.source ?? '',
    level: event.status ?? 'info',
    message: String(event.request.message ?? ''),
    seq: delivered.seq,
    epoch: delivered.epoch,
  };
}
