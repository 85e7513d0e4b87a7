// Vitest globalSetup for the `int-pglite` project: migrate one in-memory PGlite once, dump its
// data directory to .test-tmp/pglite-template-<pid>.tar.gz, and hand the path to the tests
// (inject('pgliteTemplate') or env PUENTE_TEST_PGLITE_TEMPLATE); each test file then opens its
// own database from that dump with openMemory(blob) instead of re-running the migrations.
import fs from 'node:fs';
import path from 'node:path';
import type {} from 'vitest'; // loads the module that the augmentation below extends
import type { TestProject } from 'vitest/node';
import { openMemory } from '../db/connect.js';
import { migrate } from '../db/migrate.js';

declare module 'vitest' {
  interface ProvidedContext {
    /** Absolute path of the gzip'd PGlite data directory holding a freshly migrated schema. */
    pgliteTemplate: string;
  }
}

const TMP = path.resolve(import.meta.dirname, '../../../.test-tmp');

export default async function setup(project: TestProject) {
  const t0 = performance.now();
  const file = path.join(TMP, `pglite-template-${process.pid}.tar.gz`);
  const db = await openMemory();
  try {
    await migrate(db.pool);
    const blob = await db.pglite!.dumpDataDir('gzip');
    fs.mkdirSync(TMP, { recursive: true });
    fs.writeFileSync(file, Buffer.from(await blob.arrayBuffer()));
  } finally {
    await db.close();
  }
  project.provide('pgliteTemplate', file);
  process.env.PUENTE_TEST_PGLITE_TEMPLATE = file;
  console.log(`[int-pglite] migrated template ${path.relative(process.cwd(), file)} in ${Math.round(performance.now() - t0)} ms`);

  return () => {
    fs.rmSync(file, { force: true });
  };
}
