/**
 * A SIGKILL in the middle of an ingest loses no acknowledged object and leaves no
 * half-written bundle — on PostgreSQL (a real server process on a database of its own
 * in the test cluster). The scenario is in ingest-kill.test-helpers.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, inject, it } from 'vitest';
import { openPostgres } from '../../db/connect.js';
import { killAll, type Server } from '../../test/process.js';
import { killDuringIngest } from './ingest-kill.test-helpers.js';

const DB = `puente_ingest_kill_${process.pid}`;
let dataDir: string;
let spoolDir: string;
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
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'puente-ingest-kill-'));
  spoolDir = fs.mkdtempSync(path.join(os.tmpdir(), 'puente-ingest-kill-spool-'));
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
  fs.rmSync(spoolDir, { recursive: true, force: true });
});

describe('SIGKILL during an ingest (PostgreSQL)', () => {
  it(
    'every answered submission survives whole; the killed upload leaves no row and no pending submission',
    async () => {
      // One connection for all the polling: a new one per poll would take CPU from the ingest.
      await admin(async (c) => {
        const databaseBytes = async () => Number((await c.query<{ n: string }>('SELECT pg_database_size($1) AS n', [DB])).rows[0]!.n);
        await killDuringIngest({ dataDir, spoolDir, env: { PUENTE_DATABASE_URL: url }, uploadObjects: 60_000, databaseBytes, open: () => openPostgres(url, 1) }, (s) => (server = s));
      });
    },
    300_000,
  );
});
