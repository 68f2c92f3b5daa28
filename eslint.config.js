import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import vitest from '@vitest/eslint-plugin';

export default tseslint.config(
  { ignores: ['node_modules/**', 'cdk.out/**', 'coverage/**', '.drift/**', '.local/**', '*.config.js', 'console/dist/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['test/**/*.ts'],
    plugins: { vitest },
    rules: {
      ...vitest.configs.recommended.rules,
      'vitest/no-focused-tests': 'error',
      'vitest/no-disabled-tests': 'error',
      'vitest/expect-expect': 'error',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['console/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*', '../../shared/*', '../../functions/*', '../../infra/*'], message: 'The console runs in a browser and uses the public API only (its generated client).' }] }],
    },
  },
  {
    files: ['console/test/**/*.ts'],
    plugins: { vitest },
    rules: { ...vitest.configs.recommended.rules, '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    files: ['shared/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@aws-sdk/*', 'aws-lambda', 'aws-cdk-lib', 'aws-cdk-lib/*', 'node:fs', 'node:fs/*', 'node:http', 'node:net', '../adapters/*', '../usecases/*'], message: 'shared/domain is pure: no I/O, no AWS.' }] }],
    },
  },
  {
    // Use cases depend on the ports in shared/usecases/ports/, never on an adapter: the entry points
    // (functions/, infra/local/, cli/) pass the adapters in.
    files: ['shared/usecases/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/adapters/**', '**/functions/**', '**/infra/**', '@aws-sdk/*', 'aws-lambda', '@middy/*', '@aws-lambda-powertools/*'],
              message: 'a use case imports ports (shared/usecases/ports/), never an adapter or an entry point: take the adapter as a dependency.',
            },
          ],
        },
      ],
    },
  },
  {
    // Adapters implement ports; they never call a use case (that is the entry points' job).
    files: ['shared/adapters/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)(usecases/(?!ports/)|functions/|infra/)',
              message: 'an adapter imports the ports it implements (shared/usecases/ports/), never a use case or an entry point.',
            },
          ],
        },
      ],
    },
  },
);
