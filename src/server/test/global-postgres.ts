// Vitest globalSetup for the `int-postgres` project: start a throwaway PostgreSQL cluster
// (scripts/pg-cluster.mjs), create the database `puente_template` and migrate it. Tests create
// their own databases from it (CREATE DATABASE x TEMPLATE puente_template) through the admin
// URL: inject('pgAdminUrl') / inject('pgTemplateDb'), or env PUENTE_TEST_PG_ADMIN_URL /
// PUENTE_TEST_PG_TEMPLATE. Teardown stops the cluster and deletes its files.
import pg from 'pg';
import type {} from 'vitest'; // loads the module that the augmentation below extends
import type { TestProject } from 'vitest/node';
import { startCluster } from '../../../scripts/pg-cluster.mjs';
import { openPostgres } from '../db/connect.js';
import { migrate } from '../db/migrate.js';

declare module 'vitest' {
  interface ProvidedContext {
    /** Superuser URL of the test cluster's `postgres` database. */
    pgAdminUrl: string;
    /** Name of the migrated template database ('puente_template'). */
    pgTemplateDb: string;
  }
}

const TEMPLATE_DB = 'puente_template';

export default async function setup(project: TestProject) {
  const cluster = await startCluster();
  try {
    const t0 = performance.now();
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(TEMPLATE_DB)}`);
    } finally {
      await admin.end();
    }
    const templateUrl = new URL(cluster.url);
    templateUrl.pathname = `/${TEMPLATE_DB}`;
    const db = await openPostgres(templateUrl.toString(), 2);
    try {
      await migrate(db.pool);
    } finally {
      await db.close();
      // Kysely only ends a pool it has used; migrate() went through the pool directly.
      if (!db.pool.ended) await db.pool.end();
    }
    // CREATE DATABASE … TEMPLATE fails while anyone is connected to the template: make sure
    // nobody is, and nobody can be.
    const admin2 = new pg.Client({ connectionString: cluster.url });
    await admin2.connect();
    try {
      await admin2.query(`ALTER DATABASE ${pg.escapeIdentifier(TEMPLATE_DB)} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`);
      await admin2.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [TEMPLATE_DB]);
    } finally {
      await admin2.end();
    }
    console.log(
      `[int-postgres] ${cluster.version}: cluster on port ${cluster.port} up in ${cluster.startMs} ms, ` +
        `${TEMPLATE_DB} migrated in ${Math.round(performance.now() - t0)} ms`,
    );
  } catch (e) {
    await cluster.stop();
    throw e;
  }

  project.provide('pgAdminUrl', cluster.url);
  project.provide('pgTemplateDb', TEMPLATE_DB);
  process.env.PUENTE_TEST_PG_ADMIN_URL = cluster.url;
  process.env.PUENTE_TEST_PG_TEMPLATE = TEMPLATE_DB;

  return async () => {
    await cluster.stop();
  };
}
