import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (pkg: string): string =>
  fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against the TypeScript sources, so no build is needed before `vitest`.
    alias: {
      // Before the package's own name, which would otherwise match as a prefix.
      '@translation-status/client/heygen': fileURLToPath(
        new URL('./packages/client/src/protocol/heygen/index.ts', import.meta.url),
      ),
      '@translation-status/server/settings': fileURLToPath(
        new URL('./packages/server/src/settings/index.ts', import.meta.url),
      ),
      '@translation-status/client': source('client'),
      '@translation-status/server': source('server'),
    },
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Most test files wait on timers, sockets and child processes rather than compute: vitest's default
    // of one worker per core but one leaves a 2-core machine half idle (a load of 1 for the whole run).
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
