import { defineConfig } from 'vitest/config';

// Each test file opens its own database (an in-memory PGlite costs ~2 s and ~500 MB),
// so two workers keep the suite inside this 2-core machine.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
