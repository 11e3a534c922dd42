import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Test files run in parallel processes; each gets its own databases. Many wait on child
    // processes and sockets more than they compute, so more workers than the 2 CPUs pays off.
    pool: 'forks',
    maxWorkers: 3,
  },
});
