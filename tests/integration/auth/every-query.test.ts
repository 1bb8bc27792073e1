import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '#src/api/auth/keys.js';
import { createEmulator, type Emulator } from '#src/emulator/emulator.js';
import { buildTestGateway, INSTANT, type BuiltTestGateway } from '../../helpers/test-gateway.js';
import { printedSchema, rootRequest, type SampleValues } from '../../helpers/schema-samples.js';

// Every query field of the printed schema, whoever adds it, is held to the rules of who may see what: without
// credentials nothing is answered and Fly is asked nothing; a key limited to other apps, or a Fly token that cannot
// reach the app, is refused or answered without a trace of the app. Arguments are made from the schema, naming the
// guarded app and its real machine, volume and certificate, so a field added later is covered without touching this.

const schema = printedSchema();
const queries = Object.values(schema.getQueryType()!.getFields());
/**
 * Three levels below each root field (an app's machines' config, a connection's nodes); one below `node`, whose
 * possible types are many.
 */
const deep = (field: string) => ({ schema, depth: field === 'node' ? 1 : 3 });

const APP = 'guarded-query-app';
const OWNER = 'emu_owner_query_0123456789abcdef';
const STRANGER = 'emu_stranger_query_0123456789abcdef';

interface Answer {
  status: number;
  body: { data?: Record<string, unknown> | null; errors?: { extensions?: { code?: string } }[] };
}

/** The guarded app's objects, created once in the emulator: what a refused caller must never see. */
interface Guarded {
  named: SampleValues;
  /** Strings that identify the app's objects (its name, machine, volume, certificate host). */
  traces: string[];
}

function seed(emu: Emulator): Guarded {
  emu.control.createApp(APP);
  emu.control.createApp('elsewhere');
  const machine = emu.control.createMachine(APP, { state: 'started', config: { image: 'guarded:1' } });
  const volume = emu.control.createVolume(APP, { name: 'guarded_data', region: 'ord' });
  const hostname = 'guarded.example.com';
  emu.control.addCertificate(APP, hostname);
  emu.control.allocateIp(APP, { type: 'v6' });
  const volumeId = String(volume['id']);
  return {
    named: { app: APP, name: APP, machineId: machine.id, volumeId, hostname, id: 'dep_0123456789abcdef0123', memoryMb: 256 },
    traces: [APP, machine.id, volumeId, hostname],
  };
}

async function ask(built: BuiltTestGateway, request: object, authorization?: string): Promise<Answer> {
  const response = await built.gateway.fetch('http://gateway/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify(request),
  });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

const codes = (answer: Answer) => (answer.body.errors ?? []).map((error) => error.extensions?.code);

/** Refused outright: errors only, each FORBIDDEN, NOT_FOUND or UNAUTHENTICATED, and no data for the field. */
function refused(answer: Answer, field: string): boolean {
  const all = codes(answer);
  const value = answer.body.data?.[field];
  return all.length > 0 && all.every((code) => code === 'FORBIDDEN' || code === 'NOT_FOUND' || code === 'UNAUTHENTICATED') && !value;
}

/** Refused, or answered with nothing that names the guarded app's objects. */
function keptOut(answer: Answer, field: string, traces: readonly string[]): boolean {
  if (refused(answer, field)) return true;
  const data = JSON.stringify(answer.body.data ?? null);
  return traces.every((trace) => !data.includes(trace));
}

/** Every Fly route the emulator counted since its last reset. */
const flyCalls = (emu: Emulator) => Object.values(emu.requestCounts()).reduce((sum, count) => sum + count, 0);

/** Global ids of the guarded app's objects, read with an all-powerful caller. */
async function nodeIds(built: BuiltTestGateway, authorization: string): Promise<string[]> {
  const answer = await ask(
    built,
    { query: `{ app(name: "${APP}") { id machines { nodes { id } } volumes { nodes { id } } } }` },
    authorization,
  );
  const app = answer.body.data?.['app'] as { id: string; machines: { nodes: { id: string }[] }; volumes: { nodes: { id: string }[] } };
  return [app.id, ...app.machines.nodes.map((node) => node.id), ...app.volumes.nodes.map((node) => node.id)];
}

