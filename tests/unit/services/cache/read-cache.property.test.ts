import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMemoryCacheStore } from '#src/infra/memory/cache-store.js';
import { createManualClock } from '#src/lib/clock.js';
import { machineChangeTags, withReadCache } from '#src/services/cache/cached-fly.js';
import { createReadCache, type CacheEntity } from '#src/services/cache/read-cache.js';
import type { FlyClient } from '#src/flyio/types.js';

const IDS = ['m1', 'm2', 'm3'];
const ttlMs = Object.fromEntries(
  ['apps', 'app', 'machines', 'machine', 'events', 'volumes', 'volume', 'snapshots', 'regions'].map((e) => [e, 30_000]),
) as Record<CacheEntity, number>;

/** An upstream whose machines carry a version that every change bumps; answers arrive after a few ticks. */
function upstream() {
  const versions = new Map(IDS.map((id) => [id, 0]));
  const ticks = async (n: number) => {
    for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
  };
  let delay = 0;
  const machine = (id: string) => ({ id, version: String(versions.get(id)) });
  const fly = {
    machines: {
      get: async ({ machineId }: { machineId: string }) => {
        const answer = machine(machineId);
        await ticks(delay);
        return answer;
      },
      listAll: async () => {
        const answer = IDS.map(machine);
        await ticks(delay);
        return answer;
      },
      stop: async ({ machineId }: { machineId: string }) => {
        versions.set(machineId, versions.get(machineId)! + 1);
      },
    },
    apps: {},
    volumes: {},
    platform: {},
  } as unknown as FlyClient;
  return { fly, versions, setDelay: (n: number) => (delay = n), change: (id: string) => versions.set(id, versions.get(id)! + 1) };
}

type Op =
  | { kind: 'get' | 'list'; id: string; delay: number }
  | { kind: 'event' | 'write'; id: string }
  | { kind: 'settle' }
  | { kind: 'advance'; ms: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constantFrom('get' as const, 'list' as const), id: fc.constantFrom(...IDS), delay: fc.integer({ min: 0, max: 4 }) }),
  fc.record({ kind: fc.constantFrom('event' as const, 'write' as const), id: fc.constantFrom(...IDS) }),
  fc.constant({ kind: 'settle' as const }),
  fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 40_000 }) }),
);

describe('read cache freshness (property)', () => {
  it('should never answer a read that started after an event or a write with the machine as it was before it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 40 }), async (ops) => {
        const clock = createManualClock();
        const world = upstream();
        const cache = createReadCache({
          store: createMemoryCacheStore({ now: () => clock.now() }),
          clock,
          enabled: true,
          ttlMs,
          staleMs: 60_000,
        });
        const fly = withReadCache(world.fly, cache, 'tenant');
        const pending: Promise<void>[] = [];
        for (const step of ops) {
          if (step.kind === 'get' || step.kind === 'list') {
            // The newest version any change had reached when this read started: the least it may answer with.
            const floor = world.versions.get(step.id)!;
            world.setDelay(step.delay);
            const read =
              step.kind === 'get'
                ? fly.machines.get({ app: 'web', machineId: step.id }).then((m) => Number(m.version))
                : fly.machines.listAll({ app: 'web' }).then((list) => Number(list.find((m) => m.id === step.id)!.version));
            pending.push(read.then((version) => expect(version).toBeGreaterThanOrEqual(floor)));
          } else if (step.kind === 'event') {
            // Fly changed the machine and the event about it arrived (the gateway's ingest hook drops the entries).
            world.change(step.id);
            await cache.invalidate(machineChangeTags('web', step.id));
          } else if (step.kind === 'write') {
            await fly.machines.stop({ app: 'web', machineId: step.id });
          } else if (step.kind === 'settle') {
            await Promise.all(pending.splice(0));
          } else if (step.kind === 'advance') {
            await clock.advance(step.ms);
          }
        }
        await Promise.all(pending);
      }),
      { numRuns: 300 },
    );
  });
});
