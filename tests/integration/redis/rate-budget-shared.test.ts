import { describe, expect, it } from 'vitest';
import { uniqueApp, useTwoInstancesOnPrivateRedis } from '../events/harness.js';
import { queryGateway as query, upstream429s } from '../../helpers/gateway-queries.js';

describe("Fly's rate budget shared by two instances through Redis", () => {
  // The emulator enforces Fly's documented limits itself: list machines 1 req/s, burst 3, per app.
  const world = useTwoInstancesOnPrivateRedis({ emulator: { rateLimit: true }, env: { FLY_RATE_LIMIT: 'true', CACHE_ENABLED: 'false' } });

  it('should keep both instances together within the per-app budget, so Fly never answers 429', async () => {
    const { a, b, emu } = world;
    const app = uniqueApp();
    emu.control.createApp(app);
    emu.control.createMachine(app, { state: 'started', config: { image: 'x:1' } });
    emu.resetRequestCounts();
    const started = Date.now();
    const answers = await Promise.all(
      // Different page sizes: distinct reads, so nothing is shared in flight and each one needs its own call.
      Array.from({ length: 12 }, (_, i) =>
        query(i % 2 === 0 ? a : b, `{ machines(app: "${app}", first: ${i + 1}) { nodes { machineId } } }`),
      ),
    );
    const elapsedSeconds = (Date.now() - started) / 1000;

    const sent = emu.requestCounts()['machines.list'] ?? 0;
    // Burst 3, then 1 a second, for both instances together.
    expect(sent).toBeLessThanOrEqual(3 + Math.ceil(elapsedSeconds));
    expect((await upstream429s(a)) + (await upstream429s(b))).toBe(0);
    // What the budget could not fit was refused locally with RATE_LIMITED, never sent.
    const codes = answers.flatMap((answer) => answer.errors?.map((e) => e.extensions?.code) ?? []);
    expect(codes.every((code) => code === 'RATE_LIMITED')).toBe(true);
    expect(answers.length - codes.length).toBe(sent);
  }, 30_000);
});
