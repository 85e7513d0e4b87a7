import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../../platform/auth/sessions.js';
import { newId } from '../../platform/ids.js';
import { clientFor, createTestApp, login, makeOrganisation, makePerson, testPasswordHash, type Client, type TestApp } from '../../test/harness.js';

/**
 * Registration under load (issue 12's quality bar): 500 people register at once for an event of
 * 100 seats, some of them twice. Exactly 100 hold a place, 400 wait in the order they arrived,
 * nobody is registered twice — on PGlite and on PostgreSQL (several connections at once there).
 */
let t: TestApp;
let organiser: Client;
let clients: { id: string; client: Client }[] = [];

beforeAll(async () => {
  t = await createTestApp();
  const org = await makeOrganisation(t.db, { country: 'DO', type: 'mfa' });
  const o = await makePerson(t.db, org, { roles: ['member', 'org_admin'] });
  organiser = await login(t.app, o.email);
  const hash = await testPasswordHash();
  const people = await makeOrganisation(t.db, { country: 'CL' });
  const rows = Array.from({ length: 500 }, (_, i) => ({ id: newId(), organisation_id: people, email: `load-${i}-${newId().slice(-8)}@example.test`, name: `Load ${i}`, password_hash: hash }));
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

describe('registration under load', () => {
  it('500 concurrent registrations (and 50 repeated) for 100 seats: 100 confirmed, 400 waitlisted in order of arrival, nobody twice', async () => {
    const created = await organiser.post('/api/v1/events', {
      kind: 'annual-meeting',
      language: 'en',
      title: 'Crowded meeting',
      startsAt: '2027-05-01T09:00:00Z',
      endsAt: '2027-05-01T17:00:00Z',
      timeZone: 'UTC',
      tlp: 'GREEN',
      registrationOpen: true,
      capacity: 100,
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    expect((await organiser.patch(`/api/v1/events/${id}`, { status: 'published' })).statusCode).toBe(200);

    const attempts = [...clients, ...clients.slice(0, 50)];
    const answers = await Promise.all(attempts.map((c) => c.client.post(`/api/v1/events/${id}/registrations`, { consentToList: false })));
    const codes = answers.map((a) => a.statusCode);
    expect(codes.filter((c) => c === 201)).toHaveLength(500);
    expect(codes.filter((c) => c === 409)).toHaveLength(50);
    for (const a of answers.filter((x) => x.statusCode === 409)) expect(a.json().error.code).toBe('ALREADY_REGISTERED');
    expect(codes.filter((c) => c !== 201 && c !== 409)).toEqual([]);
    const replied = answers.filter((a) => a.statusCode === 201).map((a) => a.json().status as string);
    expect(replied.filter((s) => s === 'confirmed')).toHaveLength(100);
    expect(replied.filter((s) => s === 'waitlisted')).toHaveLength(400);

    const rows = await t.db.selectFrom('event_registrations').select(['person_id', 'status', 'ticket', 'registered_at']).where('event_id', '=', id).orderBy('ticket').execute();
    expect(rows).toHaveLength(500);
    expect(new Set(rows.map((r) => r.person_id)).size).toBe(500);
    expect(rows.filter((r) => r.status === 'confirmed')).toHaveLength(100);
    expect(rows.filter((r) => r.status === 'waitlisted')).toHaveLength(400);
    // Tickets are 1…500, the first 100 confirmed, the rest waiting, in the order the lock let them in.
    expect(rows.map((r) => Number(r.ticket))).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
    expect(rows.slice(0, 100).every((r) => r.status === 'confirmed')).toBe(true);
    expect(rows.slice(100).every((r) => r.status === 'waitlisted')).toBe(true);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.registered_at.getTime()).toBeGreaterThanOrEqual(rows[i - 1]!.registered_at.getTime());

    // The waitlist moves in that order: the first confirmed withdraws, the first waiting takes the seat.
    const first = clients.find((c) => c.id === rows[0]!.person_id)!;
    const next = clients.find((c) => c.id === rows[100]!.person_id)!;
    const then = clients.find((c) => c.id === rows[101]!.person_id)!;
    expect((await next.client.get(`/api/v1/events/${id}/registrations/mine`)).json()).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    expect((await first.client.del(`/api/v1/events/${id}/registrations/mine`)).statusCode).toBe(204);
    expect((await next.client.get(`/api/v1/events/${id}/registrations/mine`)).json().status).toBe('confirmed');
    expect((await then.client.get(`/api/v1/events/${id}/registrations/mine`)).json()).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    const counts = (await organiser.get(`/api/v1/events/${id}`)).json().registration;
    expect(counts).toMatchObject({ confirmed: 100, waitlisted: 399, capacity: 100 });
  });
});
