import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

/**
 * graphql ships both `index.js` (what Node and yoga load) and `index.mjs` (what Vite would pick for our sources).
 * Two copies break `instanceof GraphQLError`, so tests resolve `graphql` exactly as Node does in production.
 */
export const sharedResolve = { alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }] };

export default defineConfig({
  resolve: sharedResolve,
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
