/**
 * A process killed while sitreps are saved loses nothing acknowledged and leaves no sitrep
 * half-written — on PostgreSQL (a real server process on a database of its own in the test
 * cluster). The scenario is in sitrep-kill.test-helpers.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../db/connect.js';
import { useEmptyDatabase } from '../../test/empty-database.js';
import { killAll, type Server } from '../../test/process.js';
import { killWhileSaving } from './sitrep-kill.test-helpers.js';

const db = useEmptyDatabase('puente_sitrep_kill');
let dataDir: string;
let server: Server | null = null;

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'puente-sitrep-kill-'));
});

afterAll(async () => {
  await server?.stop('SIGKILL');
  await killAll();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('SIGKILL while sitreps are saved (PostgreSQL)', () => {
  it(
    'every answered sitrep survives whole; none is left without its translation, event, audit entry, alerts or mail',
    async () => {
      // One connection of its own for the polling, to the test's database (pg_locks names relations by the database's own oids).
      const watcher = new pg.Client({ connectionString: db.url });
      await watcher.connect();
      try {
        const sitrepUncommitted = async () =>
          (
            await watcher.query<{ w: boolean }>(
              `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND relation = to_regclass('crisis_sitreps') AND mode = 'RowExclusiveLock' AND granted AND pid <> pg_backend_pid()) AS w`,
            )
          ).rows[0]!.w;
        const r = await killWhileSaving({ dataDir, env: { PUENTE_DATABASE_URL: db.url }, open: () => openPostgres(db.url, 1), sitrepUncommitted }, (s) => (server = s));
        console.info(`sitrep kill: ${JSON.stringify(r)}`);
        expect(r.acknowledged).toBeGreaterThan(0);
      } finally {
        await watcher.end();
      }
    },
    300_000,
  );
});
