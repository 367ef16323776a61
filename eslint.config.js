// Lint rules, including the layer boundaries of CONVENTIONS.md: an import across a forbidden
// boundary fails `npm test`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules', 'out', 'test-results', 'playwright-report', '.ci'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-empty-pattern': 'off',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] },
    },
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['src/renderer/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', 'better-sqlite3', 'keytar'].map((name) => ({
            name,
            message: 'The renderer has no Node or Electron: use window.crystal.',
          })),
          patterns: ['main', 'preload', 'simulator', 'host', 'cli'].map((folder) => ({
            group: [`**/${folder}/**`],
            message: 'The renderer talks to the app only through window.crystal (src/shared).',
          })),
        },
      ],
    },
  },
  {
    files: ['src/shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', 'better-sqlite3', 'keytar', 'svelte'].map((name) => ({
            name,
            message:
              'src/shared is imported by every process: keep it free of runtime-specific modules.',
          })),
          patterns: [
            {
              group: [
                '**/main/**',
                '**/preload/**',
                '**/renderer/**',
                '**/simulator/**',
                '**/host/**',
                '**/cli/**',
                'node:*',
              ],
              message: 'src/shared imports nothing but src/shared and pure libraries.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/preload/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/main/**', '**/renderer/**', '**/simulator/**', '**/host/**', '**/cli/**'],
              message: 'Preload imports only src/shared and electron.',
            },
          ],
        },
      ],
    },
  },
  {
    // Services: Electron-free. Only src/main/shell and src/main/index.ts may import electron.
    files: ['src/main/**', 'src/host/**', 'src/cli/**', 'src/simulator/**'],
    ignores: ['src/main/shell/**', 'src/main/index.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: 'Services are plain Node modules: only src/main/shell imports electron.',
            },
          ],
          patterns: [
            {
              group: ['**/renderer/**', '**/preload/**', '**/main/shell/**'],
              message: 'Services never import the renderer, the preload or the Electron shell.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/simulator/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The simulator is a stand-in for the remote API.' }],
          patterns: [
            {
              group: ['**/main/**', '**/renderer/**', '**/preload/**', '**/host/**', '**/cli/**'],
              message:
                'The simulator stands in for the remote API: it may use src/shared facts only.',
            },
          ],
        },
      ],
    },
  },
);
