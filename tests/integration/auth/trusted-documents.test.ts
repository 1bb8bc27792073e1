import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { loadTrustedDocuments } from '#src/api/auth/trusted-documents.js';
import { buildTestGateway, type BuiltTestGateway } from '../../helpers/test-gateway.js';

const MANIFEST = path.resolve('schema/generated/persisted-documents.json');
const documents = loadTrustedDocuments(MANIFEST);
const healthId = [...documents].find(([, text]) => text.startsWith('query Health '))![0];

describe('trusted documents', () => {
  let built: BuiltTestGateway;
  const post = async (body: object) => {
    const response = await fetch(built.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as any };
  };

  beforeAll(async () => {
    built = await buildTestGateway({ listen: true, env: { GRAPHQL_TRUSTED_DOCUMENTS: MANIFEST } });
  });
  afterAll(async () => built?.close());

  it('should run a manifest operation when it is named by documentId or by its persisted-query hash', async () => {
    const byId = await post({ documentId: healthId });
    expect(byId.status).toBe(200);
    expect(byId.json.data.health.checks.length).toBeGreaterThan(0);
    const byHash = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: healthId.slice('sha256:'.length) } } });
    expect(byHash.json.data.health).toBeDefined();
  });

  it('should refuse a query sent as text, even one the manifest holds, and an unknown id, before running anything', async () => {
    const text = await post({ query: documents.get(healthId) });
    expect(text.status).toBe(400);
    expect(text.json.errors[0].extensions.code).toBe('PERSISTED_QUERY_ONLY');
    const unknown = await post({ documentId: `sha256:${'0'.repeat(64)}` });
    expect(unknown.json.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(built.emu.requestCounts()['apps.list'] ?? 0).toBe(0);
  });

  it('should hold WebSocket operations to the manifest too', async () => {
    const client = createClient({ url: built.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0 });
    const run = (payload: Record<string, unknown>) =>
      new Promise<unknown>((resolve) => {
        client.subscribe(payload as never, { next: (r) => resolve(r), error: (e) => resolve(e), complete: () => undefined });
      });
    try {
      const refused = (await run({ query: '{ apps { nodes { name } } }' })) as { extensions?: { code?: string } }[];
      expect(refused[0].extensions?.code).toBe('PERSISTED_QUERY_ONLY');
      const allowed = (await run({ query: '', documentId: healthId })) as { data?: { health?: unknown } };
      expect(allowed.data?.health).toBeDefined();
    } finally {
      await client.dispose();
    }
  });
});
