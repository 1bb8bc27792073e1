import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '#src/api/auth/keys.js';
import { createEmulator, type Emulator } from '#src/emulator/emulator.js';
import { createManualClock } from '#src/lib/clock.js';
import { upstream429s, type QueryAnswer } from '../../helpers/gateway-queries.js';
import { buildTestGateway, INSTANT, type BuiltTestGateway } from '../../helpers/test-gateway.js';

const poller = createKey('poller', new Set(['read']));
const dashboard = createKey('dashboard', new Set(['read']));

/** Two read keys, Fly's budget kept by the gateway, no per-caller allowance (Fly's budget is what is under test). */
const ENV = {
  AUTH_MODE: 'api-keys',
  API_KEYS: `${poller.entry},${dashboard.entry}`,
  CALLER_RATE_LIMIT: '0',
  FLY_RATE_LIMIT: 'true',
};

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("Fly's rate budget shared between API keys", () => {
  let emu: Emulator;
  let built: BuiltTestGateway | undefined;
  const ask = async (key: string, query: string): Promise<QueryAnswer> => {
    const response = await built!.gateway.fetch('http://gateway/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query }),
    });
    return (await response.json()) as QueryAnswer;
  };
  const codes = (answer: QueryAnswer) => (answer.errors ?? []).map((e) => e.extensions?.code as string);

  beforeAll(async () => {
    // The emulator enforces Fly's documented limits itself: a 429 here would mean the gateway overspent.
    emu = createEmulator({ seed: 'none', delays: INSTANT, rateLimit: true });
    await emu.start({ port: 0, host: '127.0.0.1' });
  });
  afterEach(async () => {
    await built?.close();
    built = undefined;
  });
  afterAll(async () => emu?.stop());

  it("should answer the dashboard's uncached reads while the key polling above the budget is the one shed", async () => {
    built = await buildTestGateway({ emulator: emu, env: { ...ENV, CACHE_ENABLED: 'false' } });
    emu.control.createApp('fair-list');
    emu.control.createMachine('fair-list', { state: 'started', config: { image: 'x:1' } });
    // List Machines: 1 a second, burst 3, per app. The poller asks 10 times a second, each time a page size of its
    // own (identical reads in flight would share one call); the dashboard every 2 s, its half of the budget.
    const page = (n: number) => `{ machines(app: "fair-list", first: ${n}) { nodes { state } } }`;
    const tally = { poller: { sent: 0, limited: 0 }, dashboard: { sent: 0, limited: 0, other: 0 } };
    const pending: Promise<void>[] = [];
    const polling = setInterval(() => {
      tally.poller.sent += 1;
      const answer = ask(poller.key, page(100 + tally.poller.sent));
      pending.push(answer.then((a) => void (tally.poller.limited += codes(a).includes('RATE_LIMITED') ? 1 : 0)));
    }, 100);
    // The dashboard comes once the poller is polling steadily (what it queued before it was first shed has gone).
    await pause(3_000);
    for (let i = 0; i < 5; i++) {
      const answer = await ask(dashboard.key, page(i + 1));
      tally.dashboard.sent += 1;
      if (codes(answer).includes('RATE_LIMITED')) tally.dashboard.limited += 1;
      else if (answer.errors || answer.data?.machines?.nodes?.[0]?.state !== 'STARTED') tally.dashboard.other += 1;
      await pause(2_000);
    }
    clearInterval(polling);
    await Promise.all(pending);

    expect(tally.dashboard).toEqual({ sent: 5, limited: 0, other: 0 });
    expect(tally.poller.limited / tally.poller.sent).toBeGreaterThan(0.5);
    expect(await upstream429s(built)).toBe(0);
  }, 30_000);

  it("should answer a shed read from another key's expired entry rather than with RATE_LIMITED", async () => {
    // The cache runs on a manual clock (entries expire when the test says); Fly's budget on real time.
    const clock = createManualClock(Date.now());
    built = await buildTestGateway({ emulator: emu, gatewayClock: clock, env: { ...ENV, CACHE_RESPONSE_MAX_BYTES: '0' } });
    emu.control.createApp('fair-stale');
    emu.control.createMachine('fair-stale', { state: 'started', config: { image: 'x:1' } });
    const list = `{ machines(app: "fair-stale") { nodes { machineId } } }`;
    const fresh = await ask(dashboard.key, list);
    expect(fresh.errors).toBeUndefined();
    await clock.advance(31_000);

    // The poller spends the app's List Machines budget with distinct reads (nothing to share, nothing cached)...
    const spending = Array.from({ length: 12 }, (_, i) =>
      ask(poller.key, `{ machines(app: "fair-stale", first: ${i + 1}) { nodes { machineId } } }`),
    );
    const shed = await Promise.race([Promise.all(spending), pause(300).then(() => undefined)]);
    expect(shed).toBeUndefined();
    // ...so its next read is shed too; the dashboard's expired entry answers it instead.
    const stale = await ask(poller.key, list);
    expect(stale.errors).toBeUndefined();
    expect(stale.data).toEqual(fresh.data);
    expect(stale.extensions?.cache).toMatchObject({ stale: 1 });
    const answers = await Promise.all(spending);
    expect(answers.filter((answer) => codes(answer).includes('RATE_LIMITED')).length).toBeGreaterThan(0);
    expect(await upstream429s(built)).toBe(0);
  }, 30_000);
});
