/**
 * The hash-chained audit log: real actions make a chain that verifies; editing,
 * removing a middle entry or removing the newest entry is caught; concurrent
 * changes keep the chain contiguous; GET /api/v1/audit shows each role what it
 * may see, page by page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { appendAudit, verifyAudit } from './audit.js';
import { change, platformOf } from './deps.js';
import { createTestApp, login, makeOrganisation, makePerson, tableCounts, TEST_PASSWORD, type Client, type TestApp } from '../test/harness.js';

class Rollback extends Error {}

/** Run fn in a transaction that is always rolled back, so tampering does not outlive the test. */
async function tampered(db: Kysely<DB>, fn: (trx: Kysely<DB>) => Promise<void>) {
  await expect(
    db.transaction().execute(async (trx) => {
      await fn(trx);
      throw new Rollback();
    }),
  ).rejects.toBeInstanceOf(Rollback);
}

async function auditRows(db: Kysely<DB>) {
  return db.selectFrom('audit_log').select(['seq', 'organisation_id', 'actor_org_id', 'action']).orderBy('seq').execute();
}

describe('audit chain', () => {
  let t: TestApp;
  let orgA: string;
  let orgB: string;
  let orgS: string;
  let secretariat: Client;
  let adminA: Client;
  let adminB: Client;
  let memberA: Client;
  let adminAEmail: string;

  beforeAll(async () => {
    t = await createTestApp();
    orgS = await makeOrganisation(t.db, { name: 'Secretariat', country: 'INT', type: 'international_organisation' });
    orgA = await makeOrganisation(t.db, { name: 'Org A' });
    orgB = await makeOrganisation(t.db, { name: 'Org B', country: 'ES' });
    const s = await makePerson(t.db, orgS, { roles: ['member', 'org_admin', 'secretariat'] });
    const a = await makePerson(t.db, orgA, { roles: ['member', 'org_admin'] });
    const b = await makePerson(t.db, orgB, { roles: ['member', 'org_admin'] });
    const m = await makePerson(t.db, orgA, { roles: ['member'] });
    adminAEmail = a.email;

    // Real actions through the API: failed logins (known and unknown account), logins, tokens.
    for (const email of [a.email, b.email, 'nobody@example.test']) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: 'not the password at all' } });
      expect(res.statusCode).toBe(401);
    }
    secretariat = await login(t.app, s.email);
    adminA = await login(t.app, a.email);
    adminB = await login(t.app, b.email);
    memberA = await login(t.app, m.email, TEST_PASSWORD);
    for (const [c, name] of [
      [adminA, 'a-ci'],
      [adminB, 'b-ci'],
      [memberA, 'm-ci'],
    ] as const) {
      const res = await c.post('/api/v1/tokens', { name, scope: 'read', expiresInDays: 30 });
      expect(res.statusCode, res.body).toBe(201);
    }
    // An entry an organisation admin sees only through actor_org_id (it concerns no organisation),
    // and one about org A made by the secretariat.
    const p = platformOf(t.deps);
    await change(p, (c) => c.audit({ action: 'community.created', actorOrgId: orgA, organisationId: null, targetType: 'community', targetId: 'x' }));
    await change(p, (c) => c.audit({ action: 'organisation.approved', actorOrgId: orgS, organisationId: orgA, targetType: 'organisation', targetId: orgA }));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('a chain of real actions verifies, and checked equals the row count', async () => {
    const rows = await auditRows(t.db);
    const actions = rows.map((r) => r.action);
    expect(actions.filter((a) => a === 'auth.login_failed')).toHaveLength(3);
    expect(actions.filter((a) => a === 'auth.login')).toHaveLength(4);
    expect(actions.filter((a) => a === 'token.created')).toHaveLength(3);
    expect(rows.map((r) => Number(r.seq))).toEqual(rows.map((_, i) => i + 1));
    const result = await verifyAudit(t.db);
    expect(result).toEqual({ ok: true, checked: rows.length });
    const head = await t.db.selectFrom('settings').select('value').where('key', '=', 'audit_head').executeTakeFirstOrThrow();
    expect(head.value.startsWith(`${rows.length}:`)).toBe(true);
  });

  it('editing an entry (details, action or actor) breaks the chain at that entry', async () => {
    const rows = await auditRows(t.db);
    const n = rows.length;
    await tampered(t.db, async (trx) => {
      await sql`UPDATE audit_log SET details = details || '{"email":"someone-else@example.test"}'::jsonb WHERE seq = 2`.execute(trx);
      const r = await verifyAudit(trx);
      expect(r.ok).toBe(false);
      expect(r.firstBroken?.seq).toBe(2);
      expect(r.firstBroken?.reason).toMatch(/altered/);
      expect(r.checked).toBe(1);
    });
    await tampered(t.db, async (trx) => {
      await trx.updateTable('audit_log').set({ action: 'auth.logout' }).where('seq', '=', '5').execute();
      const r = await verifyAudit(trx);
      expect(r).toMatchObject({ ok: false, checked: 4, firstBroken: { seq: 5 } });
    });
    const someone = rows.find((r) => r.action === 'auth.login')!;
    await tampered(t.db, async (trx) => {
      await trx.updateTable('audit_log').set({ actor_id: null, actor_org_id: orgB }).where('seq', '=', String(someone.seq)).execute();
      const r = await verifyAudit(trx);
      expect(r).toMatchObject({ ok: false, firstBroken: { seq: Number(someone.seq) } });
    });
    // Editing the hash along with the content is caught at the next entry's link.
    await tampered(t.db, async (trx) => {
      await sql`UPDATE audit_log SET hash = ${'f'.repeat(64)} WHERE seq = 3`.execute(trx);
      const r = await verifyAudit(trx);
      expect(r.ok).toBe(false);
      expect([3, 4]).toContain(r.firstBroken?.seq);
    });
    // Rolled back: intact again.
    expect(await verifyAudit(t.db)).toEqual({ ok: true, checked: n });
  });

  it('deleting a middle entry breaks the chain there ("missing")', async () => {
    const n = (await auditRows(t.db)).length;
    const middle = Math.floor(n / 2);
    await tampered(t.db, async (trx) => {
      await trx.deleteFrom('audit_log').where('seq', '=', String(middle)).execute();
      const r = await verifyAudit(trx);
      expect(r.ok).toBe(false);
      expect(r.firstBroken?.seq).toBe(middle);
      expect(r.firstBroken?.reason).toMatch(/missing/);
      expect(r.checked).toBe(middle - 1);
    });
  });

  it('deleting the newest entry (or several) is caught by the recorded head', async () => {
    const n = (await auditRows(t.db)).length;
    await tampered(t.db, async (trx) => {
      await trx.deleteFrom('audit_log').where('seq', '=', String(n)).execute();
      const r = await verifyAudit(trx);
      expect(r.ok).toBe(false);
      expect(r.checked).toBe(n - 1);
      expect(r.firstBroken?.seq).toBe(n);
      expect(r.firstBroken?.reason).toMatch(/head|removed/);
    });
    await tampered(t.db, async (trx) => {
      await trx.deleteFrom('audit_log').where('seq', '>', '3').execute();
      const r = await verifyAudit(trx);
      expect(r).toMatchObject({ ok: false, checked: 3, firstBroken: { seq: 4 } });
    });
    // Removing the head record itself is caught too.
    await tampered(t.db, async (trx) => {
      await trx.deleteFrom('settings').where('key', '=', 'audit_head').execute();
      const r = await verifyAudit(trx);
      expect(r.ok).toBe(false);
    });
    expect((await verifyAudit(t.db)).ok).toBe(true);
  });

  it('25 concurrent API changes and 25 concurrent change() calls keep one contiguous, valid chain', async () => {
    const before = (await auditRows(t.db)).length;
    const p = platformOf(t.deps);
    const [apiResults] = await Promise.all([
      Promise.all(Array.from({ length: 25 }, (_, i) => adminA.post('/api/v1/tokens', { name: `parallel-${i}`, scope: 'read', expiresInDays: 1 }))),
      Promise.all(
        Array.from({ length: 25 }, (_, i) =>
          change(p, async (c) => {
            await c.audit({ action: 'export.performed', actorOrgId: orgB, organisationId: orgB, details: { i, text: `concurrent ${i}` } });
          }),
        ),
      ),
    ]);
    for (const r of apiResults) expect(r.statusCode, r.body).toBe(201);
    const rows = await auditRows(t.db);
    expect(rows).toHaveLength(before + 50);
    expect(rows.map((r) => Number(r.seq))).toEqual(rows.map((_, i) => i + 1));
    expect(rows.filter((r) => r.action === 'export.performed')).toHaveLength(25);
    expect(await verifyAudit(t.db)).toEqual({ ok: true, checked: before + 50 });
  });

  it('a rolled-back change leaves no audit entry', async () => {
    const p = platformOf(t.deps);
    const before = await tableCounts(t.db);
    await expect(
      change(p, async (c) => {
        await c.audit({ action: 'export.performed', organisationId: orgA });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await tableCounts(t.db)).toEqual(before);
    expect((await verifyAudit(t.db)).ok).toBe(true);
  });

  async function allPages(c: Client, limit: number) {
    const seen: number[] = [];
    const items: { seq: number; organisationId: string | null; action: string }[] = [];
    let before: number | null = null;
    for (let guard = 0; guard < 1000; guard++) {
      const res = await c.get(`/api/v1/audit?limit=${limit}${before ? `&before=${before}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json();
      expect(page.items.length).toBeLessThanOrEqual(limit);
      for (const it of page.items) {
        seen.push(it.seq);
        items.push(it);
      }
      if (page.nextBefore === null) break;
      expect(page.items.length).toBe(limit);
      expect(page.nextBefore).toBe(page.items[page.items.length - 1].seq);
      before = page.nextBefore;
    }
    return { seen, items };
  }

  it('the secretariat sees the entries of every organisation, each once across pages', async () => {
    const rows = await auditRows(t.db);
    const { seen, items } = await allPages(secretariat, 7);
    expect(seen).toEqual(rows.map((r) => Number(r.seq)).reverse());
    expect(new Set(seen).size).toBe(seen.length);
    const orgs = new Set(items.map((i) => i.organisationId));
    expect(orgs).toContain(orgA);
    expect(orgs).toContain(orgB);
    expect(orgs).toContain(null);
    // One big page gives the same.
    const big = await secretariat.get('/api/v1/audit?limit=500');
    expect(big.json().items.map((i: { seq: number }) => i.seq)).toEqual(seen);
    // The action filter.
    const f = await secretariat.get('/api/v1/audit?action=auth.login_failed&limit=500');
    expect(f.statusCode).toBe(200);
    expect(f.json().items).toHaveLength(3);
    for (const i of f.json().items) expect(i.action).toBe('auth.login_failed');
  });

  it('an organisation admin sees only entries of (or by) their organisation', async () => {
    const rows = await auditRows(t.db);
    const mine = rows.filter((r) => r.organisation_id === orgA || r.actor_org_id === orgA).map((r) => Number(r.seq));
    const foreign = rows.filter((r) => !(r.organisation_id === orgA || r.actor_org_id === orgA));
    expect(foreign.some((r) => r.organisation_id === orgB)).toBe(true);
    expect(mine.length).toBeGreaterThan(3);
    const { seen, items } = await allPages(adminA, 5);
    expect(seen).toEqual(mine.reverse());
    for (const i of items) expect(i.organisationId === orgA || i.organisationId === null).toBe(true);
    expect(items.some((i) => i.organisationId === orgB)).toBe(false);
    // Including the entry that concerns no organisation but was made by org A.
    expect(items.some((i) => i.action === 'community.created' && i.organisationId === null)).toBe(true);
    // And org A's failed login, but not org B's nor the unknown account's.
    const failed = items.filter((i) => i.action === 'auth.login_failed');
    expect(failed).toHaveLength(1);

    const b = await allPages(adminB, 500);
    expect(b.items.length).toBeGreaterThan(0);
    for (const i of b.items) expect(i.organisationId).toBe(orgB);
    expect(b.seen.filter((s) => seen.includes(s))).toEqual([]);
  });

  it('a plain member gets 403 FORBIDDEN; no session gets 401', async () => {
    const res = await memberA.get('/api/v1/audit');
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN');
    const anon = await t.app.inject({ method: 'GET', url: '/api/v1/audit' });
    expect(anon.statusCode).toBe(401);
    expect(anon.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('appendAudit on the bare database (no change()) extends the same chain', async () => {
    const n = (await auditRows(t.db)).length;
    await t.db.transaction().execute((trx) => appendAudit(trx, { action: 'system.demo_loaded', details: { nested: { b: 1, a: [1, 'two', null] } } }));
    expect(await verifyAudit(t.db)).toEqual({ ok: true, checked: n + 1 });
    // Signing in again still works and still verifies (the chain was not left locked).
    await login(t.app, adminAEmail);
    expect(await verifyAudit(t.db)).toEqual({ ok: true, checked: n + 2 });
  });
});
