// @ts-check
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

// Workflow code runs in Temporal's deterministic sandbox and is replayed: it must not do I/O or read the
// clock/randomness of the host. Shared vocabulary is imported by workflows, so it obeys the same rule.
const nodeBuiltins = builtinModules.flatMap((m) => [m, `node:${m}`]);
const ioPackages = [
  '@temporalio/activity',
  '@temporalio/client',
  '@temporalio/worker',
  '@temporalio/testing',
  'kafkajs',
  'prom-client',
  '@azure/*',
  'parquet-wasm',
  'apache-arrow',
];

// Call arguments that must never be an array's spread (see the rule's block below).
export const UNBOUNDED_SPREADS = [
  {
    selector: "CallExpression[callee.object.name='Math'] > SpreadElement",
    message: 'Math.max/min(...array) throws past ~125,000 elements; use a loop.',
  },
  {
    selector:
      'CallExpression[callee.property.name=/^(push|unshift|splice|fromCharCode|fromCodePoint)$/] > SpreadElement',
    message: 'push/unshift/splice(...array) throws past ~125,000 elements; use a loop.',
  },
];

export default tseslint.config(
  { ignores: ['node_modules/', '**/dist/', '.tools/', '.state/', '.scratch/', 'lakehouse/', 'bin/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports' }],
    },
  },
  {
    // CommonJS preloads (`node --require`), e.g. soak/thread-snapshots.cjs.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Type-aware rules: a promise nobody awaits loses its errors (and, in a bridge, offsets or rows).
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    // The module graph: no cycles (a cycle makes load order decide what is undefined at start-up), and imports
    // read in one order: Node built-ins, packages, then the project's own modules from far to near.
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: ['tsconfig.json'] })],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/first': 'error',
      'import-x/order': [
        'error',
        {
          groups: ['builtin', 'external', 'internal', 'parent', 'sibling', 'index'],
          pathGroups: [{ pattern: '@kafka-pipeline/**', group: 'internal' }],
          pathGroupsExcludedImportTypes: ['builtin'],
          'newlines-between': 'never',
        },
      ],
    },
  },
  {
    // A spread passes each element as an argument: Math.max(...xs) and push(...xs) throw RangeError (call stack)
    // once xs holds ~125,000 elements (Node 20), e.g. the versions of a long Delta log. Loop instead.
    files: ['src/**/*.ts', 'packages/*/src/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error', ...UNBOUNDED_SPREADS],
    },
  },
  {
    files: ['src/workflows/**/*.ts', 'src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({
            name,
            message: 'Workflow code must stay deterministic: no Node built-ins.',
          })),
          patterns: [
            {
              group: ioPackages,
              message: 'Workflow code must not import I/O packages; call an activity instead.',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
);
