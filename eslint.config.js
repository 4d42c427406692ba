// ESLint: typescript-eslint's type-checked recommended rules on every TypeScript file, plus the house rules
// below; Prettier owns layout (eslint-config-prettier turns the layout rules off). Why each rule that is
// changed from the recommended set is changed: docs/lint.md.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores(['dist/', 'coverage/', 'test-output/', '.local/', 'bench/results/', 'test/support/api-schema.d.ts']),
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      // With experimentalDecorators + emitDecoratorMetadata in tsconfig.json, the rule leaves files that use
      // decorators alone, so Nest's constructor-injected classes stay value imports.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // Dropping `async` from a function with no `await` turns its throws from rejections into synchronous throws
      // and changes what it returns: a behaviour change, so the rule stays off.
      '@typescript-eslint/require-await': 'off',
      // Callback APIs (express-session, streams) hand their error over as `any`; it is passed on unchanged.
      '@typescript-eslint/prefer-promise-reject-errors': [
        'error',
        { allowThrowingAny: true, allowThrowingUnknown: true },
      ],
    },
  },
  {
    // Tests read the API's JSON answers (`ApiResponse.body`, typed `any`), which the end-to-end harness checks at run
    // time against docs/openapi.json (test/support/openapi-answers.ts); typing each read by hand would add casts, not
    // safety. What is and is not checked that way: docs/lint.md.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    extends: [js.configs.recommended],
    languageOptions: { globals: { URL: 'readonly', process: 'readonly', console: 'readonly', module: 'writable' } },
  },
  {
    files: ['apps/api/src/web/assets/**/*.js'],
    languageOptions: { globals: { window: 'readonly', document: 'readonly' } },
  },
  prettier,
  {
    // Prettier cannot shorten comments; long string literals are left whole so messages stay searchable.
    rules: {
      'max-len': [
        'error',
        { code: 120, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreUrls: true },
      ],
    },
  },
);
