import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each file gets its own fake Slack and database; files run in parallel workers.
    pool: 'forks',
    testTimeout: 20_000,
  },
});
