import coreWebVitals from 'eslint-config-next/core-web-vitals';
import typescript from 'eslint-config-next/typescript';

const config = [
  { ignores: ['.next/**', '.next-bench/**', 'dist/**', 'lib/db/generated/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'next-env.d.ts'] },
  ...coreWebVitals,
  ...typescript,
  {
    rules: {
      // Prisma must be reached through lib/db (one client, one pool): nothing imports it directly.
      'no-restricted-imports': ['error', { patterns: [{ group: ['@prisma/client', '@prisma/client/*'], message: 'Use prisma() from lib/db/client.' }] }],
      // The one Prisma client is made in lib/db/client.ts, wrapped in the resilience policies.
      'no-restricted-syntax': ['error', { selector: "NewExpression[callee.name='PrismaClient']", message: 'Use prisma() from lib/db/client.ts: every call must go through the resilience layer.' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    files: ['lib/db/client.ts', 'lib/db/migrations.test.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['test/**', 'e2e/**', '**/*.test.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
];

export default config;
