import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Browser journeys: one server and one chromium per file; files run one at a time because
// each holds a database, a server and a browser on a 2-core machine.
export default defineConfig({
  // The SDK from its TypeScript source: tests never run against a stale build.
  resolve: { alias: { '@merx/sdk': fileURLToPath(new URL('../sdk/src/index.ts', import.meta.url)) } },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['./global-setup.ts'],
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 240_000,
  },
});
