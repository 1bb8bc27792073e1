import type { DeliveredEvent, GatewayEvent } from '#src/services/events/types.js';

/** A gateway event with sensible defaults. */
export function buildEvent(overrides: Partial<GatewayEvent> = {}): GatewayEvent {
  return {
    id: 'webhook:msg_1',
    type: 'machine.state_changed',
    timestamp: '2026-01-01T00:00:00.000Z',
    app: 'web',
    machineId: '1857156b526dd8',
    from: 'stopped',
    to: 'started',
    source: 'webhook',
    ...overrides,
  };
}

/** A delivered event at `seq` in `epoch`. */
export function buildDelivered(seq: number, epoch = 'e1', overrides: Partial<GatewayEvent> = {}): DeliveredEvent {
  return { ...buildEvent({ id: `webhook:msg_${seq}`, ...overrides }), seq, epoch };
}

/** Takes `count` items from an iterator (the test fails on timeout if they never come). */
export async function take<T>(iterator: AsyncIterator<T>, count: number): Promise<T[]> {
  const items: T[] = [];
  while (items.length < count) {
    const { value, done } = await iterator.next();
    if (done) break;
    items.push(value);
  }
  return items;
}
