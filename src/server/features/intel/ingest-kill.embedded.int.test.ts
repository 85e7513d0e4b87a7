/**
 * A SIGKILL in the middle of an ingest loses no acknowledged object and leaves no
 * half-written bundle — on the embedded database (a real server process on a real data
 * directory). The scenario is in ingest-kill.test-helpers.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { openEmbedded, pgliteDir } from '../../db/connect.js';
import { killAll, type Server } from '../../test/process.js';
import { killDuringIngest } from './ingest-kill.test-helpers.js';

let dataDir: string;
let spoolDir: string;
let server: Server | null = null;

/** The size of the embedded database's relation files (a file can vanish while it is read). */
function bytesUnder(dir: string): number {
  let n = 0;
  let entries: fs.Dirent[] = [];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    try {
      n += e.isDirectory() ? bytesUnder(p) : fs.statSync(p).size;
    } catch {
      /* removed meanwhile */
    }
  }
  return n;
}

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

describe('SIGKILL during an ingest (embedded)', () => {
  it(
    'every answered submission survives whole; the killed upload leaves no row and no pending submission',
    async () => {
      await killDuringIngest(
        { dataDir, spoolDir, env: {}, uploadObjects: 40_000, databaseBytes: async () => bytesUnder(path.join(pgliteDir(dataDir), 'base')), open: () => openEmbedded(dataDir) },
        (s) => (server = s),
      );
    },
    300_000,
  );
});
