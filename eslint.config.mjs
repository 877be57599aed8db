// Lint for the backend, the Custom UI apps, the local site and the tests. Warnings fail `npm test`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import jsxA11y from 'eslint-plugin-jsx-a11y';

// The rooms and the one direction imports run (README, Architecture): static → contract/domain;
// resolvers/jobs → services → domain, atlassian, store. Nothing shipped imports the local site or the tests.
const NOT_SHIPPED = [
  { group: ['**/local-site', '**/local-site/**'], message: 'The local site is not deployed: production code must not import it.' },
  { group: ['**/test/**', '**/*.test', '**/*.test.ts'], message: 'Tests are not deployed: production code must not import them.' },
];
const BACKEND_IO = ['atlassian', 'store', 'services', 'resolvers', 'jobs'].map((room) => ({
  group: [`**/src/${room}`, `**/src/${room}/**`, `../${room}`, `../${room}/**`],
  message: `src/${room} does I/O or runs on the platform; this room may not import it.`,
}));
// No Custom UI validates with zod, so no bundle carries it (the bench prints whether each does). A UI that must
// would first need `z.config({ jitless: true })`: Forge's CSP has no 'unsafe-eval' for zod's compiled checks.
const ZOD_IN_UI_MESSAGE = 'The backend validates; a UI importing zod (or a zod schema) grows its bundle and needs z.config({ jitless: true }) under Forge CSP.';
const ZOD_IN_UI = [{ group: ['**/src/domain/postmortem-schema', '**/src/domain/settings'], message: ZOD_IN_UI_MESSAGE }];
const restrictImports = (patterns, paths = []) => ['error', { patterns, paths }];
const FORGE_BACKEND = ['@forge/api', '@forge/kvs', '@forge/events', '@forge/resolver'];
const NODE_IO = ['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'http', 'node:http', 'https', 'node:https', 'net', 'node:net', 'child_process', 'node:child_process'];

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
  // Unit tests beside the code are not shipped: they may read fixtures and files.
  { files: ['src/**/*.ts'], ignores: ['**/*.test.ts'], rules: { 'no-restricted-imports': restrictImports(NOT_SHIPPED) } },
  {
    // Pure rules: no platform, no network, no storage, no files. Callers pass in what was read.
    files: ['src/domain/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': restrictImports(
        [...NOT_SHIPPED, ...BACKEND_IO, { group: ['@forge/*'], message: 'src/domain is pure: no Forge SDK.' }],
        NODE_IO.map((name) => ({ name, message: 'src/domain is pure: no I/O.' })),
      ),
    },
  },
  {
    // Use cases: they may use domain, atlassian, store and adf, never the rooms that call them.
    files: ['src/services/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': restrictImports([
        ...NOT_SHIPPED,
        ...['resolvers', 'jobs'].map((room) => ({
          group: [`**/src/${room}`, `**/src/${room}/**`, `../${room}`, `../${room}/**`],
          message: `src/services is called by resolvers and jobs; it may not import src/${room}.`,
        })),
      ]),
    },
  },
  {
    // Custom UI talks to the backend only through @forge/bridge and the shared contract.
    files: ['static/**/*.{ts,tsx}'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': restrictImports(
        [...NOT_SHIPPED, ...BACKEND_IO, { group: ['**/src/adf', '**/src/adf/**'], message: 'ADF the app writes is built on the backend.' }, ...ZOD_IN_UI],
        [...FORGE_BACKEND.map((name) => ({ name, message: 'Custom UI runs in the browser: use @forge/bridge.' })), { name: 'zod', message: ZOD_IN_UI_MESSAGE }],
      ),
    },
  },
  { files: ['static/**/*.{ts,tsx}', 'local-site/web/public/**/*.js'], languageOptions: { globals: { ...globals.browser } } },
  { files: ['local-site/web/public/**/*.js'], languageOptions: { sourceType: 'script' } },
  { files: ['**/*.test.ts', 'test/**/*.ts'], rules: { '@typescript-eslint/no-non-null-assertion': 'off' } },
  // Type-aware rules where code ships or stands in for the platform: a promise nobody awaits, a promise
  // handed where a callback's result is ignored, or an `any` flowing into typed code are bugs there.
  // `projectService` finds each file's tsconfig (root, static/, local-site/) once, so lint stays fast.
  // Tests are looser: they keep the syntactic rules above.
  ...tseslint.configs.recommendedTypeChecked.map((config) => ({
    ...config,
    files: ['src/**/*.ts', 'static/**/*.{ts,tsx}', 'local-site/**/*.ts'],
    ignores: ['**/*.test.ts'],
  })),
  {
    files: ['src/**/*.ts', 'static/**/*.{ts,tsx}', 'local-site/**/*.ts'],
    ignores: ['**/*.test.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    // The local site turns request JSON into text in many places (41 findings of no-base-to-string, to be
    // replaced by checked parsing), keeps method references in tables, and has async handlers by contract.
    // The rules that catch real mistakes there (floating or misused promises, `any` flowing in) stay on.
    files: ['local-site/**/*.ts'],
    rules: { '@typescript-eslint/no-base-to-string': 'off', '@typescript-eslint/unbound-method': 'off', '@typescript-eslint/require-await': 'off' },
  },
  {
    // React's rules of hooks and complete effect dependencies; accessible markup (the axe browser tests check
    // the rendered result, this checks the source).
    files: ['static/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  { ...jsxA11y.flatConfigs.recommended, files: ['static/**/*.tsx'] },
);
