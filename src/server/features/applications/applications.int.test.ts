import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchableOffers } from '../offers/matchable.js';
import { loadPrincipalParts } from '../../platform/auth/principal.js';
import { platformOf } from '../../platform/deps.js';
import { loadDemo } from '../../demo/load.js';
import { createTestApp, login, makeOrganisation, makePerson, tableCounts, TEST_PASSWORD, type Client, type TestApp } from '../../test/harness.js';
import { sendSessionReminders } from './reminders.js';

const pdftotext = spawnSync('sh', ['-c', 'command -v pdftotext']).stdout.toString().trim();

/** An iTIP message or a feed as the independent parser (ical.js) reads it. */
function parseIcs(text: string) {
  const comp = new ICAL.Component(ICAL.parse(text));
  for (const tz of comp.getAllSubcomponents('vtimezone')) {
    const z = new ICAL.Timezone(tz);
    if (ICAL.TimezoneService.has(z.tzid)) ICAL.TimezoneService.remove(z.tzid);
    ICAL.TimezoneService.register(z);
  }
  return {
    method: comp.getFirstPropertyValue('method') as string | null,
    events: comp.getAllSubcomponents('vevent').map((v) => ({
      uid: v.getFirstPropertyValue('uid') as string,
      sequence: Number(v.getFirstPropertyValue('sequence')),
      summary: v.getFirstPropertyValue('summary') as string,
      status: v.getFirstPropertyValue('status') as string,
      start: (v.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate().toISOString(),
      tzid: v.getFirstProperty('dtstart')!.getParameter('tzid') as string | undefined,
      attendee: v.getFirstPropertyValue('attendee') as string | null,
    })),
  };
}

let t: TestApp;
let provider: Client;
let colleague: Client;
let partner: Client;
let secretariat: Client;
let applicant: Client;
let admin: Client;
let focal: Client;
let outsider: Client;
let people: Record<string, { id: string; email: string }>;
let orgEu: string;
let orgCl: string;
let orgDo: string;

beforeAll(async () => {
  t = await createTestApp();
  orgEu = await makeOrganisation(t.db, { country: 'BE', type: 'team_europe_agency', name: 'Team Europe Test Agency' });
  orgCl = await makeOrganisation(t.db, { country: 'CL', name: 'CSIRT de Chile (prueba)' });
  orgDo = await makeOrganisation(t.db, { country: 'DO', name: 'CSIRT Dominicano (prueba)' });
  const orgMfa = await makeOrganisation(t.db, { country: 'DO', type: 'mfa', name: 'Cancillería (prueba)' });
  const orgOther = await makeOrganisation(t.db, { country: 'FR' });
  const orgSec = await makeOrganisation(t.db, { country: 'BE', type: 'international_organisation' });
  people = {
    provider: await makePerson(t.db, orgEu, { roles: ['member', 'org_admin'] }),
    colleague: await makePerson(t.db, orgEu),
    partner: await makePerson(t.db, orgCl),
    secretariat: await makePerson(t.db, orgSec, { roles: ['member', 'secretariat'] }),
    applicant: await makePerson(t.db, orgDo, { name: 'Luisa Batista Peña' }),
    admin: await makePerson(t.db, orgDo, { roles: ['member', 'org_admin'] }),
    focal: await makePerson(t.db, orgMfa),
    outsider: await makePerson(t.db, orgOther, { roles: ['member', 'org_admin'] }),
  };
  await t.db.insertInto('country_focal_points').values({ country_code: 'DO', person_id: people.focal!.id }).execute();
  await t.db.updateTable('people').set({ ui_language: 'es' }).where('id', '=', people.applicant!.id).execute();
  [provider, colleague, partner, secretariat, applicant, admin, focal, outsider] = await Promise.all(
    ['provider', 'colleague', 'partner', 'secretariat', 'applicant', 'admin', 'focal', 'outsider'].map((k) => login(t.app, people[k]!.email)),
  );
});
afterAll(async () => t?.close());

const anonymous = (url: string) => t.app.inject({ method: 'GET', url });
const future = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

interface Offer {
  id: string;
  slug: string;
  sessions: { id: string; seats: number; confirmed: number; freeSeats: number }[];
}
interface App {
  id: string;
  offer: { id: string };
  feedbackGiven: boolean;
  status: string;
  waitlistPosition: number | null;
  gender: string | null;
  applicant: { email: string | null };
  certificate: { code: string | null; url: string | null; revoked: boolean } | null;
  feedback: { satisfaction: number } | null;
  can: { withdraw: boolean; endorse: boolean; decide: boolean; attend: boolean; feedback: boolean };
}

async function makeOffer(o: { seats?: number; requiresEndorsement?: boolean; deadline?: string | null; settings?: Record<string, unknown>; countries?: string[] } = {}) {
  const res = await provider.post('/api/v1/offers', {
    type: 'assistance-csirt-soc',
    language: 'es',
    format: 'hybrid',
    tlp: 'CLEAR',
    title: `Asistencia CSIRT ${Math.random().toString(36).slice(2, 8)}`,
    selectionCriteria: 'Equipos que preparan un CSIRT sectorial.',
    concepts: ['gfce-themes/b'],
    languages: ['es'],
    countries: o.countries ?? ['DO'],
    requiresEndorsement: !!o.requiresEndorsement,
    partners: [{ organisationId: orgCl, role: 'implementing' }],
    sessions: [{ startsAt: future(30), endsAt: future(32), timeZone: 'America/Santo_Domingo', place: 'Santo Domingo', country: 'DO', seats: o.seats ?? 2, applicationDeadline: o.deadline === undefined ? future(20) : o.deadline }],
  });
  expect(res.statusCode, res.body).toBe(201);
  const offer = res.json() as Offer;
  if (o.settings) expect((await provider.put(`/api/v1/offers/${offer.id}/application-settings`, o.settings)).statusCode).toBe(200);
  expect((await provider.post(`/api/v1/offers/${offer.id}/publish`)).statusCode).toBe(200);
  return offer;
}
const applyTo = (c: Client, o: Offer, body: Record<string, unknown> = {}, session = o.sessions[0]!.id) => c.post(`/api/v1/offers/${o.id}/sessions/${session}/applications`, body);
const mailsTo = async (email: string, purpose?: string) =>
  t.db
    .selectFrom('mail_outbox')
    .selectAll()
    .where('to_address', '=', email)
    .$if(!!purpose, (q) => q.where('purpose', '=', purpose!))
    .orderBy('created_at')
    .execute();
/** Move a session into the past (attendance and completion come after it begins). */
const begin = async (sessionId: string) =>
  t.db.updateTable('offer_sessions').set({ starts_at: new Date(Date.now() - 3 * 86_400_000), ends_at: new Date(Date.now() - 86_400_000), application_deadline: null }).where('id', '=', sessionId).execute();

describe('applications to offer sessions', () => {
  it('goes from application to certificate and feedback, tells the participant by mail with the session as iCalendar, and rolls up into outcomes', async () => {
    const offer = await makeOffer({ settings: { questions: [{ id: 'role', label: 'Your role', type: 'choice', options: ['analyst', 'manager'], required: true }] } });
    const session = offer.sessions[0]!.id;
    // The form: its questions, the free seats, the reader's own applications.
    const form = (await applicant.get(`/api/v1/offers/${offer.id}/application-form`)).json();
    expect(form).toMatchObject({ selection: 'by-criteria', eligible: true, questions: [{ id: 'role', required: true }], sessions: [{ id: session, freeSeats: 2, open: true }], mine: [] });
    expect((await outsider.get(`/api/v1/offers/${offer.id}/application-form`)).json()).toMatchObject({ eligible: false });
    // A required answer missing, an answer not among the choices, an unknown gender: 400, nothing written.
    const before = await tableCounts(t.db);
    expect((await applyTo(applicant, offer, {})).json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    expect((await applyTo(applicant, offer, { answers: { role: 'director' } })).json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    expect((await applyTo(applicant, offer, { answers: { role: 'analyst' }, gender: 'other' })).statusCode).toBe(400);
    // Not among the eligible countries: 403.
    expect((await applyTo(outsider, offer, { answers: { role: 'analyst' } })).json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    expect(await tableCounts(t.db)).toEqual(before);

    const res = await applyTo(applicant, offer, { motivation: 'Preparamos el CSIRT eléctrico.', answers: { role: 'analyst' }, gender: 'woman' });
    expect(res.statusCode, res.body).toBe(201);
    const app = res.json() as App;
    expect(app).toMatchObject({ status: 'submitted', gender: 'woman', can: { withdraw: true, decide: false, feedback: false } });
    // Twice: 409 ALREADY_APPLIED, nothing changed.
    const once = await tableCounts(t.db);
    expect((await applyTo(applicant, offer, { answers: { role: 'analyst' } })).json()).toMatchObject({ error: { code: 'ALREADY_APPLIED' } });
    expect(await tableCounts(t.db)).toEqual(once);
    expect((await mailsTo(people.applicant!.email, 'application_received')).length).toBe(1);

    // Who reads it: the applicant, their organisation's admin, the provider — not a partner, the secretariat or an outsider.
    for (const c of [applicant, admin, provider, colleague]) expect((await c.get(`/api/v1/applications/${app.id}`)).statusCode).toBe(200);
    for (const c of [partner, secretariat, outsider, focal]) expect((await c.get(`/api/v1/applications/${app.id}`)).statusCode).toBe(404);
    expect((await anonymous(`/api/v1/applications/${app.id}`)).statusCode).toBe(401);
    // The gender is the applicant's to see; the e-mail the provider's.
    const seen = (await provider.get(`/api/v1/applications/${app.id}`)).json() as App;
    expect(seen).toMatchObject({ gender: null, applicant: { email: people.applicant!.email }, can: { decide: true } });
    expect((await admin.get(`/api/v1/applications/${app.id}`)).json()).toMatchObject({ gender: null, applicant: { email: null } });
    const list = (await provider.get(`/api/v1/offers/${offer.id}/applications`)).json() as { items: App[]; sessions: { counts: Record<string, number> }[] };
    expect(list.items.map((i) => i.id)).toEqual([app.id]);
    expect(list.sessions[0]!.counts).toEqual({ submitted: 1 });
    expect(((await outsider.get(`/api/v1/offers/${offer.id}/applications`)).json() as { items: App[] }).items).toEqual([]);

    // Only the provider decides; a refusal needs its reason.
    expect((await colleague.post(`/api/v1/applications/${app.id}/decision`, { decision: 'select' })).statusCode).toBe(403);
    expect((await provider.post(`/api/v1/applications/${app.id}/decision`, { decision: 'not-select' })).json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    const selected = await provider.post(`/api/v1/applications/${app.id}/decision`, { decision: 'select', reason: 'Equipo del CSIRT eléctrico' });
    expect(selected.json()).toMatchObject({ status: 'selected' });
    expect((await t.db.selectFrom('offer_sessions').select('confirmed').where('id', '=', session).executeTakeFirstOrThrow()).confirmed).toBe(1);
    // The mail carries the session as an iTIP REQUEST that an independent parser reads, in the participant's language.
    const [mail] = await mailsTo(people.applicant!.email, 'application_selected');
    expect(mail).toMatchObject({ calendar_method: 'REQUEST', tlp: 'RED', audience_people: [people.applicant!.id] });
    expect(mail!.subject).toMatch(/^Ha sido seleccionado/);
    const ics = parseIcs(mail!.calendar_ics!);
    expect(ics.method).toBe('REQUEST');
    expect(ics.events).toEqual([expect.objectContaining({ uid: `offer-session-${session}@puente.test`, sequence: 0, status: 'CONFIRMED', tzid: 'America/Santo_Domingo' })]);
    expect(ics.events[0]!.attendee).toContain(people.applicant!.email);

    // The personal calendar feed (features/events) carries the seat.
    const feed = (await applicant.post('/api/v1/calendar/feed')).json() as { url: string };
    const feedIcs = parseIcs((await anonymous(new URL(feed.url).pathname)).body);
    expect(feedIcs.events.map((e) => e.uid)).toContain(`offer-session-${session}@puente.test`);

    // Attendance and completion come once the session has begun; feedback after completion only.
    expect((await provider.put(`/api/v1/applications/${app.id}/attendance`, { attended: true })).json()).toMatchObject({ error: { code: 'INVALID_STATE' } });
    expect((await applicant.post(`/api/v1/applications/${app.id}/feedback`, { satisfaction: 5, usefulness: 5 })).json()).toMatchObject({ error: { code: 'INVALID_STATE' } });
    await begin(session);
    expect((await provider.put(`/api/v1/applications/${app.id}/completion`, { completed: true })).json()).toMatchObject({ error: { code: 'INVALID_STATE' } });
    expect((await provider.put(`/api/v1/applications/${app.id}/attendance`, { attended: true, days: ['1999-01-01'] })).json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    expect((await applicant.put(`/api/v1/applications/${app.id}/attendance`, { attended: true })).statusCode).toBe(403);
    expect((await provider.put(`/api/v1/applications/${app.id}/attendance`, { attended: true })).json()).toMatchObject({ attended: true });
    const done = (await provider.put(`/api/v1/applications/${app.id}/completion`, { completed: true })).json() as App;
    expect(done.certificate).toMatchObject({ revoked: false });
    const code = done.certificate!.code!;
    expect(code).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect((await mailsTo(people.applicant!.email, 'certificate_issued'))[0]!.text_body).toContain(`/certificates/${code}`);

    // The certificate: PDF in the participant's language, with its verification address.
    const pdf = await applicant.get(`/api/v1/applications/${app.id}/certificate.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    if (pdftotext) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cert-'));
      fs.writeFileSync(path.join(dir, 'c.pdf'), pdf.rawPayload);
      const text = spawnSync('pdftotext', [path.join(dir, 'c.pdf'), '-']).stdout.toString();
      expect(text).toContain('Certificado de finalización');
      expect(text).toContain('Luisa Batista Peña');
      expect(text).toContain(`/certificates/${code}`);
    }
    expect((await outsider.get(`/api/v1/applications/${app.id}/certificate.pdf`)).statusCode).toBe(404);
    // Anyone checks it — only what a certificate shows.
    const check = await anonymous(`/api/v1/certificates/${code}`);
    expect(check.json()).toMatchObject({ name: 'Luisa Batista Peña', provider: 'Team Europe Test Agency', status: 'valid' });
    expect(Object.keys(check.json()).sort()).toEqual(['code', 'endsAt', 'issuedAt', 'name', 'offer', 'provider', 'startsAt', 'status', 'timeZone', 'url']);
    expect(check.body).not.toContain(people.applicant!.email);
    const page = await anonymous(`/certificates/${code}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Luisa Batista Peña');
    expect(page.body).not.toContain(people.applicant!.email);
    // A forged code and an unknown one: 404, a page saying so.
    for (const bad of ['x'.repeat(22), `${code.slice(0, -1)}${code.endsWith('A') ? 'B' : 'A'}`, '%3Cscript%3Ealert(1)%3C%2Fscript%3E']) {
      expect((await anonymous(`/api/v1/certificates/${bad}`)).statusCode).toBe(404);
      const p404 = await anonymous(`/certificates/${bad}`);
      expect(p404.statusCode).toBe(404);
      expect(p404.headers['content-type']).toMatch(/^text\/html/);
      expect(p404.body).not.toContain('<script>');
    }

    // Feedback: once, by the participant.
    expect((await provider.post(`/api/v1/applications/${app.id}/feedback`, { satisfaction: 5, usefulness: 4 })).statusCode).toBe(403);
    const fb = await applicant.post(`/api/v1/applications/${app.id}/feedback`, { satisfaction: 4, usefulness: 5, comments: 'Muy útil', followUp: 'Redactar el procedimiento de incidentes' });
    expect(fb.statusCode, fb.body).toBe(201);
    expect(fb.json()).toMatchObject({ feedback: { satisfaction: 4 }, can: { feedback: false } });
    const twice = await tableCounts(t.db);
    expect((await applicant.post(`/api/v1/applications/${app.id}/feedback`, { satisfaction: 1, usefulness: 1 })).json()).toMatchObject({ error: { code: 'ALREADY_EXISTS' } });
    expect(await tableCounts(t.db)).toEqual(twice);

    // Outcomes: provider, partners and the secretariat; not an outsider nor the participant.
    const outcomes = (await partner.get(`/api/v1/offers/${offer.id}/outcomes`)).json();
    expect(outcomes).toMatchObject({
      applications: 1,
      participants: 1,
      byCountry: [{ key: 'DO', count: 1 }],
      byOrganisationType: [{ key: 'national_csirt', count: 1 }],
      completed: 1,
      completionRate: 1,
      satisfaction: { count: 1, mean: 4, distribution: [0, 0, 0, 1, 0] },
      followUps: ['Redactar el procedimiento de incidentes'],
    });
    expect(outcomes.byGender).toContainEqual({ key: 'woman', count: 1 });
    expect(JSON.stringify(outcomes)).not.toContain('Luisa');
    for (const c of [provider, secretariat]) expect((await c.get(`/api/v1/offers/${offer.id}/outcomes`)).statusCode).toBe(200);
    for (const c of [outsider, applicant]) expect((await c.get(`/api/v1/offers/${offer.id}/outcomes`)).statusCode).toBe(403);
    const csv = await provider.get(`/api/v1/offers/${offer.id}/outcomes.csv`);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.body).toContain('country,DO,1');
    // Matching reads the evaluation.
    const viewer = (await loadPrincipalParts(t.db, people.applicant!.id))!.viewer;
    const matched = (await matchableOffers(t.db, viewer, { concepts: ['gfce-themes/b'], languages: [], limit: 500 })).find((m) => m.id === offer.id);
    expect(matched?.evaluation).toEqual({ count: 1, mean: 4 });

    // Not completed after all: the certificate is revoked, and says so.
    await provider.put(`/api/v1/applications/${app.id}/completion`, { completed: false });
    expect((await anonymous(`/api/v1/certificates/${code}`)).json()).toMatchObject({ status: 'revoked' });
    const actions = (await t.db.selectFrom('audit_log').select('action').where('target_id', '=', app.id).orderBy('seq').execute()).map((r) => r.action);
    expect(actions).toEqual([
      'application.submitted',
      'application.selected',
      'application.attendance_recorded',
      'application.completion_recorded',
      'application.certificate_issued',
      'application.feedback_given',
      'application.completion_recorded',
      'application.certificate_revoked',
    ]);
    // Every mail about it went to the applicant alone, marked for them alone.
    const mails = await t.db.selectFrom('mail_outbox').select(['to_address', 'tlp', 'audience_people']).where('purpose', 'like', 'application_%').execute();
    for (const m of mails) expect(m.audience_people).toEqual([(await t.db.selectFrom('people').select('id').where('email', '=', m.to_address).executeTakeFirstOrThrow()).id]);
  });

  it('asks the organisation admin or the national focal point to endorse, and nobody else', async () => {
    const offer = await makeOffer({ requiresEndorsement: true, settings: { selection: 'first-come' } });
    const a1 = (await applyTo(applicant, offer)).json() as App;
    expect(a1.status).toBe('endorsement-pending');
    const b = await makePerson(t.db, orgDo);
    const other = await login(t.app, b.email);
    const a2 = (await applyTo(other, offer)).json() as App;
    // Who may see the pending endorsements: the organisation admin and the focal point.
    const pending = async (c: Client) => ((await c.get('/api/v1/applications/endorsements')).json() as { items: App[] }).items.map((i) => i.id).sort();
    expect(await pending(admin)).toEqual([a1.id, a2.id].sort());
    expect(await pending(focal)).toEqual([a1.id, a2.id].sort());
    for (const c of [provider, applicant, outsider, secretariat]) expect(await pending(c)).toEqual([]);
    // Not entitled: the applicant themselves, the provider (403); someone who cannot read it (404). Nothing changes.
    const before = await tableCounts(t.db);
    expect((await applicant.post(`/api/v1/applications/${a1.id}/endorse`)).json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    expect((await provider.post(`/api/v1/applications/${a1.id}/endorse`)).json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    expect((await outsider.post(`/api/v1/applications/${a1.id}/endorse`)).statusCode).toBe(404);
    expect((await provider.post(`/api/v1/applications/${a1.id}/decision`, { decision: 'select' })).json()).toMatchObject({ error: { code: 'INVALID_STATE' } });
    expect(await tableCounts(t.db)).toEqual(before);
    // Endorsed on a first-come offer: they arrive, and take a seat.
    expect((await admin.post(`/api/v1/applications/${a1.id}/endorse`, { note: 'Analista del CSIRT' })).json()).toMatchObject({ status: 'selected' });
    expect((await focal.post(`/api/v1/applications/${a2.id}/refuse-endorsement`, { note: 'Otra prioridad' })).json()).toMatchObject({ status: 'endorsement-refused' });
    expect((await focal.post(`/api/v1/applications/${a2.id}/endorse`)).json()).toMatchObject({ error: { code: 'INVALID_STATE' } });
    expect((await mailsTo(b.email, 'application_endorsement_refused')).length).toBe(1);
    const audit = await t.db.selectFrom('audit_log').select(['action', 'details']).where('target_id', '=', a2.id).where('action', '=', 'application.endorsement_refused').executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ asFocalPoint: true });
  });

  it('refuses applications after the deadline, to a cancelled session, and to a full session without waitlist — changing nothing', async () => {
    const late = await makeOffer({ deadline: future(10) });
    await t.db.updateTable('offer_sessions').set({ application_deadline: new Date(Date.now() - 60_000) }).where('id', '=', late.sessions[0]!.id).execute();
    const full = await makeOffer({ seats: 1, settings: { selection: 'first-come', waitlist: false } });
    expect((await applyTo(admin, full)).json()).toMatchObject({ status: 'selected' });
    const before = await tableCounts(t.db);
    expect((await applyTo(applicant, late)).json()).toMatchObject({ error: { code: 'APPLICATIONS_CLOSED' } });
    expect((await applyTo(applicant, full)).json()).toMatchObject({ error: { code: 'SESSION_FULL' } });
    expect((await applyTo(applicant, full, {}, '00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await applyTo(applicant, full, {}, 'not-a-session')).statusCode).toBe(400);
    expect(await tableCounts(t.db)).toEqual(before);
    expect((await t.db.selectFrom('offer_sessions').select(['confirmed', 'last_ticket']).where('id', '=', full.sessions[0]!.id).executeTakeFirstOrThrow())).toEqual({ confirmed: 1, last_ticket: 1 });
    // Seats below those confirmed: 409 from the offer, which reads the real count; nothing changes.
    const two = await makeOffer({ seats: 2, settings: { selection: 'first-come' } });
    expect((await applyTo(admin, two)).json()).toMatchObject({ status: 'selected' });
    expect((await applyTo(applicant, two)).json()).toMatchObject({ status: 'selected' });
    const counted = await tableCounts(t.db);
    const lower = await provider.put(`/api/v1/offers/${two.id}/sessions/${two.sessions[0]!.id}`, { startsAt: future(30), endsAt: future(32), timeZone: 'America/Santo_Domingo', seats: 1, place: 'Santo Domingo' });
    expect(lower.json()).toMatchObject({ error: { code: 'INVALID_STATE', details: { confirmed: 2 } } });
    expect(await tableCounts(t.db)).toEqual(counted);
    const cancelled = await makeOffer();
    await provider.post(`/api/v1/offers/${cancelled.id}/sessions/${cancelled.sessions[0]!.id}/cancel`);
    expect((await applyTo(applicant, cancelled)).json()).toMatchObject({ error: { code: 'APPLICATIONS_CLOSED' } });
    expect((await provider.post(`/api/v1/offers/${cancelled.id}/sessions/${cancelled.sessions[0]!.id}/cancel`)).json()).toMatchObject({ error: { code: 'INVALID_STATE' } });
  });

  it('promotes the first on the waitlist when a seat holder withdraws, tells both with their calendars, and follows a moved session with a higher SEQUENCE', async () => {
    const offer = await makeOffer({ seats: 1, settings: { selection: 'first-come' } });
    const s = offer.sessions[0]!;
    const [p1, p2, p3] = [await makePerson(t.db, orgDo), await makePerson(t.db, orgDo), await makePerson(t.db, orgDo)];
    const [c1, c2, c3] = await Promise.all([p1, p2, p3].map((x) => login(t.app, x.email)));
    const a1 = (await applyTo(c1, offer)).json() as App;
    const a2 = (await applyTo(c2, offer)).json() as App;
    const a3 = (await applyTo(c3, offer)).json() as App;
    expect([a1.status, a2.status, a3.status]).toEqual(['selected', 'waitlisted', 'waitlisted']);
    expect([a2.waitlistPosition, a3.waitlistPosition]).toEqual([1, 2]);
    expect((await mailsTo(p3.email, 'application_waitlisted'))[0]!.text_body).toMatch(/ 2 /);
    // A withdrawal by someone else: 403 (a provider) — only the applicant withdraws.
    expect((await provider.post(`/api/v1/applications/${a1.id}/withdraw`)).statusCode).toBe(403);
    expect((await c1.post(`/api/v1/applications/${a1.id}/withdraw`)).json()).toMatchObject({ status: 'withdrawn' });
    expect((await c2.get(`/api/v1/applications/${a2.id}`)).json()).toMatchObject({ status: 'selected', waitlistPosition: null });
    expect((await c3.get(`/api/v1/applications/${a3.id}`)).json()).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    expect((await t.db.selectFrom('offer_sessions').select('confirmed').where('id', '=', s.id).executeTakeFirstOrThrow()).confirmed).toBe(1);
    expect(parseIcs((await mailsTo(p1.email, 'application_withdrawn'))[0]!.calendar_ics!).method).toBe('CANCEL');
    expect(parseIcs((await mailsTo(p2.email, 'application_promoted'))[0]!.calendar_ics!).method).toBe('REQUEST');
    expect((await c1.post(`/api/v1/applications/${a1.id}/withdraw`)).json()).toMatchObject({ error: { code: 'INVALID_STATE' } });

    // The session moves: the seat holder's calendar takes the update (SEQUENCE 1), the waitlisted hear of it.
    const [from, to] = [future(40), future(42)];
    const moved = await provider.put(`/api/v1/offers/${offer.id}/sessions/${s.id}`, { startsAt: from, endsAt: to, timeZone: 'America/Santo_Domingo', seats: 1, place: 'Punta Cana' });
    expect(moved.statusCode, moved.body).toBe(200);
    const upd = parseIcs((await mailsTo(p2.email, 'application_session_changed'))[0]!.calendar_ics!);
    expect(upd).toMatchObject({ method: 'REQUEST', events: [{ uid: `offer-session-${s.id}@puente.test`, sequence: 1 }] });
    expect((await mailsTo(p3.email, 'application_session_changed'))[0]!.calendar_ics).toBeNull();
    // Seats alone change nothing in calendars.
    await provider.put(`/api/v1/offers/${offer.id}/sessions/${s.id}`, { startsAt: from, endsAt: to, timeZone: 'America/Santo_Domingo', seats: 2, place: 'Punta Cana' });
    expect((await mailsTo(p2.email, 'application_session_changed')).length).toBe(1);
    // Reminders: a week before, then a day before, each once.
    const p = platformOf(t.deps);
    const start = (await t.db.selectFrom('offer_sessions').select('starts_at').where('id', '=', s.id).executeTakeFirstOrThrow()).starts_at;
    await sendSessionReminders(p, new Date(start.getTime() - 6 * 86_400_000));
    await sendSessionReminders(p, new Date(start.getTime() - 6 * 86_400_000));
    expect((await mailsTo(p2.email, 'application_reminder')).length).toBe(1);
    await sendSessionReminders(p, new Date(start.getTime() - 12 * 3_600_000));
    expect((await mailsTo(p2.email, 'application_reminder')).length).toBe(2);
    expect((await mailsTo(p3.email, 'application_reminder')).length).toBe(0);
    // Cancelled: the seat holder's calendar drops it (METHOD:CANCEL, a higher SEQUENCE).
    await provider.post(`/api/v1/offers/${offer.id}/sessions/${s.id}/cancel`);
    const cancel = parseIcs((await mailsTo(p2.email, 'application_session_cancelled'))[0]!.calendar_ics!);
    expect(cancel).toMatchObject({ method: 'CANCEL', events: [{ sequence: 2, status: 'CANCELLED' }] });
  });
});

describe('a member of an international body', () => {
  // International bodies (the directory's country `INT`) send people to courses open to everyone;
  // their applications were refused by the database (a 500) and their country had no name.
  it('applies to an offer open to every country and counts under international bodies in the outcomes', async () => {
    const body = await makeOrganisation(t.db, { country: 'INT', type: 'international_organisation', name: 'Foro Interamericano (prueba)' });
    const member = await login(t.app, (await makePerson(t.db, body)).email);
    const open = await makeOffer({ countries: [] });
    expect((await member.get(`/api/v1/offers/${open.id}/application-form`)).json()).toMatchObject({ eligible: true });
    const res = await applyTo(member, open);
    expect(res.statusCode, res.body).toBe(201);
    expect((await provider.post(`/api/v1/applications/${res.json().id}/decision`, { decision: 'select' })).statusCode).toBe(200);
    const outcomes = (await provider.get(`/api/v1/offers/${open.id}/outcomes`)).json();
    expect(outcomes.byCountry).toEqual([{ key: 'INT', count: 1 }]);
    // An offer for named countries stays closed to them.
    const named = await makeOffer({ countries: ['DO'] });
    expect((await applyTo(member, named)).statusCode).toBe(403);
  });
});

describe('the demo applications', () => {
  it('hold the Dominican analysts’ completed assistance with certificates and feedback, and the summer school full with a waitlist', async () => {
    const d = await createTestApp();
    try {
      await loadDemo(d.db, TEST_PASSWORD);
      const analyst = await login(d.app, 'analyst.do@demo.puente.test');
      const mine = ((await analyst.get('/api/v1/applications')).json() as { items: (App & { offer: { type: string } })[] }).items;
      const done = mine.find((a) => a.offer.type === 'assistance-csirt-soc')!;
      expect(done).toMatchObject({ status: 'selected', feedbackGiven: true, certificate: { revoked: false } });
      expect((await d.app.inject({ method: 'GET', url: `/certificates/${done.certificate!.code}` })).statusCode).toBe(200);
      expect(mine.find((a) => a.offer.type === 'summer-school')).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
      // His colleague waits for an endorsement he (her organisation's admin) and the national focal point may give.
      const pending = ((await analyst.get('/api/v1/applications/endorsements')).json() as { items: App[] }).items;
      expect(pending).toHaveLength(1);
      const focal = await login(d.app, 'diplomat.do@demo.puente.test');
      expect(((await focal.get('/api/v1/applications/endorsements')).json() as { items: App[] }).items.map((i) => i.id)).toEqual(pending.map((i) => i.id));
      // The provider sees the outcomes of the delivered cohort; the session counts are the real ones.
      const provider = await login(d.app, 'provider.eu@demo.puente.test');
      const outcomes = (await provider.get(`/api/v1/offers/${done.offer.id}/outcomes`)).json();
      expect(outcomes).toMatchObject({ completed: 4, satisfaction: { count: 3 } });
      expect(outcomes.byCountry.map((c: { key: string }) => c.key)).toEqual(['DO', 'GT']);
      const counts = await d.db.selectFrom('offer_sessions as s').select(['s.confirmed', (eb) => eb.selectFrom('applications as a').select((x) => x.fn.countAll<string>().as('n')).whereRef('a.session_id', '=', 's.id').where('a.status', '=', 'selected').as('selected')]).execute();
      for (const c of counts) expect(c.confirmed).toBe(Number(c.selected));
    } finally {
      await d.close();
    }
  });
});
