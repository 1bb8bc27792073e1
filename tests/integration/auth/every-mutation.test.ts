import { getNamedType, isInputObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '#src/api/auth/keys.js';
import { createEmulator, type Emulator } from '#src/emulator/emulator.js';
import { ROUTES } from '#src/emulator/route-table.js';
import { buildTestGateway, INSTANT, type BuiltTestGateway } from '../../helpers/test-gateway.js';
import { printedSchema, rootRequest } from '../../helpers/schema-samples.js';

// Every mutation of the printed schema, whoever added it, is held to the same rule: a caller who may not write gets
// a refusal and Fly receives no write. The inputs are made from the schema itself (each required field filled with a
// plausible value), so a mutation added later is covered without touching this file.

const schema = printedSchema();
const mutations = Object.values(schema.getMutationType()!.getFields());
const WRITES = new Set<string>(ROUTES.filter((route) => route.method !== 'GET').map((route) => route.id));

const APP = 'guarded-app';

/** A mutation call with its required arguments; an app or name is the guarded app. */
function request(field: (typeof mutations)[number]): { query: string; variables: Record<string, unknown> } {
  return rootRequest('mutation', field, { app: APP, name: APP });
}

interface Answer {
  status: number;
  body: { data?: Record<string, { __typename?: string } | null> | null; errors?: { extensions?: { code?: string } }[] };
}

/** A refusal: a typed ForbiddenError or NotFoundError result, or a FORBIDDEN / NOT_FOUND / UNAUTHENTICATED error. */
function refused(answer: Answer, field: string): boolean {
  const result = answer.body.data?.[field];
  if (result?.__typename === 'ForbiddenError' || result?.__typename === 'NotFoundError') return true;
  const codes = (answer.body.errors ?? []).map((error) => error.extensions?.code);
  return codes.length > 0 && codes.every((code) => code === 'FORBIDDEN' || code === 'NOT_FOUND' || code === 'UNAUTHENTICATED');
}

/** Whether the mutation names an app in its input (`input.app`, or `input.name` for the app itself). */
function targetsApp(field: (typeof mutations)[number]): boolean {
  const input = field.args.find((arg) => arg.name === 'input');
  const type = input && getNamedType(input.type);
  return Boolean(type && isInputObjectType(type) && 'app' in type.getFields());
}

const writesSent = (emu: Emulator) =>
  Object.entries(emu.requestCounts())
    .filter(([route, count]) => WRITES.has(route) && count > 0)
    .map(([route]) => route);

describe('every mutation refuses a caller who may not write, and sends Fly nothing', () => {
  it(`should know the ${mutations.length} mutations of the printed schema`, () => {
    expect(mutations.length).toBeGreaterThan(50);
  });

  describe('api-keys: a read-only key', () => {
    const reader = createKey('reader', new Set(['read']));
    let built: BuiltTestGateway;
    beforeAll(async () => {
      built = await buildTestGateway({ env: { AUTH_MODE: 'api-keys', API_KEYS: reader.entry, CALLER_RATE_LIMIT: '0' } });
      built.emu.control.createApp(APP);
    });
    afterAll(() => built.close());

    it.each(mutations.map((field) => [field.name, field] as const))('should refuse %s', async (name, field) => {
      built.emu.resetRequestCounts();
      const response = await built.gateway.fetch('http://gateway/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${reader.key}` },
        body: JSON.stringify(request(field)),
      });
      const answer: Answer = { status: response.status, body: (await response.json()) as Answer['body'] };
      expect(refused(answer, name), JSON.stringify(answer.body).slice(0, 400)).toBe(true);
      expect(writesSent(built.emu)).toEqual([]);
    });
  });

  describe('fly-token: a token that cannot reach the app', () => {
    const OWNER = 'emu_owner_guard_0123456789abcdef';
    const STRANGER = 'emu_stranger_guard_0123456789abcdef';
    let emu: Emulator;
    let built: BuiltTestGateway;
    beforeAll(async () => {
      emu = createEmulator({ seed: 'none', delays: INSTANT, scopedTokens: { [OWNER]: [APP], [STRANGER]: ['elsewhere'] } });
      await emu.start({ port: 0, host: '127.0.0.1' });
      built = await buildTestGateway({
        emulator: emu,
        env: { AUTH_MODE: 'fly-token', CACHE_RESPONSE_MAX_BYTES: '0', CALLER_RATE_LIMIT: '0' },
      });
      emu.control.createApp(APP);
      emu.control.createApp('elsewhere');
    });
    afterAll(async () => {
      await built.close();
      await emu.stop();
    });

    it.each(mutations.map((field) => [field.name, field] as const))('should refuse %s', async (_name, field) => {
      emu.resetRequestCounts();
      const response = await built.gateway.fetch('http://gateway/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${STRANGER}` },
        body: JSON.stringify(request(field)),
      });
      const answer: Answer = { status: response.status, body: (await response.json()) as Answer['body'] };
      const invalid = answer.body.data?.[field.name]?.__typename === 'InvalidInputError';
      expect(refused(answer, field.name) || invalid, JSON.stringify(answer.body).slice(0, 400)).toBe(true);
      if (invalid || targetsApp(field)) {
        // Refused before Fly, or the token's access to the app was checked (a read, with its own token) first.
        expect(writesSent(emu)).toEqual([]);
      }
      // Anything else (a Postgres cluster, a new app) is sent with the stranger's own token, and Fly refused it:
      // the answer above is that refusal, as Fly would give it to the caller directly.
    });
  });
});
