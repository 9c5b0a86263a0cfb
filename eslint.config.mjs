// Lint: typescript-eslint's recommended rules, plus the layering rules; formatting is Prettier's
// (.prettierrc.json, checked by `npm run lint`), so eslint-config-prettier turns off style rules.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'miniprogram/miniprogram_npm/**',
      'cloudfunctions/*/index.js',
      'dist/**',
      '.data/**',
      'coverage/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', 'scripts/**', 'bench/**', 'server/**', 'test/**'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['miniprogram/**/*.ts'],
    languageOptions: {
      globals: {
        wx: 'readonly',
        App: 'readonly',
        Page: 'readonly',
        Component: 'readonly',
        getApp: 'readonly',
        Behavior: 'readonly',
        getCurrentPages: 'readonly',
      },
    },
    rules: {
      // The Mini Program cannot load code from outside its root: only types may cross.
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../../typings*', '../typings*', '../../../typings*'],
              allowTypeImports: true,
              message: 'Only `import type` from typings/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['server/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'http', 'net', 'child_process'],
              message: 'The engine does no I/O.',
            },
            {
              group: [
                'wx-server-sdk',
                'better-sqlite3',
                '**/adapters/**',
                '**/host/**',
                '**/functions/**',
              ],
              message: 'The engine does not depend on storage or functions.',
            },
          ],
        },
      ],
    },
  },
  prettier,
);
