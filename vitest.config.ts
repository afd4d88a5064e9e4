import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * The workspace packages are read from their TypeScript sources (the `source` export condition,
 * ADR 0013), in the test workers and in every child process a test starts (NODE_OPTIONS is
 * inherited), never from a `dist/` that may be older than the sources.
 */
if (!(process.env.NODE_OPTIONS ?? '').includes('--conditions=source')) {
  process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --conditions=source`.trim();
}

/**
 * Errors Vitest raises about its own worker plumbing, not about the code under test: a worker's
 * RPC call to the main process timing out on a loaded machine (vitest-dev/vitest#6479). They are
 * printed but do not fail a run in which every test passed; every other unhandled error does.
 */
const VITEST_PLUMBING = /^\[vitest-(worker|pool)\]: Timeout calling|^\[birpc\] timeout on calling/;

/** One Vitest run for the whole monorepo; slow SSH suites run in forks with long timeouts. */
export const config = defineConfig({
  resolve: { conditions: ['source', ...defaultClientConditions] },
  ssr: { resolve: { conditions: ['source', ...defaultServerConditions] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // One test file at a time: SSH suites running side by side (each with its own sshd, proxy and
    // server) were seen to interfere on 2-core machines.
    maxWorkers: 1,
    // No retry: a flaky test is fixed, or quarantined by name with a reason in
    // `packages/testkit/src/run/quarantine.ts`; it is never retried silently.
    retry: 0,
    globalSetup: ['packages/testkit/src/global-setup.ts'],
    onUnhandledError(error) {
      const message = typeof error.message === 'string' ? error.message : JSON.stringify(error);
      // One compact line per unhandled error, so the end of a long CI log still names it.
      process.stderr.write(`\nunhandled ${error.type}: ${message.split('\n')[0] ?? ''}\n`);
      if (VITEST_PLUMBING.test(message)) {
        process.stderr.write('  (Vitest worker plumbing, not the code under test: reported, not counted)\n');
        return false;
      }
      return undefined;
    },
  },
});

// Vitest requires a default export from its config file; this is the one allowed exception.
// eslint-disable-next-line no-restricted-syntax
export default config;
