import { defineConfig } from 'vitest/config';
import { sharedResolve } from './vitest.config.js';

/**
 * Unit tests only: no Redis, no child processes, no global setup. Stryker drives its runs with this config
 * (`npm run test:mutation`); `npx vitest run --config vitest.unit.config.ts` runs the same set by hand.
 */
export default defineConfig({
  resolve: sharedResolve,
  test: {
    include: ['tests/unit/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
