// Lint: typescript-eslint's recommended rules, plus the layering rules; formatting is Prettier's
// (.prettierrc.json, checked by `npm run lint`), so eslint-config-prettier turns off style rules.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

/** Relative imports of server/functions from a folder beside it (server/<x>/…). */
const FUNCTIONS = '^(\\.\\./)+functions(/|$)';
/** From server/functions/<name>/…: "../<other>" is another function's folder. */
const SIBLING_FUNCTION = '^\\.\\./(?!\\.\\.(/|$))';
/**
 * Engine files by depth below server/engine, each with the regex of an import that leaves the
 * engine for another server folder: from depth d, "../" d + 1 times then a name (d + 2 times
 * reaches the repository root, where typings/ is allowed).
 */
const ENGINE_DEPTHS = [0, 1, 2, 3].map((d) => ({
  files: [`server/engine/${'*/'.repeat(d)}*.ts`],
  outside: `^(\\.\\./){${d + 1}}(?!\\.\\.(/|$))`,
}));

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
  // The engine does no I/O and depends on nothing of the server but itself: records it computes
  // on live in server/engine/records.ts, and ports import them from there, not the other way.
  ...ENGINE_DEPTHS.map(({ files, outside }) => ({
    files,
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
              group: ['wx-server-sdk', 'better-sqlite3'],
              message: 'The engine does not depend on storage or functions.',
            },
            {
              regex: outside,
              message:
                'The engine imports nothing of the server but itself (no ports, adapters, use cases, functions, runtime or host).',
            },
          ],
        },
      ],
    },
  })),
  {
    // Use cases, ports and adapters never reach up into a function definition: functions call
    // use cases, not the other way. Only the local host, the runtime and the build load functions.
    files: ['server/**/*.ts'],
    ignores: ['server/functions/**', 'server/host/**', 'server/runtime/**', 'server/engine/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: FUNCTIONS,
              message:
                'Only server/host, server/runtime and the build import server/functions: move what you need into a use-case folder (server/serving, server/learning, server/events …).',
            },
          ],
        },
      ],
    },
  },
  {
    // A function folder is one definition: it imports use cases, never another function's folder.
    files: ['server/functions/*/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: SIBLING_FUNCTION,
              message:
                "A function does not import another function's folder: share the code through a use-case folder.",
            },
          ],
        },
      ],
    },
  },
  prettier,
);