describe('every query field keeps the guarded app from callers who may not see it', () => {
  it(`should know the ${queries.length} query fields of the printed schema`, () => {
    expect(queries.length).toBeGreaterThan(15);
  });

  describe('api-keys', () => {
    const admin = createKey('admin', new Set(['admin']));
    // Every scope, limited to another app: what it may do, it may do only there.
    const elsewhere = createKey('elsewhere', new Set(['read', 'write', 'secrets']), 'elsewhere');
    let built: BuiltTestGateway;
    let guarded: Guarded;
    let ids: string[];
    beforeAll(async () => {
      built = await buildTestGateway({
        env: {
          AUTH_MODE: 'api-keys',
          API_KEYS: [admin.entry, elsewhere.entry].join(','),
          CALLER_RATE_LIMIT: '0',
          CACHE_RESPONSE_MAX_BYTES: '0',
        },
      });
      guarded = seed(built.emu);
      ids = await nodeIds(built, `Bearer ${admin.key}`);
    });
    afterAll(() => built.close());
    const shownToAdmin = new Set<string>();

    it.each(queries.map((field) => [field.name, field] as const))(
      'should answer %s without credentials with UNAUTHENTICATED and ask Fly nothing',
      async (name, field) => {
        built.emu.resetRequestCounts();
        const answer = await ask(built, rootRequest('query', field, guarded.named, deep(field.name)));
        expect(codes(answer), JSON.stringify(answer.body).slice(0, 300)).toContain('UNAUTHENTICATED');
        expect(answer.body.data?.[name] ?? null).toBeNull();
        expect(flyCalls(built.emu)).toBe(0);
      },
    );

    it.each(queries.map((field) => [field.name, field] as const))(
      'should keep %s from a key limited to other apps',
      async (name, field) => {
        const answer = await ask(built, rootRequest('query', field, guarded.named, deep(field.name)), `Bearer ${elsewhere.key}`);
        const own = await ask(built, rootRequest('query', field, guarded.named, deep(field.name)), `Bearer ${admin.key}`);
        if (!keptOut(own, name, guarded.traces)) shownToAdmin.add(name);
        expect(keptOut(answer, name, guarded.traces), JSON.stringify(answer.body).slice(0, 400)).toBe(true);
      },
    );

    it('should have shown the guarded app to the admin key in most of those fields (the check above had something to hide)', () => {
      expect([...shownToAdmin].sort()).toEqual(expect.arrayContaining(['app', 'apps', 'logs', 'machine', 'machines', 'volumes']));
    });

    it("should refuse the guarded app's objects by global id to a key limited to other apps", async () => {
      expect(ids.length).toBeGreaterThanOrEqual(3);
      for (const id of ids) {
        const answer = await ask(
          built,
          { query: 'query($id: ID!) { node(id: $id) { id } }', variables: { id } },
          `Bearer ${elsewhere.key}`,
        );
        expect(keptOut(answer, 'node', [...guarded.traces, id]), JSON.stringify(answer.body).slice(0, 300)).toBe(true);
      }
    });
  });

  describe('fly-token: a token that cannot reach the app', () => {
    let emu: Emulator;
    let built: BuiltTestGateway;
    let guarded: Guarded;
    let ids: string[];
    beforeAll(async () => {
      emu = createEmulator({ seed: 'none', delays: INSTANT, scopedTokens: { [OWNER]: [APP], [STRANGER]: ['elsewhere'] } });
      await emu.start({ port: 0, host: '127.0.0.1' });
      built = await buildTestGateway({
        emulator: emu,
        env: { AUTH_MODE: 'fly-token', CACHE_RESPONSE_MAX_BYTES: '0', CALLER_RATE_LIMIT: '0' },
      });
      guarded = seed(emu);
      ids = await nodeIds(built, `Bearer ${OWNER}`);
    });
    afterAll(async () => {
      await built.close();
      await emu.stop();
    });
    const shownToOwner = new Set<string>();

    it.each(queries.map((field) => [field.name, field] as const))('should keep %s from the stranger', async (name, field) => {
      // Read first by the owner, so a shared cache entry exists that the stranger must not be served from.
      const own = await ask(built, rootRequest('query', field, guarded.named, deep(field.name)), `Bearer ${OWNER}`);
      if (!keptOut(own, name, guarded.traces)) shownToOwner.add(name);
      const answer = await ask(built, rootRequest('query', field, guarded.named, deep(field.name)), `Bearer ${STRANGER}`);
      expect(keptOut(answer, name, guarded.traces), JSON.stringify(answer.body).slice(0, 400)).toBe(true);
    });

    it('should have shown the guarded app to its owner in most of those fields (the check above had something to hide)', () => {
      expect([...shownToOwner].sort()).toEqual(expect.arrayContaining(['app', 'apps', 'logs', 'machine', 'machines', 'volumes']));
    });

    it("should refuse the guarded app's objects by global id to the stranger", async () => {
      expect(ids.length).toBeGreaterThanOrEqual(3);
      for (const id of ids) {
        const answer = await ask(built, { query: 'query($id: ID!) { node(id: $id) { id } }', variables: { id } }, `Bearer ${STRANGER}`);
        expect(keptOut(answer, 'node', [...guarded.traces, id]), JSON.stringify(answer.body).slice(0, 300)).toBe(true);
      }
    });
  });
});
