import { expect } from 'vitest';
import type { Emulator } from '#src/emulator/emulator.js';
import type { Gateway } from '#src/gateway.js';

/** A GraphQL answer as the tests read it. */
export interface QueryAnswer {
  data?: any;
  errors?: any[];
  extensions?: any;
}

/** POSTs `text` to a gateway in process (no socket) and parses the JSON answer. */
export async function queryGateway(gw: { gateway: Gateway }, text: string): Promise<QueryAnswer> {
  const response = await gw.gateway.fetch('http://gateway/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: text }),
  });
  return response.json() as Promise<QueryAnswer>;
}

/** The machines of one app with their state. */
export const machinesOf = (app: string) => `{ machines(app: "${app}") { nodes { machineId state } } }`;

/** Upstream answers with status 429 a gateway received, read from its metrics. */
export async function upstream429s(gw: { gateway: Gateway }): Promise<number> {
  const metric = await gw.gateway.metrics.upstreamCalls.get();
  return metric.values.filter((v) => v.metricName?.endsWith('_count') && v.labels.status === '429').reduce((sum, v) => sum + v.value, 0);
}

/**
 * Twelve distinct machine lists of one new app, half through each instance at once, against an emulator enforcing
 * Fly's list budget (1 a second, burst 3, per app): both instances together stay within it (no 429 from Fly), and
 * what did not fit was refused locally with RATE_LIMITED, never sent.
 */
export async function expectOneSharedBudget(a: { gateway: Gateway }, b: { gateway: Gateway }, emu: Emulator, app: string): Promise<void> {
  emu.control.createApp(app);
  emu.control.createMachine(app, { state: 'started', config: { image: 'x:1' } });
  emu.resetRequestCounts();
  const started = Date.now();
  const answers = await Promise.all(
    // Different page sizes: distinct reads, so nothing is shared in flight and each one needs its own call.
    Array.from({ length: 12 }, (_, i) =>
      queryGateway(i % 2 === 0 ? a : b, `{ machines(app: "${app}", first: ${i + 1}) { nodes { machineId } } }`),
    ),
  );
  const elapsedSeconds = (Date.now() - started) / 1000;
  const sent = emu.requestCounts()['machines.list'] ?? 0;
  expect(sent).toBeLessThanOrEqual(3 + Math.ceil(elapsedSeconds));
  expect((await upstream429s(a)) + (await upstream429s(b))).toBe(0);
  const codes = answers.flatMap((answer) => answer.errors?.map((e: { extensions?: { code?: string } }) => e.extensions?.code) ?? []);
  expect(codes.every((code) => code === 'RATE_LIMITED')).toBe(true);
  expect(answers.length - codes.length).toBe(sent);
}
