// Test tiers (run them all with `npm test`; one with `npm test -- --project unit`):
//   unit          src/**/*.test.ts (not *.int.test.ts)          pure logic, no database
//   int-pglite    src/**/*.int.test.ts against in-memory PGlite   (globalSetup: migrated template dump)
//   int-postgres  the same files against a throwaway PostgreSQL   (globalSetup: scripts/pg-cluster.mjs)
//   e2e           e2e/**/*.e2e.test.ts with Chromium              (globalSetup: builds dist/web)
import os from 'node:os';
import { defineConfig } from 'vitest/config';

const cpus = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
// Every project in a group must resolve to the same worker count; 2 on the 2-core CI machine.
const WORKERS = Number(process.env.PUENTE_TEST_WORKERS) || Math.max(2, Math.min(4, cpus));
// Property tests run many random worlds; on a loaded 2-core machine they need room.
const INT_TIMEOUT = 180_000;
const INT_FILES = ['src/**/*.int.test.ts'];
// Tests of one mode only: *.embedded.int.test.ts (data directory, lock, SIGKILL) run in
// int-pglite; *.postgres.int.test.ts (several instances on one server) in int-postgres.
const EMBEDDED_ONLY = 'src/**/*.embedded.int.test.ts';
const POSTGRES_ONLY = 'src/**/*.postgres.int.test.ts';
const EXCLUDE = ['**/node_modules/**', '**/dist/**', '**/.test-tmp/**', '**/.scratch/**'];

export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: WORKERS,
    teardownTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          environment: 'node',
          include: ['src/**/*.test.ts'],
          exclude: [...EXCLUDE, ...INT_FILES],
          maxWorkers: WORKERS,
        },
      },
      {
        extends: true,
        test: {
          name: 'int-pglite',
          environment: 'node',
          include: INT_FILES,
          exclude: [...EXCLUDE, POSTGRES_ONLY],
          globalSetup: ['src/server/test/global-pglite.ts'],
          env: { PUENTE_TEST_DB: 'pglite' },
          maxWorkers: WORKERS,
          testTimeout: INT_TIMEOUT,
          hookTimeout: INT_TIMEOUT,
        },
      },
      {
        extends: true,
        test: {
          name: 'int-postgres',
          environment: 'node',
          include: INT_FILES,
          exclude: [...EXCLUDE, EMBEDDED_ONLY],
          globalSetup: ['src/server/test/global-postgres.ts'],
          env: { PUENTE_TEST_DB: 'postgres' },
          maxWorkers: WORKERS,
          testTimeout: INT_TIMEOUT,
          hookTimeout: INT_TIMEOUT,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['e2e/**/*.e2e.test.ts'],
          exclude: EXCLUDE,
          globalSetup: ['src/server/test/global-e2e.ts'],
          // One browser at a time, after the other tiers (a later group), so that it does not
          // compete with them for the CPU.
          fileParallelism: false,
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
