import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import type { EmulatorOptions, Emulator } from '#src/emulator/emulator.js';
import type { Gateway } from '#src/gateway.js';
import { createManualClock, type ManualClock } from '#src/lib/clock.js';
import { buildTestGateway, INSTANT } from './test-gateway.js';

export { INSTANT };

/** A GraphQL answer as the tests read it. */
export interface GraphQLAnswer<T> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
  extensions?: { upstreamCalls?: { total: number; byOperation: Record<string, number> } } & Record<string, unknown>;
  headers: Headers;
}

/** An in-process gateway wired to an emulator on an ephemeral loopback port, driven by a manual clock. */
export interface GatewayHarness {
  gateway: Gateway;
  emu: Emulator;
  clock: ManualClock;
  /** Sends a typed document and parses the JSON answer. */
  execute<T, V>(document: TypedDocumentNode<T, V>, variables?: V, headers?: Record<string, string>): Promise<GraphQLAnswer<T>>;
  /** Sends an arbitrary body to /graphql. */
  post(body: unknown, headers?: Record<string, string>): Promise<GraphQLAnswer<any>>;
  /** Upstream requests the emulator served since the last {@link GatewayHarness.resetCounts}, by route id. */
  counts(): Record<string, number>;
  /** Total of {@link GatewayHarness.counts}. */
  total(): number;
  resetCounts(): void;
  /** Resolves once the emulator clock holds at least `n` pending timers (e.g. a wait reached the emulator). */
  timersAtLeast(n: number): Promise<void>;
  close(): Promise<void>;
}

/** Options of {@link startGatewayHarness}. */
export interface GatewayHarnessOptions {
  seed?: 'demo' | 'none';
  /** Emulator transition delays, over {@link INSTANT}. */
  delays?: EmulatorOptions['delays'];
  /** Extra environment for loadConfig (e.g. APP_ENV=production). */
  env?: Record<string, string>;
  /** Other emulator options (e.g. `rateLimit: true`). */
  emulator?: Omit<EmulatorOptions, 'seed' | 'clock' | 'delays'>;
}

/** Starts an emulator and a gateway in front of it (no gateway socket: requests go through `gateway.fetch`). */
export async function startGatewayHarness(options: GatewayHarnessOptions = {}): Promise<GatewayHarness> {
  const clock = createManualClock();
  const { gateway, emu, close } = await buildTestGateway({
    emulatorOptions: { ...options.emulator, seed: options.seed ?? 'demo', clock, delays: options.delays },
    env: options.env,
  });

  async function post(body: unknown, headers: Record<string, string> = {}): Promise<GraphQLAnswer<any>> {
    const response = await gateway.fetch('http://gateway/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: Record<string, unknown>;
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      parsed = { raw: text };
    }
    return { status: response.status, ...(parsed as object), headers: response.headers };
  }

  return {
    gateway,
    emu,
    clock,
    execute: (document, variables, headers) => post({ query: print(document), variables: variables ?? {} }, headers),
    post,
    counts: () => emu.requestCounts(),
    total: () => Object.values(emu.requestCounts()).reduce((a, b) => a + b, 0),
    resetCounts: () => emu.resetRequestCounts(),
    async timersAtLeast(n) {
      for (let i = 0; i < 10_000 && clock.pendingTimers() < n; i++) await new Promise((r) => setImmediate(r));
      if (clock.pendingTimers() < n) throw new Error(`expected ${n} pending timers, have ${clock.pendingTimers()}`);
    },
    close,
  };
}
