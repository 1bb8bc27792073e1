import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { createYoga } from 'graphql-yoga';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '#src/api/auth/keys.js';
import { buildTestGateway, type BuiltTestGateway } from '../../helpers/test-gateway.js';

// Flygate composed into a real supergraph: a second "teams" subgraph owns Team and points at Flygate's App by its
// key; bench/'s Mesh compose builds the supergraph from both subgraphs over HTTP, and Hive Gateway serves it.

/** bench/ holds the composition and gateway packages so the product's own dependencies stay lean. */
const benchRequire = createRequire(new URL('../../../bench/package.json', import.meta.url));
const importFromBench = async (name: string): Promise<any> => import(benchRequire.resolve(name));

const reader = createKey('supergraph', new Set(['read']));

const TEAMS_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])
  type Query { teams: [Team!]! }
  type Team @key(fields: "name") { name: String! apps: [App] }
  type App @key(fields: "name", resolvable: false) { name: String! }
`;
const TEAMS = [
  { name: 'payments', apps: [{ name: 'pay-api' }, { name: 'pay-worker' }] },
  { name: 'search', apps: [{ name: 'search-web' }, { name: 'never-created' }] },
];

const ENTITY_QUERY = '{ teams { name apps { name machines { nodes { state } } } } }';

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

/** Whether bench/'s packages are installed (`npm --prefix bench ci`; `.ci/run` always installs them). */
function benchInstalled(): boolean {
  try {
    benchRequire.resolve('@graphql-mesh/compose-cli');
    benchRequire.resolve('@graphql-hive/gateway-runtime');
    return true;
  } catch {
    return false;
  }
}

if (!benchInstalled() && process.env.CI !== 'true') {
  // A fresh clone's `npm install` does not install bench/; CI does, and there a missing package fails the suite.
  describe('Flygate in a supergraph', () => {
    it('should compose with a second subgraph through Hive Gateway (needs `npm --prefix bench ci`)', (context) => {
      context.skip('skipped: bench/ packages are not installed; run `npm --prefix bench ci` to include this test');
    });
  });
} else
  describe('Flygate in a supergraph', () => {
    let flygate: BuiltTestGateway;
    let teams: Server;
    let gateway: { fetch(url: string, init?: RequestInit): Promise<Response>; dispose(): Promise<void> | void };

    const ask = async (query: string, authorization?: string) => {
      const response = await gateway.fetch('http://supergraph/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...(authorization ? { authorization } : {}) },
        body: JSON.stringify({ query }),
      });
      return (await response.json()) as { data?: any; errors?: { message: string; path?: unknown[]; extensions?: { code?: string } }[] };
    };

    beforeAll(async () => {
      flygate = await buildTestGateway({
        listen: true,
        env: { FEDERATION: 'true', AUTH_MODE: 'api-keys', API_KEYS: reader.entry, CACHE_RESPONSE_MAX_BYTES: '0' },
      });
      flygate.emu.control.createApp('pay-api');
      flygate.emu.control.createApp('pay-worker');
      flygate.emu.control.createApp('search-web');
      flygate.emu.control.createMachine('pay-api', { state: 'started' });
      flygate.emu.control.createMachine('pay-api', { state: 'stopped' });
      flygate.emu.control.createMachine('search-web', { state: 'started' });

      const schema = buildSubgraphSchema({
        typeDefs: parse(TEAMS_SDL),
        resolvers: {
          Query: { teams: () => TEAMS },
          Team: { __resolveReference: (ref: { name: string }) => TEAMS.find((t) => t.name === ref.name) },
        },
      });
      teams = createServer(createYoga({ schema, logging: false }));
      const teamsUrl = await listen(teams);

      const { getComposedSchemaFromConfig, loadGraphQLHTTPSubgraph } = await importFromBench('@graphql-mesh/compose-cli');
      const quiet = { child: () => quiet, debug() {}, info() {}, warn() {}, error() {} };
      // Flygate's subgraph SDL needs a key, like any query: the compose step sends it as a schema header.
      const supergraph: string = await getComposedSchemaFromConfig(
        {
          subgraphs: [
            {
              sourceHandler: loadGraphQLHTTPSubgraph('flygate', {
                endpoint: flygate.url,
                federation: true,
                // Hive Gateway sends subscriptions to Flygate as SSE GETs: the header marks them as no browser's.
                operationHeaders: { 'x-graphql-csrf': '1' },
                schemaHeaders: { authorization: `Bearer ${reader.key}` },
              }),
            },
            { sourceHandler: loadGraphQLHTTPSubgraph('teams', { endpoint: teamsUrl, federation: true }) },
          ],
        },
        quiet,
      );
      expect(supergraph).toContain('join__type(graph: FLYGATE, key: "name")');

      const { createGatewayRuntime } = await importFromBench('@graphql-hive/gateway-runtime');
      gateway = createGatewayRuntime({
        supergraph,
        logging: false,
        // The gateway must hand the caller's credentials on: Flygate checks them on every entity it resolves.
        propagateHeaders: {
          fromClientToSubgraphs: ({ request }: { request: Request }) => ({
            authorization: request.headers.get('authorization') ?? undefined,
          }),
        },
      });
    }, 30_000);

    afterAll(async () => {
      await gateway?.dispose();
      await new Promise((resolve) => teams?.close(resolve));
      await flygate?.close();
    });

    it('should resolve apps of another subgraph through Flygate, with machines, and null for an app that does not exist', async () => {
      const result = await ask(ENTITY_QUERY, `Bearer ${reader.key}`);
      // Teams names an app Fly does not have: Flygate resolves that entity to null, which Hive Gateway reports at
      // that app's path only; everything else stands.
      expect(result.errors?.map((e) => e.path)).toEqual([['teams', 1, 'apps', 1, 'machines']]);
      const byName = Object.fromEntries(result.data.teams.map((t: any) => [t.name, t.apps]));
      const payApi = byName.payments.find((a: any) => a?.name === 'pay-api');
      expect(payApi.machines.nodes.map((n: { state: string }) => n.state).sort()).toEqual(['STARTED', 'STOPPED']);
      expect(byName.payments.find((a: any) => a?.name === 'pay-worker').machines.nodes).toEqual([]);
      expect(byName.search[0].machines.nodes).toEqual([{ state: 'STARTED' }]);
      expect(byName.search[1]).toBeNull();
    });

    it("should refuse Flygate's part to a caller the gateway forwards no key for", async () => {
      const result = await ask(ENTITY_QUERY);
      expect(JSON.stringify(result.data ?? null)).not.toContain('STARTED');
      expect(result.errors?.length).toBeGreaterThan(0);
    });

    it("should pass a subscription through the gateway to Flygate's own", async () => {
      const response = await gateway.fetch('http://supergraph/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${reader.key}` },
        body: JSON.stringify({ query: 'subscription { health(intervalSeconds: 1) { ok mode } }' }),
      });
      expect(response.headers.get('content-type')).toContain('text/event-stream');
      const reader$ = response.body!.getReader();
      const decoder = new TextDecoder();
      const events: any[] = [];
      let buffered = '';
      while (events.length < 2) {
        const { value, done } = await reader$.read();
        if (done) break;
        buffered += decoder.decode(value, { stream: true });
        const parts = buffered.split('\n\n');
        buffered = parts.pop() ?? '';
        for (const part of parts) {
          const data = part.split('\n').find((line) => line.startsWith('data:'));
          if (data && part.includes('event: next')) events.push(JSON.parse(data.slice(5)));
        }
      }
      await reader$.cancel();
      expect(events).toHaveLength(2);
      for (const event of events) expect(event.data.health).toEqual({ ok: true, mode: expect.any(String) });
    });
  });
