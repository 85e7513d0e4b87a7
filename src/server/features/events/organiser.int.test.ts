/**
 * What the organiser's pages rely on: the event as its form reads it back (registration switched
 * on before publication), and a timetable whose sessions lie within the event.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, makeOrganisation, makePerson, tableCounts, type Client, type TestApp } from '../../test/harness.js';

let t: TestApp;
let organiser: Client;
let member: Client;

const base = {
  kind: 'webinar',
  language: 'fr',
  title: 'Webinaire',
  startsAt: '2030-03-02T10:00:00+01:00',
  endsAt: '2030-03-02T12:00:00+01:00',
  timeZone: 'Europe/Paris',
  tlp: 'GREEN',
};

beforeAll(async () => {
  t = await createTestApp();
  const org = await makeOrganisation(t.db, { country: 'FR' });
  organiser = await login(t.app, (await makePerson(t.db, org)).email);
  member = await login(t.app, (await makePerson(t.db, await makeOrganisation(t.db, { country: 'PE' }))).email);
});
afterAll(async () => t?.close());

describe('the organiser’s pages', () => {
  it('read a draft back as its form wrote it: registration switched on, though not open before publication', async () => {
    const res = await organiser.post('/api/v1/events', { ...base, registrationOpen: true, moderated: true, capacity: 12, retentionDays: 7 });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ status: 'draft', registrationOpen: true, retentionDays: 7, registration: { open: false, moderated: true, capacity: 12 }, can: { manage: true, writeMinutes: false }, record: null });
    const id = res.json().id as string;
    const published = (await organiser.patch(`/api/v1/events/${id}`, { status: 'published' })).json();
    expect(published).toMatchObject({ registrationOpen: true, registration: { open: true } });
    expect((await member.get(`/api/v1/events/${id}`)).json()).toMatchObject({ registrationOpen: true, can: { manage: false, writeMinutes: false } });
  });

  it('keep every session within its event: before its start or after its end is refused and nothing is written', async () => {
    const id = (await organiser.post('/api/v1/events', base)).json().id as string;
    const ok = await organiser.post(`/api/v1/events/${id}/sessions`, { title: 'Ouverture', startsAt: '2030-03-02T10:00:00+01:00', endsAt: '2030-03-02T10:30:00+01:00' });
    expect(ok.statusCode, ok.body).toBe(201);
    const session = ok.json().sessions[0].id as string;
    const before = await tableCounts(t.db);
    for (const [body, field] of [
      [{ title: 'Trop tôt', startsAt: '2030-03-02T09:59:00+01:00', endsAt: '2030-03-02T10:30:00+01:00' }, 'startsAt'],
      // 12:30 in Paris is 11:30 UTC: after the event's end (11:00 UTC).
      [{ title: 'Trop tard', startsAt: '2030-03-02T11:30:00Z', endsAt: '2030-03-02T11:45:00Z' }, 'endsAt'],
      [{ title: 'À l’envers', startsAt: '2030-03-02T11:00:00+01:00', endsAt: '2030-03-02T10:45:00+01:00' }, 'endsAt'],
    ] as const) {
      const res = await organiser.post(`/api/v1/events/${id}/sessions`, body);
      expect(res.statusCode, body.title).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field } });
    }
    const moved = await organiser.patch(`/api/v1/events/${id}/sessions/${session}`, { endsAt: '2030-03-02T12:00:01+01:00' });
    expect(moved.statusCode).toBe(400);
    expect(await tableCounts(t.db)).toEqual(before);
    // The event moves a day later: its session, left outside, can still be cancelled (no time given).
    expect((await organiser.patch(`/api/v1/events/${id}`, { startsAt: '2030-03-03T10:00:00+01:00', endsAt: '2030-03-03T12:00:00+01:00' })).statusCode).toBe(200);
    const cancelled = await organiser.patch(`/api/v1/events/${id}/sessions/${session}`, { status: 'cancelled' });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json().sessions[0]).toMatchObject({ status: 'cancelled' });
    expect((await organiser.patch(`/api/v1/events/${id}/sessions/${session}`, { startsAt: '2030-03-03T10:00:00+01:00', endsAt: '2030-03-03T11:00:00+01:00' })).statusCode).toBe(200);
  });
});
