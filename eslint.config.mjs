// Lint for the backend, the Custom UI apps, the local site and the tests. Warnings fail `npm test`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules/**', 'static/*/build/**', '.local-site/**', 'test-results/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,mjs,js}'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['warn', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      eqeqeq: ['warn', 'always', { null: 'ignore' }],
    },
  },
  {
    // The app's backend must not reach around the platform: no direct network or global fetch.
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', { name: 'fetch', message: 'Use @forge/api (api.asUser()/asApp()) so requests go through the Forge proxy.' }],
    },
  },
  { files: ['static/**/*.{ts,tsx}', 'local-site/web/public/**/*.js'], languageOptions: { globals: { ...globals.browser } } },
  { files: ['local-site/web/public/**/*.js'], languageOptions: { sourceType: 'script' } },
  { files: ['**/*.test.ts', 'test/**/*.ts'], rules: { '@typescript-eslint/no-non-null-assertion': 'off' } },
);
