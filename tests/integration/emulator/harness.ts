import { createManualClock, type ManualClock } from '#src/lib/clock.js';
import { createEmulator, type Emulator, type EmulatorOptions } from '#src/emulator/emulator.js';

/** Token every harness emulator accepts. */
export const TOKEN = 'emu_test_token';

/** A started emulator on an ephemeral loopback port, driven by a manual clock. */
export interface Harness {
  emu: Emulator;
  clock: ManualClock;
  /** fetch against `/v1<path>` with the bearer token and a JSON body when `body` is given. */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  /** Same as {@link call} but parses the JSON answer (undefined when empty). */
  json<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: T; headers: Headers }>;
  /** Resolves once the clock holds at least `n` pending timers (e.g. a long-poll reached the server). */
  timersAtLeast(n: number): Promise<void>;
  close(): Promise<void>;
}

/** Delays used by the harness unless overridden: distinct so tests can tell phases apart. */
export const DELAYS = { start: 1000, stop: 1000, restart: 2000, suspend: 1500, destroy: 500, update: 3000, create: 200 };

/** Starts an emulator for one test. */
export async function startHarness(options: EmulatorOptions = {}): Promise<Harness> {
  const clock = createManualClock();
  const emu = createEmulator({ token: TOKEN, clock, delays: DELAYS, ...options });
  await emu.start({ port: 0 });
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${emu.url}/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  return {
    emu,
    clock,
    call,
    async json(method, path, body, headers) {
      const res = await call(method, path, body, headers);
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
    },
    async timersAtLeast(n) {
      for (let i = 0; i < 10_000 && clock.pendingTimers() < n; i++) await new Promise((r) => setImmediate(r));
      if (clock.pendingTimers() < n) throw new Error(`expected ${n} pending timers, have ${clock.pendingTimers()}`);
    },
    close: () => emu.stop(),
  };
}

/** A minimal valid machine config. */
export function buildConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { image: 'registry.fly.io/test-app:v1', guest: { cpu_kind: 'shared', cpus: 1, memory_mb: 256 }, ...overrides };
}
