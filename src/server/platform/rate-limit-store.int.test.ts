/**
 * The batched rate-limit counters count every hit, also the ones that arrive while a
 * batch is being written: undercounting them let a client through beyond its limit
 * whenever the database was slow (seen as a flaky TAXII limit test under load).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../test/harness.js';
import type { Database } from '../db/connect.js';
import { migrate } from '../db/migrate.js';
import { BatchedCounters } from './rate-limit-store.js';

let db: Database;
beforeAll(async () => {
  db = await openTestDatabase();
  await migrate(db.pool);
});
afterAll(async () => db?.close());

describe('batched rate-limit counters', () => {
  it('count the hits that arrive during a flush', async () => {
    const c = new BatchedCounters(db.db);
    const key = `test:${crypto.randomUUID()}`;
    for (let i = 1; i <= 3; i++) expect(c.hit(key, 60_000).current).toBe(i);
    const flushing = c.flush();
    // While the batch of 3 is on its way to the database.
    expect(c.hit(key, 60_000).current).toBe(4);
    await flushing;
    expect(c.hit(key, 60_000).current).toBe(5);
    await c.stop();
    const row = await db.db.selectFrom('rate_limits').select('count').where('key', '=', key).executeTakeFirstOrThrow();
    expect(row.count).toBe(5);
  });

  it('see the hits of another instance after a flush', async () => {
    const a = new BatchedCounters(db.db);
    const b = new BatchedCounters(db.db);
    const key = `test:${crypto.randomUUID()}`;
    a.hit(key, 60_000);
    a.hit(key, 60_000);
    await a.flush();
    b.hit(key, 60_000);
    await b.flush();
    expect(b.hit(key, 60_000).current).toBe(4);
    await a.stop();
    await b.stop();
  });
});
