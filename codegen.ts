import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed documents for the operations in schema/operations (`npm run codegen`). The output is committed and a test
 * fails when it drifts from the schema or the operations.
 */
const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  documents: ['schema/operations/**/*.graphql'],
  ignoreNoDocuments: false,
  generates: {
    'schema/generated/': {
      preset: 'client',
      // persisted-documents.json is the trusted-documents manifest (GRAPHQL_TRUSTED_DOCUMENTS): hash -> document.
      presetConfig: { fragmentMasking: false, persistedDocuments: { hashAlgorithm: 'sha256' } },
      config: { useTypeImports: true, enumsAsTypes: true, scalars: { DateTime: 'string', JSON: 'unknown' } },
    },
  },
};

export default config;
