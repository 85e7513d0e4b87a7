/**
 * A SIGKILL in the middle of an ingest loses no acknowledged object and leaves no
 * half-written bundle — on PostgreSQL (a real server process on a database of its own
 * in the test cluster). The scenario is in ingest-kill.test-helpers.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { openPostgres } from '../../db/connect.js';
import { asClusterAdmin, useEmptyDatabase } from '../../test/empty-database.js';
import { killAll, type Server } from '../../test/process.js';
import { killDuringIngest } from './ingest-kill.test-helpers.js';

const db = useEmptyDatabase('puente_ingest_kill');
let dataDir: string;
let spoolDir: string;
let server: Server | null = null;

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'puente-ingest-kill-'));
  spoolDir = fs.mkdtempSync(path.join(os.tmpdir(), 'puente-ingest-kill-spool-'));
});

afterAll(async () => {
  await server?.stop('SIGKILL');
  await killAll();
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(spoolDir, { recursive: true, force: true });
});

describe('SIGKILL during an ingest (PostgreSQL)', () => {
  it(
    'every answered submission survives whole; the killed upload leaves no row and no pending submission',
    async () => {
      // One connection for all the polling: a new one per poll would take CPU from the ingest.
      await asClusterAdmin(async (c) => {
        const databaseBytes = async () => Number((await c.query<{ n: string }>('SELECT pg_database_size($1) AS n', [db.name])).rows[0]!.n);
        await killDuringIngest({ dataDir, spoolDir, env: { PUENTE_DATABASE_URL: db.url }, uploadObjects: 60_000, databaseBytes, open: () => openPostgres(db.url, 1) }, (s) => (server = s));
      });
    },
    300_000,
  );
});
