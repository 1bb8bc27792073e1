/** Test harness for the Fly client: an undici MockAgent as dispatcher and a manual clock. */
import { MockAgent, type Interceptable } from 'undici';
import { createManualClock, type ManualClock } from '#src/lib/clock.js';
import { createFlyClient } from '#src/flyio/client.js';
import type { FlyCallRecord, FlyClient, FlyClientOptions } from '#src/flyio/types.js';

export const BASE_URL = 'http://fly.test';
export const TOKEN = 'test-token-s3cr3t-value';

/** Everything a client test needs. */
export interface Harness {
  client: FlyClient;
  agent: MockAgent;
  pool: Interceptable;
  clock: ManualClock;
  calls: FlyCallRecord[];
}

/** Builds a client over a MockAgent (network disabled) and a manual clock. */
export function createHarness(overrides: Partial<FlyClientOptions> = {}): Harness {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const clock = createManualClock();
  const calls: FlyCallRecord[] = [];
  const client = createFlyClient({
    baseUrl: BASE_URL,
    token: TOKEN,
    dispatcher: agent,
    clock,
    random: () => 0.5,
    onCall: (record) => calls.push(record),
    ...overrides,
  });
  return { client, agent, pool: agent.get(BASE_URL), clock, calls };
}

/** A machine body as Fly returns it, with overrides. */
export function buildMachine(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: '1857156b526dd8',
    name: 'web-1',
    state: 'started',
    region: 'ams',
    version: '01H000000000000000000000AA',
    instance_id: '01H000000000000000000000AA',
    private_ip: 'fdaa::1',
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    config: { image: 'nginx:latest', metadata: { role: 'web' } },
    events: [],
    ...overrides,
  };
}

/** An app body as Fly returns it, with overrides. */
export function buildApp(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { id: 'app-id-1', name: 'my-app', status: 'deployed', organization: { slug: 'personal', name: 'Personal' }, ...overrides };
}

/** Lets pending promise chains run without moving the clock. */
export async function flush(clock: ManualClock): Promise<void> {
  await clock.advance(0);
}

/**
 * Moves the manual clock forward in small steps until `promise` settles (or `maxMs` passes), so backoff sleeps
 * and rate-budget queues elapse without real waiting. Returns the promise for assertions.
 */
export async function settle<T>(clock: ManualClock, promise: Promise<T>, stepMs = 10, maxMs = 9000): Promise<T> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  for (let elapsed = 0; elapsed < maxMs && !done; elapsed += stepMs) await clock.advance(stepMs);
  return promise;
}

/** Resolves to the rejection reason of `promise` (fails if it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

/** An error shaped like a socket failure from Node. */
export function socketError(code: string): Error {
  return Object.assign(new Error(`socket failure ${code}`), { code });
}
