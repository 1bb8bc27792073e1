// Mutation testing (`npm run test:mutation`, which runs Stryker through scripts/mutation.sh).
// Unit tests drive it; see docs/TESTING.md for the figures and how to check one file alone.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.unit.config.ts' },
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate: ['src/flyio/**/*.ts', 'src/services/**/*.ts', 'src/config/**/*.ts'],
  // `// @ts-nocheck` goes into sources only: the schema drift test compares schema/generated/ byte for byte.
  disableTypeChecks: 'src/**/*.ts',
  coverageAnalysis: 'perTest',
  // Module-level constants run once at import time; perTest coverage cannot attribute them to a test, so each
  // would cost a full run of every test. Skipping them keeps runs short.
  ignoreStatic: true,
  concurrency: 2,
  timeoutMS: 10_000,
  tempDirName: '.stryker-tmp',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 85, low: 70, break: null },
};
