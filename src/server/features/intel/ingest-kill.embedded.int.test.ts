/**
 * A SIGKILL in the middle of an ingest loses no acknowledged object and leaves no
 * half-written bundle — on the embedded database (a real server process on a real data
 * directory). The scenario is in ingest-kill.test-helpers.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { openEmbedded } from '../../db/connect.js';
import { killAll, type Server } from '../../test/process.js';
import { killDuringIngest } from './ingest-kill.test-helpers.js';

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

describe('SIGKILL during an ingest (embedded)', () => {
  it(
    'every answered submission survives whole; the killed upload leaves no row and no pending submission',
    async () => {
      await killDuringIngest({ dataDir, spoolDir, env: {}, uploadObjects: 40_000, open: () => openEmbedded(dataDir) }, (s) => (server = s));
    },
    300_000,
  );
});
