// A database of its own in the PostgreSQL test cluster, for tests that run a real server process on
// it (killed-process tests): empty, not the migrated template, so the server migrates it and loads
// the demo as in production; dropped after the file's tests.
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';

/** Run `fn` on a connection of the cluster's administrator (to the maintenance database). */
export async function asClusterAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: inject('pgAdminUrl') });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/**
 * Register the hooks that create the database `${prefix}_${pid}` before the file's tests and drop it
 * after them (the file's own after-hooks, registered later, run first: its server is stopped by then).
 */
export function useEmptyDatabase(prefix: string): { readonly name: string; readonly url: string } {
  const name = `${prefix}_${process.pid}`;
  let url = '';
  beforeAll(async () => {
    await asClusterAdmin((c) => c.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`));
    const u = new URL(inject('pgAdminUrl'));
    u.pathname = `/${name}`;
    url = u.toString();
  });
  afterAll(async () => {
    await asClusterAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`)).catch(() => {});
  });
  return {
    name,
    get url() {
      return url;
    },
  };
}
