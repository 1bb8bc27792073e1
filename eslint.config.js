// Lint rules for the whole repository: the recommended JavaScript and typescript-eslint sets, plus a few rules that
// keep the layering honest. Formatting is Prettier's job, so no stylistic rules live here.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'schema/generated/**',
      '.stryker-tmp/**',
      'reports/**',
      'bench/node_modules/**',
      'bench/.out/**',
      'dist/**',
      'coverage/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-namespace': 'off',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    // Services declare the ports they need; Redis and HTTP stay in infra and api.
    files: ['src/services/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'ioredis', message: 'services depend on ports; Redis adapters live in src/infra/redis/' }] },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'Request', message: 'services never see HTTP: parse in src/api/http/' },
        { name: 'Response', message: 'services never see HTTP: answer in src/api/http/' },
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/main.ts', 'src/emulator/main.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'only src/main.ts reads the environment' }],
    },
  },
);
