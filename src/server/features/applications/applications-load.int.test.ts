import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../../platform/auth/sessions.js';
import { newId } from '../../platform/ids.js';
import { clientFor, createTestApp, login, makeOrganisation, makePerson, testPasswordHash, type Client, type TestApp } from '../../test/harness.js';

/**
 * Applications under load (issue 12's quality bar): 500 people apply at once to a session of 100
 * seats of a first-come offer, 50 of them twice. Exactly 100 hold a seat, 400 wait in the order
 * they arrived, nobody applies twice, and the session's count is the real one — on PGlite and on
 * PostgreSQL (several connections racing for the session's row lock there).
 */
let t: TestApp;
let provider: Client;
let clients: { id: string; client: Client }[] = [];

beforeAll(async () => {
  t = await createTestApp();
  const org = await makeOrganisation(t.db, { country: 'BE', type: 'team_europe_agency' });
  provider = await login(t.app, (await makePerson(t.db, org, { roles: ['member', 'org_admin'] })).email);
  const hash = await testPasswordHash();
  const applicants = await makeOrganisation(t.db, { country: 'DO' });
  const rows = Array.from({ length: 500 }, (_, i) => ({ id: newId(), organisation_id: applicants, email: `apply-${i}-${newId().slice(-8)}@example.test`, name: `Applicant ${i}`, password_hash: hash }));
  for (let i = 0; i < rows.length; i += 100) await t.db.insertInto('people').values(rows.slice(i, i + 100)).execute();
  // Sessions made directly: 500 password checks would only measure argon2.
  clients = await Promise.all(
    rows.map(async (r) => {
      const s = await createSession(t.db, r.id, t.deps.config.session, {});
      return { id: r.id, client: clientFor(t.app, `puente_session=${s.id}`, s.csrfToken) };
    }),
  );
});
afterAll(async () => t?.close());

describe('applications under load', () => {
  it('500 concurrent applications (and 50 repeated) to 100 seats, first come first served: 100 selected, 400 waitlisted in order of arrival, nobody twice', async () => {
    const starts = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const ends = new Date(Date.now() + 31 * 86_400_000).toISOString();
    const created = await provider.post('/api/v1/offers', {
      type: 'webinar',
      language: 'en',
      format: 'online',
      tlp: 'GREEN',
      title: 'A crowded webinar',
      sessions: [{ startsAt: starts, endsAt: ends, timeZone: 'UTC', online: true, seats: 100 }],
    });
    expect(created.statusCode, created.body).toBe(201);
    const offer = created.json() as { id: string; sessions: { id: string }[] };
    const session = offer.sessions[0]!.id;
    expect((await provider.put(`/api/v1/offers/${offer.id}/application-settings`, { selection: 'first-come', waitlist: true })).statusCode).toBe(200);
    expect((await provider.post(`/api/v1/offers/${offer.id}/publish`)).statusCode).toBe(200);

    const url = `/api/v1/offers/${offer.id}/sessions/${session}/applications`;
    const attempts = [...clients, ...clients.slice(0, 50)];
    const answers = await Promise.all(attempts.map((c) => c.client.post(url, {})));
    const codes = answers.map((a) => a.statusCode);
    expect(codes.filter((c) => c !== 201 && c !== 409)).toEqual([]);
    expect(codes.filter((c) => c === 201)).toHaveLength(500);
    expect(codes.filter((c) => c === 409)).toHaveLength(50);
    for (const a of answers.filter((x) => x.statusCode === 409)) expect(a.json().error.code).toBe('ALREADY_APPLIED');
    const replied = answers.filter((a) => a.statusCode === 201).map((a) => a.json().status as string);
    expect(replied.filter((s) => s === 'selected')).toHaveLength(100);
    expect(replied.filter((s) => s === 'waitlisted')).toHaveLength(400);

    const rows = await t.db.selectFrom('applications').select(['id', 'person_id', 'status', 'ticket', 'waitlist_ticket', 'applied_at']).where('session_id', '=', session).orderBy('ticket').execute();
    expect(rows).toHaveLength(500);
    expect(new Set(rows.map((r) => r.person_id)).size).toBe(500);
    // Tickets 1…500 in the order the session's lock let them in: the first 100 seated, the rest waiting in that order.
    expect(rows.map((r) => Number(r.ticket))).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
    expect(rows.slice(0, 100).every((r) => r.status === 'selected')).toBe(true);
    expect(rows.slice(100).every((r) => r.status === 'waitlisted' && r.waitlist_ticket === r.ticket)).toBe(true);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.applied_at.getTime()).toBeGreaterThanOrEqual(rows[i - 1]!.applied_at.getTime());
    const s = await t.db.selectFrom('offer_sessions').select(['seats', 'confirmed', 'last_ticket']).where('id', '=', session).executeTakeFirstOrThrow();
    expect(s).toEqual({ seats: 100, confirmed: 100, last_ticket: 500 });
    // Positions are the order of arrival.
    const byPerson = new Map(clients.map((c) => [c.id, c.client]));
    const waiting = rows.slice(100, 103);
    for (const [i, w] of waiting.entries()) expect((await byPerson.get(w.person_id)!.get(`/api/v1/applications/${w.id}`)).json()).toMatchObject({ status: 'waitlisted', waitlistPosition: i + 1 });

    // Ten seat holders withdraw at once: the first ten waiting take their seats, still never more than 100.
    const leaving = rows.slice(0, 10);
    const left = await Promise.all(leaving.map((r) => byPerson.get(r.person_id)!.post(`/api/v1/applications/${r.id}/withdraw`)));
    expect(left.map((r) => r.statusCode)).toEqual(Array(10).fill(200));
    const after = await t.db.selectFrom('applications').select(['ticket', 'status']).where('session_id', '=', session).orderBy('ticket').execute();
    expect(after.filter((r) => r.status === 'selected').map((r) => Number(r.ticket))).toEqual(Array.from({ length: 100 }, (_, i) => i + 11));
    expect((await t.db.selectFrom('offer_sessions').select('confirmed').where('id', '=', session).executeTakeFirstOrThrow()).confirmed).toBe(100);
    expect((await t.db.selectFrom('mail_outbox').select('id').where('purpose', '=', 'application_promoted').execute()).length).toBe(10);
  });
});
