import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['.tmp/**', 'node_modules/**', '.calhub/**', 'dist/**', 'coverage/**', '.test-tmp/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['error', 'warn'] }],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    // The command line, benchmarks, emulator entry points and scripts talk to a terminal.
    files: ['cli/**', 'bench/**', 'scripts/**', 'emulators/**/run-*.ts', 'emulators/**/main.ts', '**/*.test.ts', 'test/**'],
    rules: { 'no-console': 'off' },
  },
);
