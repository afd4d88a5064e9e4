import { defineConfig } from 'vitest/config';

/** One Vitest run for the whole monorepo; slow SSH suites run in forks with long timeouts. */
export const config = defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // One test file at a time: SSH suites running side by side (each with its own sshd, proxy and
    // server) were seen to interfere on 2-core machines.
    maxWorkers: 1,
    // SSH suites on shared, noisy machines: a test that fails is retried up to twice before it
    // counts (seen: a rare publickey refusal by the test sshd, a SIGINT racing a handler install).
    retry: 2,
    globalSetup: ['packages/testkit/src/global-setup.ts'],
  },
});

// Vitest requires a default export from its config file; this is the one allowed exception.
// eslint-disable-next-line no-restricted-syntax
export default config;
