import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../demo/load.js';
import { createTestApp, login, makeOrganisation, makePerson, tableCounts, TEST_PASSWORD, type Client, type TestApp } from '../../test/harness.js';
import { platformOf } from '../../platform/deps.js';
import { purgeExpiredAnswers } from './retention.js';

const pdftotext = spawnSync('sh', ['-c', 'command -v pdftotext']).stdout.toString().trim();

/** The VEVENTs of an iCalendar text as an independent parser (ical.js) reads them, times resolved through the file's own VTIMEZONEs. */
function parseIcs(text: string) {
  const comp = new ICAL.Component(ICAL.parse(text));
  const zones = new Set<string>();
  for (const tz of comp.getAllSubcomponents('vtimezone')) {
    const z = new ICAL.Timezone(tz);
    // The file's own definition, not one the parser knows already.
    if (ICAL.TimezoneService.has(z.tzid)) ICAL.TimezoneService.remove(z.tzid);
    ICAL.TimezoneService.register(z);
    zones.add(z.tzid);
  }
  return {
    method: comp.getFirstPropertyValue('method') as string | null,
    events: comp.getAllSubcomponents('vevent').map((v) => {
      const start = v.getFirstProperty('dtstart')!;
      const tzid = start.getParameter('tzid') as string | undefined;
      const value = start.getFirstValue() as ICAL.Time;
      const zone = tzid && zones.has(tzid) ? value.zone?.tzid === tzid : false;
      const utc = value.toJSDate();
      return {
        uid: v.getFirstPropertyValue('uid') as string,
        sequence: Number(v.getFirstPropertyValue('sequence')),
        summary: v.getFirstPropertyValue('summary') as string,
        status: v.getFirstPropertyValue('status') as string,
        tzid,
        hasZone: zone,
        start: utc.toISOString(),
        relatedTo: v.getFirstPropertyValue('related-to') as string | null,
        attendee: v.getFirstPropertyValue('attendee') as string | null,
        organizer: v.getFirstPropertyValue('organizer') as string | null,
      };
    }),
  };
}

let t: TestApp;
let organiser: Client;
let orgDo: string;
let orgEs: string;
let focalEs: { id: string; email: string; client: Client };
let delegatesEs: { id: string; email: string }[] = [];
let members: { id: string; email: string; client: Client }[] = [];
let outsider: Client;

const base = {
  kind: 'annual-meeting',
  language: 'es',
  title: 'Reunión anual 2027',
  description: 'Ciberdiplomacia UE-ALC',
  place: 'Santo Domingo',
  country: 'DO',
  startsAt: '2027-04-13T09:00:00-04:00',
  endsAt: '2027-04-14T14:00:00-04:00',
  timeZone: 'America/Santo_Domingo',
  tlp: 'GREEN',
};

beforeAll(async () => {
  t = await createTestApp();
  orgDo = await makeOrganisation(t.db, { country: 'DO', type: 'mfa' });
  orgEs = await makeOrganisation(t.db, { country: 'ES', type: 'mfa' });
  const orgX = await makeOrganisation(t.db, { country: 'CL' });
  const o = await makePerson(t.db, orgDo, { roles: ['member', 'org_admin'] });
  organiser = await login(t.app, o.email);
  const f = await makePerson(t.db, orgEs);
  focalEs = { ...f, client: await login(t.app, f.email) };
  await t.db.insertInto('country_focal_points').values({ country_code: 'ES', person_id: f.id }).execute();
  delegatesEs = [await makePerson(t.db, orgEs), await makePerson(t.db, orgEs), await makePerson(t.db, orgEs)];
  for (let i = 0; i < 4; i++) {
    const m = await makePerson(t.db, orgX, { name: `Member ${i}` });
    members.push({ ...m, client: await login(t.app, m.email) });
  }
  // Signed in, then their organisation suspended: a session that reads CLEAR only.
  const outOrg = await makeOrganisation(t.db, { country: 'BR' });
  const out = await makePerson(t.db, outOrg);
  outsider = await login(t.app, out.email);
  await t.db.updateTable('organisations').set({ status: 'suspended' }).where('id', '=', outOrg).execute();
});
afterAll(async () => t?.close());

