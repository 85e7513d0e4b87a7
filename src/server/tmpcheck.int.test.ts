import fs from 'node:fs';
import pg from 'pg';
import { inject, test, expect } from 'vitest';
import { openMemory, openPostgres, type Database } from './db/connect.js';

async function open(): Promise<{ db: Database; done: () => Promise<void> }> {
  if (process.env.PUENTE_TEST_DB === 'pglite') {
    const file = inject('pgliteTemplate');
    expect(process.env.PUENTE_TEST_PGLITE_TEMPLATE).toBe(file);
    const db = await openMemory(new Blob([fs.readFileSync(file)]));
    return { db, done: () => db.close() };
  }
  expect(process.env.PUENTE_TEST_DB).toBe('postgres');
  const admin = inject('pgAdminUrl');
  expect(process.env.PUENTE_TEST_PG_ADMIN_URL).toBe(admin);
  const name = `t_${process.pid}_${Date.now()}`;
  const c = new pg.Client(admin);
  await c.connect();
  await c.query(`CREATE DATABASE ${name} TEMPLATE ${inject('pgTemplateDb')}`);
  const u = new URL(admin);
  u.pathname = '/' + name;
  const db = await openPostgres(u.toString());
  return { db, done: async () => { await db.close(); if (!db.pool.ended) await db.pool.end(); await c.query(`DROP DATABASE ${name}`); await c.end(); } };
}

test('countries are seeded', async () => {
  const { db, done } = await open();
  try {
    const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM countries');
    expect(rows[0].n).toBe(61);
  } finally {
    await done();
  }
});
