import { describe, it } from 'vitest';
import { uniqueApp, useTwoInstancesOnPrivateRedis } from '../events/harness.js';
import { expectOneSharedBudget } from '../../helpers/gateway-queries.js';

describe("Fly's rate budget shared by two instances through Redis", () => {
  // The emulator enforces Fly's documented limits itself: list machines 1 req/s, burst 3, per app.
  const world = useTwoInstancesOnPrivateRedis({ emulator: { rateLimit: true }, env: { FLY_RATE_LIMIT: 'true', CACHE_ENABLED: 'false' } });

  it('should keep both instances together within the per-app budget, so Fly never answers 429', async () => {
    await expectOneSharedBudget(world.a, world.b, world.emu, uniqueApp());
  }, 30_000);
});
