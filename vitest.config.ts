import { createRequire } from 'node:module';
import { configDefaults, defineConfig } from 'vitest/config';
import { hasNatsServer, hasRedisServer, NATS_TEST_FILES, REDIS_TEST_FILES } from './tests/redis-availability.js';

const require = createRequire(import.meta.url);

/**
 * graphql ships both `index.js` (what Node and yoga load) and `index.mjs` (what Vite would pick for our sources).
 * Two copies break `instanceof GraphQLError`, so tests resolve `graphql` exactly as Node does in production.
 */
export const sharedResolve = { alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }] };

const skipRedisTests = process.env.CI !== 'true' && !hasRedisServer();
if (skipRedisTests) {
  console.warn(`Redis tests left out: redis-server is not installed (${REDIS_TEST_FILES.length} patterns). CI always runs them.`);
}

const skipNatsTests = process.env.CI !== 'true' && !hasNatsServer();
if (skipNatsTests) console.warn('NATS tests left out: nats-server is not installed. CI always runs them.');

export default defineConfig({
  resolve: sharedResolve,
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    exclude: [...configDefaults.exclude, ...(skipRedisTests ? REDIS_TEST_FILES : []), ...(skipNatsTests ? NATS_TEST_FILES : [])],
    globalSetup: ['tests/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
