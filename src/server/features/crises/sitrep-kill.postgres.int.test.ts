/**
 * A process killed while sitreps are saved loses nothing acknowledged and leaves no sitrep
 * half-written — on PostgreSQL (a real server process on a database of its own in the test
 * cluster). The scenario is in sitrep-kill.test-helpers.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openPostgres } from '../../db/connect.js';
import { killAll, type Server } from '../../test/process.js';
import { killWhileSaving } from './sitrep-kill.test-helpers.js';

const DB = `puente_sitrep_kill_${process.pid}`;
let dataDir: string;
let url: string;
let server: Server | null = null;

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: inject('pgAdminUrl') });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'puente-sitrep-kill-'));
  // An empty database (not the migrated template): the server migrates it and loads the demo, as in production.
  await admin((c) => c.query(`CREATE DATABASE ${pg.escapeIdentifier(DB)}`));
  const u = new URL(inject('pgAdminUrl'));
  u.pathname = `/${DB}`;
  url = u.toString();
});

afterAll(async () => {
  await server?.stop('SIGKILL');
  await killAll();
  await admin((c) => c.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(DB)} WITH (FORCE)`)).catch(() => {});
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('SIGKILL while sitreps are saved (PostgreSQL)', () => {
  it(
    'every answered sitrep survives whole; none is left without its translation, event, audit entry, alerts or mail',
    async () => {
      // One connection of its own for the polling, to the test's database (pg_locks names relations by the database's own oids).
      const watcher = new pg.Client({ connectionString: url });
      await watcher.connect();
      try {
        const sitrepUncommitted = async () =>
          (
            await watcher.query<{ w: boolean }>(
              `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND relation = to_regclass('crisis_sitreps') AND mode = 'RowExclusiveLock' AND granted AND pid <> pg_backend_pid()) AS w`,
            )
          ).rows[0]!.w;
        const r = await killWhileSaving({ dataDir, env: { PUENTE_DATABASE_URL: url }, open: () => openPostgres(url, 1), sitrepUncommitted }, (s) => (server = s));
        console.info(`sitrep kill: ${JSON.stringify(r)}`);
        expect(r.acknowledged).toBeGreaterThan(0);
      } finally {
        await watcher.end();
      }
    },
    300_000,
  );
});
