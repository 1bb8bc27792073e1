import { defineConfig } from 'vitest/config';
import { sharedResolve } from './vitest.config.js';

/** The contract suite reads the published OpenAPI spec from ../shared/fly, so it runs only where that exists. */
export default defineConfig({
  resolve: sharedResolve,
  test: {
    include: ['tests/contract/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
