import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One PostgreSQL server for the whole run (skipped locally without server binaries; CI needs it).
    globalSetup: ['test/support/postgres-server.ts'],
    // Each file gets its own fake Slack and database; files run in parallel workers. Processes, not
    // threads: test/db/migrate.test.ts changes the working directory, which a worker thread cannot.
    pool: 'forks',
    // Vitest's default is one worker fewer than the CPUs: on two, one, and every file waits its turn
    // while others wait on child processes, HTTP and Retry-After. Two at least.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // A worker runs its files one after another in the same process instead of starting a process and
    // importing the app again for each file. Test files share no state: each starts its own fake Slack,
    // app and database, and nothing sets globals or mocks modules.
    isolate: false,
    testTimeout: 20_000,
  },
});