async function publishedEvent(extra: Record<string, unknown> = {}) {
  const res = await organiser.post('/api/v1/events', { ...base, ...extra });
  expect(res.statusCode, res.body).toBe(201);
  const id = res.json().id as string;
  expect((await organiser.patch(`/api/v1/events/${id}`, { status: 'published' })).statusCode).toBe(200);
  return id;
}

const outbox = (to: string, purpose?: string) =>
  t.db
    .selectFrom('mail_outbox')
    .select(['to_address', 'purpose', 'subject', 'text_body', 'calendar_method', 'calendar_ics'])
    .where('to_address', '=', to)
    .$if(!!purpose, (b) => b.where('purpose', '=', purpose!))
    .orderBy('created_at')
    .execute();

describe('events', () => {
  it('are drafts of their organisers until published, then listed in time order to those the marking allows', async () => {
    const res = await organiser.post('/api/v1/events', { ...base, title: 'Borrador' });
    expect(res.statusCode, res.body).toBe(201);
    const draft = res.json();
    expect(draft).toMatchObject({ status: 'draft', kind: 'annual-meeting', timeZone: 'America/Santo_Domingo', startsAt: '2027-04-13T13:00:00.000Z', can: { manage: true } });
    expect((await members[0]!.client.get(`/api/v1/events/${draft.id}`)).statusCode).toBe(404);
    await organiser.patch(`/api/v1/events/${draft.id}`, { status: 'published' });
    expect((await members[0]!.client.get(`/api/v1/events/${draft.id}`)).json()).toMatchObject({ title: 'Borrador', can: { manage: false } });
    // GREEN: not for the public nor for people of organisations that are not approved.
    expect((await t.app.inject({ url: `/api/v1/events/${draft.id}` })).statusCode).toBe(404);
    expect((await outsider.get(`/api/v1/events/${draft.id}`)).statusCode).toBe(404);
    const list = (await members[0]!.client.get('/api/v1/events?country=DO&from=2027-04-14&to=2027-04-14')).json();
    expect(list.items.map((x: { id: string }) => x.id)).toContain(draft.id);
    expect((await members[0]!.client.get('/api/v1/events?from=2027-05-01')).json().items.map((x: { id: string }) => x.id)).not.toContain(draft.id);
    expect((await members[0]!.client.get('/api/v1/events?q=BORRADOR')).json().items.map((x: { id: string }) => x.id)).toContain(draft.id);
    // A published event goes back to draft no more; a draft is deleted, a published event is not.
    expect((await organiser.patch(`/api/v1/events/${draft.id}`, { status: 'draft' })).statusCode).toBe(409);
    expect((await organiser.del(`/api/v1/events/${draft.id}`)).statusCode).toBe(409);
  });

  it('refuses impossible dates, unknown time zones and unknown countries with a stable code, and writes nothing', async () => {
    const before = await tableCounts(t.db);
    const bad = [
      [{ ...base, endsAt: '2027-04-13T08:00:00-04:00' }, 400, 'VALIDATION_FAILED', 'endsAt'],
      [{ ...base, timeZone: 'Mars/Olympus_Mons' }, 400, 'INVALID_TIME_ZONE', 'timeZone'],
      [{ ...base, timeZone: '+02:00' }, 400, 'INVALID_TIME_ZONE', 'timeZone'],
      [{ ...base, country: 'ZZ' }, 400, 'VALIDATION_FAILED', 'country'],
      [{ ...base, concepts: ['nope/nothing'] }, 400, 'UNKNOWN_CONCEPT', 'concepts'],
    ] as const;
    for (const [body, status, code, field] of bad) {
      const res = await organiser.post('/api/v1/events', body);
      expect(res.statusCode, res.body).toBe(status);
      expect(res.json().error).toMatchObject({ code, details: { field } });
    }
    const id = await publishedEvent();
    const mid = await tableCounts(t.db);
    const res = await organiser.patch(`/api/v1/events/${id}`, { startsAt: '2027-04-15T09:00:00-04:00' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    expect(await tableCounts(t.db)).toEqual(mid);
    expect(Object.keys(before).length).toBe(Object.keys(mid).length);
  });

  it('writes the event and its sessions as iCalendar that an independent parser reads back: UID, SEQUENCE, DTSTART with TZID, SUMMARY', async () => {
    const id = await publishedEvent({ title: 'Calendario, con «comillas»; y punto y coma' });
    let ev = (await organiser.post(`/api/v1/events/${id}/sessions`, { title: 'Apertura', titleTranslations: { en: 'Opening' }, startsAt: '2027-04-13T09:00:00-04:00', endsAt: '2027-04-13T10:30:00-04:00', room: 'Sala A', speakers: [{ name: 'Ana' }], interpretation: ['en', 'fr'] })).json();
    const session = ev.sessions[0];
    // The organiser reads English: the session's English title, every version for them to edit.
    expect(session).toMatchObject({ title: 'Opening', titleLanguage: 'en', titles: { es: 'Apertura', en: 'Opening' }, room: 'Sala A', interpretation: ['en', 'fr'], sequence: 0 });
    const res = await members[0]!.client.get(`/api/v1/events/${id}/calendar.ics`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/calendar/);
    expect(res.body).toMatch(/\r\n/);
    for (const line of res.body.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    const first = parseIcs(res.body);
    expect(first.events).toHaveLength(2);
    const [e1, s1] = first.events;
    expect(e1).toMatchObject({ uid: `event-${id}@puente.test`, sequence: 1, summary: 'Calendario, con «comillas»; y punto y coma', tzid: 'America/Santo_Domingo', hasZone: true, start: '2027-04-13T13:00:00.000Z', status: 'CONFIRMED' });
    expect(s1).toMatchObject({ uid: `session-${session.id}@puente.test`, sequence: 0, tzid: 'America/Santo_Domingo', start: '2027-04-13T13:00:00.000Z', relatedTo: `event-${id}@puente.test` });
    expect(s1!.summary).toContain('Opening');

    // Moving the session keeps its UID and raises its SEQUENCE; so does moving or cancelling the event.
    ev = (await organiser.patch(`/api/v1/events/${id}/sessions/${session.id}`, { startsAt: '2027-04-13T11:00:00-04:00', endsAt: '2027-04-13T12:00:00-04:00' })).json();
    expect(ev.sessions[0].sequence).toBe(1);
    const moved = parseIcs((await members[0]!.client.get(`/api/v1/events/${id}/calendar.ics`)).body).events[1]!;
    expect(moved).toMatchObject({ uid: s1!.uid, start: '2027-04-13T15:00:00.000Z' });
    expect(moved.sequence).toBeGreaterThan(s1!.sequence);
    // A text change is no calendar change: the SEQUENCE stays.
    await organiser.patch(`/api/v1/events/${id}`, { description: 'Otra descripción' });
    expect(parseIcs((await members[0]!.client.get(`/api/v1/events/${id}/calendar.ics`)).body).events[0]!.sequence).toBe(1);
    await organiser.patch(`/api/v1/events/${id}`, { status: 'cancelled' });
    const cancelled = parseIcs((await members[0]!.client.get(`/api/v1/events/${id}/calendar.ics`)).body).events;
    expect(cancelled[0]).toMatchObject({ uid: e1!.uid, sequence: 2, status: 'CANCELLED' });
    expect(cancelled[1]).toMatchObject({ uid: s1!.uid, status: 'CANCELLED' });
    expect(cancelled[1]!.sequence).toBeGreaterThan(moved.sequence);
    // An event in a zone with daylight saving: the VTIMEZONE carries its changes and the time resolves right.
    const bx = await publishedEvent({ startsAt: '2027-07-01T10:00:00+02:00', endsAt: '2027-07-01T12:00:00+02:00', timeZone: 'Europe/Brussels' });
    expect(parseIcs((await members[0]!.client.get(`/api/v1/events/${bx}/calendar.ics`)).body).events[0]).toMatchObject({ tzid: 'Europe/Brussels', start: '2027-07-01T08:00:00.000Z' });
  });

  it('registers each person once, never over capacity, waitlists in order and promotes on withdrawal, telling the promoted person', async () => {
    const id = await publishedEvent({ registrationOpen: true, capacity: 2, questions: [{ id: 'diet', label: 'Diet', type: 'text' }, { id: 'visa', label: 'Visa?', type: 'yes-no', required: true }] });
    const [a, b, c, d] = members;
    const bad = await a!.client.post(`/api/v1/events/${id}/registrations`, { answers: { diet: 'none' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'answers', question: 'visa' } });
    const ra = await a!.client.post(`/api/v1/events/${id}/registrations`, { answers: { visa: true }, consentToList: true });
    expect(ra.statusCode, ra.body).toBe(201);
    expect(ra.json()).toMatchObject({ status: 'confirmed', consentToList: true });
    const before = await tableCounts(t.db);
    const again = await a!.client.post(`/api/v1/events/${id}/registrations`, { answers: { visa: true } });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('ALREADY_REGISTERED');
    expect(await tableCounts(t.db)).toEqual(before);
    expect((await b!.client.post(`/api/v1/events/${id}/registrations`, { answers: { visa: false } })).json().status).toBe('confirmed');
    expect((await c!.client.post(`/api/v1/events/${id}/registrations`, { answers: { visa: false } })).json()).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    expect((await d!.client.post(`/api/v1/events/${id}/registrations`, { answers: { visa: false } })).json()).toMatchObject({ status: 'waitlisted', waitlistPosition: 2 });

    // The capacity cannot go below the seats given; nothing changes.
    const mid = await tableCounts(t.db);
    const low = await organiser.patch(`/api/v1/events/${id}`, { capacity: 1 });
    expect(low.statusCode).toBe(409);
    expect(low.json().error).toMatchObject({ code: 'CAPACITY_BELOW_CONFIRMED', details: { field: 'capacity', taken: 2 } });
    expect(await tableCounts(t.db)).toEqual(mid);

    // a withdraws: c (first in line) gets the place and a mail with an iTIP invitation; d moves up.
    expect((await a!.client.del(`/api/v1/events/${id}/registrations/mine`)).statusCode).toBe(204);
    expect((await c!.client.get(`/api/v1/events/${id}/registrations/mine`)).json().status).toBe('confirmed');
    expect((await d!.client.get(`/api/v1/events/${id}/registrations/mine`)).json()).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    const promoted = await outbox(c!.email, 'event_promoted');
    expect(promoted).toHaveLength(1);
    expect(promoted[0]!.calendar_method).toBe('REQUEST');
    const itip = parseIcs(promoted[0]!.calendar_ics!);
    expect(itip.method).toBe('REQUEST');
    expect(itip.events[0]).toMatchObject({ uid: `event-${id}@puente.test` });
    expect(itip.events[0]!.attendee?.toLowerCase()).toBe(`mailto:${c!.email}`);
    // The one who withdrew gets an iTIP cancellation.
    const ended = await outbox(a!.email, 'event_registration_ended');
    expect(ended[0]!.calendar_method).toBe('CANCEL');
    expect(parseIcs(ended[0]!.calendar_ics!).method).toBe('CANCEL');
    // A larger capacity promotes the next in line.
    await organiser.patch(`/api/v1/events/${id}`, { capacity: 3 });
    expect((await d!.client.get(`/api/v1/events/${id}/registrations/mine`)).json().status).toBe('confirmed');

    // The participant list shows confirmed people who agreed to appear, to those who may see the event.
    await b!.client.patch(`/api/v1/events/${id}/registrations/mine`, { consentToList: true });
    const list = (await members[3]!.client.get(`/api/v1/events/${id}/participants`)).json().items.map((x: { name: string }) => x.name);
    expect(list).toEqual(['Member 1']);
    expect((await t.app.inject({ url: `/api/v1/events/${id}/participants` })).statusCode).toBe(404);
    // Only the organisers see every registration and its answers.
    expect((await b!.client.get(`/api/v1/events/${id}/registrations`)).statusCode).toBe(403);
    const all = (await organiser.get(`/api/v1/events/${id}/registrations`)).json().items;
    expect(all.map((x: { status: string }) => x.status)).toEqual(['withdrawn', 'confirmed', 'confirmed', 'confirmed']);
  });

  it('moderates: pending until an organiser confirms or declines; a change of time mails confirmed people an iTIP update with a higher SEQUENCE, a cancellation a CANCEL', async () => {
    const id = await publishedEvent({ registrationOpen: true, moderated: true, capacity: 5 });
    const [a, b] = members;
    const ra = (await a!.client.post(`/api/v1/events/${id}/registrations`, {})).json();
    expect(ra.status).toBe('pending');
    const rb = (await b!.client.post(`/api/v1/events/${id}/registrations`, {})).json();
    expect((await organiser.post(`/api/v1/events/${id}/registrations/${ra.id}/decision`, { decision: 'confirm' })).json().status).toBe('confirmed');
    expect((await organiser.post(`/api/v1/events/${id}/registrations/${rb.id}/decision`, { decision: 'decline' })).json().status).toBe('declined');
    expect((await a!.client.post(`/api/v1/events/${id}/registrations/${rb.id}/decision`, { decision: 'confirm' })).statusCode).toBe(403);
    const confirmed = await outbox(a!.email, 'event_confirmed');
    const first = parseIcs(confirmed.at(-1)!.calendar_ics!).events[0]!;
    await organiser.patch(`/api/v1/events/${id}`, { startsAt: '2027-04-13T10:00:00-04:00' });
    const updates = await outbox(a!.email, 'event_updated');
    expect(updates).toHaveLength(1);
    const upd = parseIcs(updates[0]!.calendar_ics!);
    expect(upd.method).toBe('REQUEST');
    expect(upd.events[0]).toMatchObject({ uid: first.uid, start: '2027-04-13T14:00:00.000Z' });
    expect(upd.events[0]!.sequence).toBeGreaterThan(first.sequence);
    // The declined person hears of no update.
    expect(await outbox(b!.email, 'event_updated')).toHaveLength(0);
    await organiser.patch(`/api/v1/events/${id}`, { status: 'cancelled' });
    const cancel = await outbox(a!.email, 'event_cancelled');
    expect(parseIcs(cancel[0]!.calendar_ics!)).toMatchObject({ method: 'CANCEL' });
    expect(parseIcs(cancel[0]!.calendar_ics!).events[0]).toMatchObject({ status: 'CANCELLED', uid: first.uid });
    const closed = await members[2]!.client.post(`/api/v1/events/${id}/registrations`, {});
    expect(closed.statusCode).toBe(409);
    expect(closed.json().error.code).toBe('REGISTRATION_CLOSED');
  });

  it('delegations: the organiser sets quotas; the focal point names delegates within them and the head; delegates get a letter of invitation', async () => {
    const id = await publishedEvent({ registrationOpen: true, capacity: 10 });
    expect((await focalEs.client.put(`/api/v1/events/${id}/delegations/ES`, { quota: 2 })).statusCode).toBe(403);
    const big = await organiser.put(`/api/v1/events/${id}/delegations/ES`, { quota: 11 });
    expect(big.statusCode).toBe(409);
    expect(big.json().error.code).toBe('EVENT_FULL');
    expect((await organiser.put(`/api/v1/events/${id}/delegations/ES`, { quota: 2 })).json().items[0]).toMatchObject({ country: 'ES', quota: 2, delegateCount: 0 });
    // Not a focal point of Spain, or a person of another country: refused.
    expect((await members[0]!.client.post(`/api/v1/events/${id}/delegations/ES/delegates`, { personId: delegatesEs[0]!.id })).statusCode).toBe(403);
    const wrongCountry = await focalEs.client.post(`/api/v1/events/${id}/delegations/ES/delegates`, { personId: members[0]!.id });
    expect(wrongCountry.statusCode).toBe(400);
    const one = await focalEs.client.post(`/api/v1/events/${id}/delegations/ES/delegates`, { personId: delegatesEs[0]!.id, head: true });
    expect(one.statusCode, one.body).toBe(201);
    await focalEs.client.post(`/api/v1/events/${id}/delegations/ES/delegates`, { personId: delegatesEs[1]!.id });
    const before = await tableCounts(t.db);
    const over = await focalEs.client.post(`/api/v1/events/${id}/delegations/ES/delegates`, { personId: delegatesEs[2]!.id });
    expect(over.statusCode).toBe(409);
    expect(over.json().error.code).toBe('DELEGATION_QUOTA_EXCEEDED');
    expect(await tableCounts(t.db)).toEqual(before);
    const lower = await organiser.put(`/api/v1/events/${id}/delegations/ES`, { quota: 1 });
    expect(lower.json().error.code).toBe('DELEGATION_QUOTA_EXCEEDED');

    const view = (await focalEs.client.get(`/api/v1/events/${id}/delegations`)).json().items[0];
    expect(view).toMatchObject({ country: 'ES', quota: 2, delegateCount: 2 });
    const head = view.delegates.find((x: { head: boolean }) => x.head);
    expect(head.person.id).toBe(delegatesEs[0]!.id);
    // Others who see the event see the quota and the count, not the names.
    expect((await members[0]!.client.get(`/api/v1/events/${id}/delegations`)).json().items[0]).toMatchObject({ delegateCount: 2, delegates: null, head: null });
    // Reserved seats count against the capacity: 10 - 2 quota = 8 open seats.
    expect((await organiser.patch(`/api/v1/events/${id}`, { capacity: 1 })).json().error.code).toBe('CAPACITY_BELOW_CONFIRMED');

    const letterUrl = `/api/v1/events/${id}/delegations/ES/letters/${head.registrationId}.pdf?lang=es`;
    const letter = await focalEs.client.get(letterUrl);
    expect(letter.statusCode).toBe(200);
    expect(letter.headers['content-type']).toBe('application/pdf');
    expect(letter.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    if (pdftotext) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'letter-'));
      fs.writeFileSync(path.join(dir, 'l.pdf'), letter.rawPayload);
      const text = spawnSync('pdftotext', ['-layout', path.join(dir, 'l.pdf'), '-']).stdout.toString();
      expect(text).toContain('Carta de invitación');
      expect(text).toContain('Reunión anual 2027');
      expect(text).toMatch(/PUENTE-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}/);
      expect(text).toContain('visado');
    }
    // The organiser may fetch it; another member, or the letter of someone in no delegation, is not there.
    expect((await organiser.get(letterUrl)).statusCode).toBe(200);
    expect((await members[0]!.client.get(letterUrl)).statusCode).toBe(404);
    // The delegate is told, with an iTIP invitation.
    expect((await outbox(delegatesEs[0]!.email, 'event_delegate'))[0]!.calendar_method).toBe('REQUEST');
  });

  it('gives each person a secret calendar feed of what they registered for; a forged, rotated or revoked token gets 404 and nothing else', async () => {
    const id = await publishedEvent({ registrationOpen: true, title: 'Evento del feed' });
    const [a] = members;
    await a!.client.post(`/api/v1/events/${id}/registrations`, {});
    const first = (await a!.client.post('/api/v1/calendar/feed', {})).json();
    expect(first.webcal).toMatch(/^webcal:\/\/puente\.test\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
    const path1 = new URL(first.url).pathname;
    const feed = await t.app.inject({ url: path1 });
    expect(feed.statusCode, feed.body).toBe(200);
    expect(feed.headers['content-type']).toMatch(/^text\/calendar/);
    const parsed = parseIcs(feed.body);
    expect(parsed.events.map((e) => e.uid)).toContain(`event-${id}@puente.test`);
    // Only the hash is stored.
    const token = path1.slice('/calendar/'.length, -4);
    const stored = await t.db.selectFrom('calendar_feeds').select('token_hash').where('person_id', '=', a!.id).executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(token);
    const forged = await t.app.inject({ url: `/calendar/${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}.ics` });
    expect(forged.statusCode).toBe(404);
    expect(forged.json().error.code).toBe('NOT_FOUND');
    expect((await t.app.inject({ url: '/calendar/nonsense.ics' })).statusCode).toBe(404);
    const second = (await a!.client.post('/api/v1/calendar/feed', {})).json();
    expect((await t.app.inject({ url: path1 })).statusCode).toBe(404);
    expect((await t.app.inject({ url: new URL(second.url).pathname })).statusCode).toBe(200);
    expect((await a!.client.get('/api/v1/calendar')).json().items.map((x: { event: { id: string } }) => x.event.id)).toContain(id);
    expect((await a!.client.del('/api/v1/calendar/feed')).statusCode).toBe(204);
    expect((await t.app.inject({ url: new URL(second.url).pathname })).statusCode).toBe(404);
  });

  it('purges personal answers after the retention period: nothing of them is left anywhere in the database', async () => {
    const id = await publishedEvent({ registrationOpen: true, retentionDays: 10, questions: [{ id: 'diet', label: 'Diet', type: 'text' }] });
    const marker = `allergy-${Math.random().toString(36).slice(2)}`;
    await members[1]!.client.post(`/api/v1/events/${id}/registrations`, { answers: { diet: marker } });
    const present = async () => {
      let n = 0;
      const tables = await sql<{ name: string }>`SELECT c.relname AS name FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = 'public' AND c.relkind = 'r'`.execute(t.db);
      for (const { name } of tables.rows) {
        const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(name)} AS x WHERE x::text LIKE ${`%${marker}%`}`.execute(t.db);
        n += Number(r.rows[0]!.n);
      }
      return n;
    };
    expect(await present()).toBe(1);
    // Not yet: the event ends 2027-04-14, plus 10 days.
    const p = platformOf(t.deps);
    expect(await purgeExpiredAnswers(p, new Date('2027-04-20T00:00:00Z'))).toBe(0);
    expect(await present()).toBe(1);
    expect(await purgeExpiredAnswers(p, new Date('2027-04-25T00:00:00Z'))).toBeGreaterThanOrEqual(1);
    expect(await present()).toBe(0);
    const reg = await t.db.selectFrom('event_registrations').select(['answers']).where('event_id', '=', id).executeTakeFirstOrThrow();
    expect(reg.answers).toEqual({});
    expect((await organiser.get(`/api/v1/events/${id}/registrations`)).json()).toMatchObject({ answersPurged: true });
  });
});

describe('the demo events', () => {
  it('hold the annual meeting in four languages with its timetable, the delegations of Spain and the Dominican Republic within their quotas, and a webinar for members', async () => {
    const d = await createTestApp();
    try {
      await loadDemo(d.db, TEST_PASSWORD);
      const pub = (await d.app.inject({ url: '/api/v1/events?limit=100' })).json() as { items: { id: string; kind: string; title: string; translation: { versions: { language: string }[] } }[] };
      const meeting = pub.items.find((e) => e.kind === 'annual-meeting')!;
      expect(meeting.translation.versions.map((v) => v.language).sort()).toEqual(['en', 'es', 'fr', 'pt']);
      // The webinar is GREEN: members only.
      expect(pub.items.map((e) => e.kind)).not.toContain('webinar');
      const focal = await login(d.app, 'diplomat.do@demo.puente.test');
      expect(((await focal.get('/api/v1/events?limit=100')).json() as { items: { kind: string }[] }).items.map((e) => e.kind)).toContain('webinar');
      const full = (await focal.get(`/api/v1/events/${meeting.id}?lang=fr`)).json();
      expect(full.title).toContain('Réunion annuelle');
      expect(full.sessions.length).toBeGreaterThanOrEqual(5);
      expect(full.sessions.every((s: { room: string; speakers: unknown[]; interpretation: string[] }) => s.room && s.speakers.length && s.interpretation.length)).toBe(true);
      const dels = (await focal.get(`/api/v1/events/${meeting.id}/delegations`)).json().items as { country: string; quota: number; delegateCount: number; head: string | null }[];
      expect(dels.map((x) => x.country).sort()).toEqual(['DO', 'ES']);
      for (const x of dels) expect(x.delegateCount).toBeLessThanOrEqual(x.quota);
      expect(dels.find((x) => x.country === 'DO')!.head).toBe('María Fernanda Peña');
      expect(parseIcs((await d.app.inject({ url: `/api/v1/events/${meeting.id}/calendar.ics` })).body).events.length).toBe(1 + full.sessions.length);
      const me = (await focal.get('/api/v1/calendar')).json();
      expect(me.items.map((x: { event: { id: string } }) => x.event.id)).toContain(meeting.id);
    } finally {
      await d.close();
    }
  }, 120_000);
});
