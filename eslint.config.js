// @ts-check
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import pluginVue from 'eslint-plugin-vue'
import prettier from 'eslint-config-prettier'
import globals from 'globals'

// src/shared must run in every process (main, worker, renderer, CLI): no Electron, Node or DOM.
const nodeBuiltins = [
  'node:*',
  'fs',
  'fs/*',
  'path',
  'os',
  'url',
  'util',
  'stream',
  'stream/*',
  'crypto',
  'child_process',
  'worker_threads',
  'events',
  'buffer',
  'process',
  'http',
  'https',
  'net',
  'zlib',
  'module',
  'readline',
  'perf_hooks',
  'assert',
]

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'test-artifacts/**',
      'bench/results/**',
      'resources/**',
      'src/kernels/**/*.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,vue}', 'test/renderer/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['src/shared/**/*.ts'],
    languageOptions: { globals: { ...globals['shared-node-browser'] } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron', 'electron/*'], message: 'src/shared must not import Electron.' },
            { group: nodeBuiltins, message: 'src/shared must not import Node built-ins.' },
            {
              group: ['**/main/**', '**/core/**', '**/renderer/**', '**/preload/**', '**/cli/**'],
              message: 'src/shared must not import process-specific code.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...[
          'window',
          'document',
          'navigator',
          'localStorage',
          'indexedDB',
          'process',
          'Buffer',
          'require',
          '__dirname',
        ].map((name) => ({ name, message: `src/shared must not use ${name} (Node/DOM global).` })),
      ],
    },
  },
  {
    // The Electron-free core: the CLI and `serve` run it on plain Node.
    files: ['src/core/**/*.ts', 'src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['electron', 'electron/*', '@electron/*'],
              message: 'src/core and src/cli run without Electron: keep Electron in src/main.',
            },
            {
              group: ['**/main/**', '**/renderer/**', '**/preload/**'],
              message: 'src/core must not import the Electron shell or the renderer.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,vue}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron', 'electron/*'], message: 'The renderer has no Electron access.' },
            { group: nodeBuiltins, message: 'The renderer has no Node access.' },
          ],
        },
      ],
    },
  },
  prettier,
)
