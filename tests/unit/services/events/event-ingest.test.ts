import { describe, expect, it, vi } from 'vitest';
import { createMemoryDedupeStore } from '#src/infra/memory/dedupe-store.js';
import { createEventIngest, EventInFlightError } from '#src/services/events/event-ingest.js';
import { createMemoryEventBus } from '#src/infra/memory/event-bus.js';
import type { DedupeStore, EventBus } from '#src/services/ports.js';
import { buildEvent } from './fixtures.js';

function setup(overrides: { bus?: Partial<EventBus>; dedupe?: Partial<DedupeStore>; onEvent?: () => void } = {}) {
  const memory = createMemoryEventBus();
  const calls: string[] = [];
  const bus: EventBus = {
    ...memory,
    publish: vi.fn(async (event) => {
      calls.push('publish');
      return memory.publish(event);
    }),
    ...overrides.bus,
  };
  const dedupe = { ...createMemoryDedupeStore(), ...overrides.dedupe };
  const ingest = createEventIngest({
    bus,
    dedupe,
    onEvent: () => {
      calls.push('invalidate');
      overrides.onEvent?.();
    },
  });
  return { ingest, bus, calls, dedupe };
}

describe('createEventIngest', () => {
  it('should publish once and report the second ingest as duplicate when the id repeats', async () => {
    const { ingest, bus } = setup();
    expect(await ingest.ingest(buildEvent())).toBe('published');
    expect(await ingest.ingest(buildEvent())).toBe('duplicate');
    expect(bus.publish).toHaveBeenCalledTimes(1);
  });

  it('should run the invalidation hook before publishing', async () => {
    const { ingest, calls } = setup();
    await ingest.ingest(buildEvent());
    expect(calls).toEqual(['invalidate', 'publish']);
  });

  it('should still publish when the invalidation hook throws', async () => {
    const { ingest, bus } = setup({
      onEvent: () => {
        throw new Error('cache down');
      },
    });
    expect(await ingest.ingest(buildEvent())).toBe('published');
    expect(bus.publish).toHaveBeenCalledTimes(1);
  });

  it('should reject and forget the id when publishing fails, so a retry is published', async () => {
    const publish = vi.fn().mockRejectedValueOnce(new Error('redis down')).mockResolvedValue({ seq: 1 });
    const { ingest } = setup({ bus: { publish } });
    await expect(ingest.ingest(buildEvent())).rejects.toThrow('redis down');
    expect(await ingest.ingest(buildEvent())).toBe('published');
    expect(publish).toHaveBeenCalledTimes(2);
  });

  it('should reject with EventInFlightError when another attempt holds the id', async () => {
    const { ingest, bus } = setup({ dedupe: { claim: async () => 'in-flight' } });
    await expect(ingest.ingest(buildEvent())).rejects.toBeInstanceOf(EventInFlightError);
    expect(bus.publish).not.toHaveBeenCalled();
  });

  it('should reject without publishing when the dedupe store is unreachable', async () => {
    const { ingest, bus } = setup({
      dedupe: {
        claim: async () => {
          throw new Error('ECONNREFUSED');
        },
      },
    });
    await expect(ingest.ingest(buildEvent())).rejects.toThrow('ECONNREFUSED');
    expect(bus.publish).not.toHaveBeenCalled();
  });

  it('should report published when remembering the id fails after a successful publish', async () => {
    const { ingest } = setup({
      dedupe: {
        commit: async () => {
          throw new Error('timeout');
        },
      },
    });
    expect(await ingest.ingest(buildEvent())).toBe('published');
  });
});
