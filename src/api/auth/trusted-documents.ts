import { readFileSync } from 'node:fs';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** The trusted-documents manifest: `sha256:<hex>` → document text (codegen's `persisted-documents.json`). */
export type TrustedDocuments = ReadonlyMap<string, string>;

/** `extensions.code` when an operation is not sent by id while trusted documents are on. */
export const TRUSTED_ONLY = 'PERSISTED_QUERY_ONLY';
/** `extensions.code` when the id is not in the manifest. */
export const TRUSTED_NOT_FOUND = 'PERSISTED_QUERY_NOT_FOUND';

/** Reads the manifest; a file that is not a JSON object of strings is refused with what is wrong. */
export function loadTrustedDocuments(file: string): TrustedDocuments {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`GRAPHQL_TRUSTED_DOCUMENTS: cannot read ${file} as JSON (${(error as NodeJS.ErrnoException).code ?? 'invalid JSON'})`, {
      cause: error,
    });
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed) || Object.values(parsed).some((v) => typeof v !== 'string')) {
    throw new Error(`GRAPHQL_TRUSTED_DOCUMENTS: ${file} must map document ids to document text`);
  }
  return new Map(Object.entries(parsed as Record<string, string>));
}

/** The document id a request names: `documentId`, or Apollo's `extensions.persistedQuery.sha256Hash`. */
export function documentIdOf(params: { documentId?: unknown; extensions?: unknown }): string | undefined {
  if (typeof params.documentId === 'string' && params.documentId !== '') return params.documentId;
  const hash = (params.extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery?.sha256Hash;
  if (typeof hash !== 'string' || hash === '') return undefined;
  return hash.startsWith('sha256:') ? hash : `sha256:${hash}`;
}

const onlyError = () =>
  new GraphQLError('This gateway runs trusted documents only: send a documentId from the manifest instead of a query.', {
    extensions: { code: TRUSTED_ONLY, http: { status: 400 } },
  });
const notFoundError = () =>
  new GraphQLError('The documentId is not in the trusted-documents manifest.', {
    extensions: { code: TRUSTED_NOT_FOUND, http: { status: 400 } },
  });

/** HTTP (and SSE): only documents from the manifest run, by id; a request with its own query text is refused. */
export function useTrustedDocuments(documents: TrustedDocuments): Plugin {
  return usePersistedOperations({
    allowArbitraryOperations: false,
    extractPersistedOperationId: (params) => documentIdOf(params as { documentId?: unknown; extensions?: unknown }) ?? null,
    getPersistedOperation: (id) => documents.get(id) ?? null,
    customErrors: { persistedQueryOnly: () => onlyError(), keyNotFound: () => onlyError(), notFound: () => notFoundError() },
  });
}

/** graphql-ws: the text of the document a subscribe message names, or the error it gets. */
export function trustedQueryOf(
  documents: TrustedDocuments,
  payload: { query?: unknown; documentId?: unknown; extensions?: unknown },
): string | GraphQLError {
  const id = documentIdOf(payload);
  if (id === undefined) return onlyError();
  return documents.get(id) ?? notFoundError();
}
