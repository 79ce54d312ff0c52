// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const ioModules = ['@kubernetes/client-node', 'neo4j-driver', 'pino', 'prom-client'];
const nodeIo = ['fs', 'fs/promises', 'net', 'http', 'https', 'http2', 'child_process', 'dgram', 'tls', 'dns', 'worker_threads'];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.local/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/explicit-function-return-type': ['error', { allowExpressions: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The budget math stays pure: no client library, no I/O.
    files: ['src/budget/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...ioModules.map((name) => ({ name, message: 'src/budget is pure: pass data in, do I/O elsewhere.' })),
            ...nodeIo.flatMap((m) => [
              { name: m, message: 'src/budget is pure: no I/O modules.' },
              { name: `node:${m}`, message: 'src/budget is pure: no I/O modules.' },
            ]),
          ],
          patterns: [{ group: ['**/k8s/**', '**/neo4j/**', '**/controller/**', '**/metrics/**'], message: 'src/budget must not import I/O layers.' }],
        },
      ],
    },
  },
  {
    files: ['eslint.config.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
