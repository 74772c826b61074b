import { defineConfig } from 'vitest/config';

// Each file starts its own in-process server over an in-memory PGlite.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
