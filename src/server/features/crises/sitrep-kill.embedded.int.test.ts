/**
 * A process killed while sitreps are saved loses nothing acknowledged and leaves no sitrep
 * half-written — on the embedded database (a real server process on a real data directory).
 * The scenario is in sitrep-kill.test-helpers.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbedded } from '../../db/connect.js';
import { killAll, type Server } from '../../test/process.js';
import { killWhileSaving } from './sitrep-kill.test-helpers.js';

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

describe('SIGKILL while sitreps are saved (embedded)', () => {
  it(
    'every answered sitrep survives whole; none is left without its translation, event, audit entry, alerts or mail',
    async () => {
      const r = await killWhileSaving({ dataDir, env: {}, open: () => openEmbedded(dataDir) }, (s) => (server = s));
      console.info(`sitrep kill: ${JSON.stringify(r)}`);
      expect(r.acknowledged).toBeGreaterThan(0);
    },
    300_000,
  );
});
