import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'packages/api/src/schema.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The bins' entries and the bundle loader are plain CommonJS: they run before any bundle exists.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The web console runs in the browser; hooks follow the rules of hooks.
    files: ['packages/console/src/app/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    // One storage convention: SQL lives in a domain's store (`<domain>/store.ts`,
    // `<domain>/<thing>-store.ts`) or in `db/`; everything else calls a store method. Tests get no
    // exception: none needs kysely (db/migrations.test.ts is inside db/).
    files: ['packages/server/src/**/*.ts'],
    ignores: ['packages/server/src/db/**', 'packages/server/src/**/*store.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'kysely', message: 'Queries live in a store (<domain>/store.ts) or in db/; call a store method instead.' }] }],
    },
  },
  {
    // The same convention for code that reaches a query builder without importing kysely (through
    // `services.database.db`). Tests may: they arrange and inspect rows directly.
    files: ['packages/server/src/**/*.ts'],
    ignores: ['packages/server/src/db/**', 'packages/server/src/**/*store.ts', 'packages/server/src/**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name=/^(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto)$/]",
          message: 'Queries live in a store (<domain>/store.ts) or in db/; call a store method instead.',
        },
      ],
    },
  },
  {
    // Test files share their worker processes (vitest.config.ts, `isolate: false`): nothing one
    // does to the process may reach the next. Settings go to the servers a test starts, not to
    // process.env; there is nothing to mock (real parts, see the README).
    files: ['**/*.test.ts', 'test-support/**/*.ts'],
    ignores: ['test-support/global-setup.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        ...['mock', 'doMock', 'stubEnv', 'stubGlobal', 'useFakeTimers', 'spyOn'].map((property) => ({
          object: 'vi',
          property,
          message: 'Test files share a process: this would outlive the file.',
        })),
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "AssignmentExpression > MemberExpression.left[object.object.name='process'][object.property.name='env']",
          message: 'Test files share a process: pass settings to the server or command under test instead of process.env.',
        },
        {
          selector: "UnaryExpression[operator='delete'] > MemberExpression[object.object.name='process'][object.property.name='env']",
          message: 'Test files share a process: pass settings to the server or command under test instead of process.env.',
        },
      ],
    },
  },
);
