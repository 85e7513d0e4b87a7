/**
 * After an event its minutes become a draft activity record (POST /api/v1/events/{id}/record):
 * prefilled from the event, with the event's marking, linked both ways, once per event, and
 * nothing written when the input or the moment is wrong.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, makeOrganisation, makePerson, tableCounts, type Client, type TestApp } from '../../test/harness.js';

let t: TestApp;
let organiser: Client;
let organiserPerson: { id: string; email: string };
let colleague: Client;
let orgDo: string;
let orgEs: string;
let orgCl: string;
let orgBr: string;
let orgMx: string;
let otherOrganiser: Client;
let otherOrg: string;
let member: Client;
let secretariat: Client;

const base = {
  kind: 'policy-dialogue',
  language: 'es',
  title: 'Diálogo de política cibernética',
  description: 'UE-ALC',
  place: 'Santo Domingo',
  country: 'DO',
  // Late evening in Santo Domingo is the next day in UTC: the record's dates are the event's.
  startsAt: '2025-04-13T21:00:00-04:00',
  endsAt: '2025-04-14T22:30:00-04:00',
  timeZone: 'America/Santo_Domingo',
  tlp: 'GREEN',
  concepts: ['gfce-themes/b'],
  registrationOpen: true,
};

beforeAll(async () => {
  t = await createTestApp();
  orgDo = await makeOrganisation(t.db, { country: 'DO', type: 'mfa', name: 'Cancillería DO' });
  orgEs = await makeOrganisation(t.db, { country: 'ES', type: 'mfa', name: 'MAEC; España' });
  orgCl = await makeOrganisation(t.db, { country: 'CL', type: 'national_csirt', name: 'CSIRT Chile' });
  orgBr = await makeOrganisation(t.db, { country: 'BR', type: 'national_csirt', name: 'CSIRT Brasil' });
  orgMx = await makeOrganisation(t.db, { country: 'MX', type: 'academia', name: 'Universidad MX' });
  otherOrg = await makeOrganisation(t.db, { country: 'CO', type: 'other_government', name: 'Agencia CO' });
  const sec = await makeOrganisation(t.db, { country: 'BE', type: 'international_organisation', name: 'Secretariat' });
  organiserPerson = await makePerson(t.db, orgDo, { roles: ['member', 'org_admin'] });
  organiser = await login(t.app, organiserPerson.email);
  colleague = await login(t.app, (await makePerson(t.db, orgDo)).email);
  otherOrganiser = await login(t.app, (await makePerson(t.db, otherOrg, { roles: ['member', 'org_admin'] })).email);
  member = await login(t.app, (await makePerson(t.db, orgBr)).email);
  secretariat = await login(t.app, (await makePerson(t.db, sec, { roles: ['member', 'secretariat'] })).email);
});
afterAll(async () => t?.close());

/** A published event with registrations of every kind, then moved into the past (as if it took place). */
async function pastEvent(extra: Record<string, unknown> = {}) {
  const res = await organiser.post('/api/v1/events', { ...base, startsAt: '2030-01-10T09:00:00-04:00', endsAt: '2030-01-10T18:00:00-04:00', organiserOrgId: orgDo, ...extra });
  expect(res.statusCode, res.body).toBe(201);
  const id = res.json().id as string;
  expect((await organiser.patch(`/api/v1/events/${id}`, { status: 'published' })).statusCode).toBe(200);
  // Chile consents to be listed; Brazil does not; Mexico withdraws; Spain comes as a delegation.
  const cl = await login(t.app, (await makePerson(t.db, orgCl)).email);
  expect((await cl.post(`/api/v1/events/${id}/registrations`, { consentToList: true })).statusCode).toBe(201);
  expect((await member.post(`/api/v1/events/${id}/registrations`, { consentToList: false })).statusCode).toBe(201);
  const mx = await login(t.app, (await makePerson(t.db, orgMx)).email);
  expect((await mx.post(`/api/v1/events/${id}/registrations`, { consentToList: true })).statusCode).toBe(201);
  expect((await mx.del(`/api/v1/events/${id}/registrations/mine`)).statusCode).toBe(204);
  const focal = await makePerson(t.db, orgEs);
  await t.db.insertInto('country_focal_points').values({ country_code: 'ES', person_id: focal.id }).onConflict((oc) => oc.doNothing()).execute();
  expect((await organiser.put(`/api/v1/events/${id}/delegations/ES`, { quota: 1 })).statusCode).toBe(200);
  const focalClient = await login(t.app, focal.email);
  const delegate = await makePerson(t.db, orgEs);
  expect((await focalClient.post(`/api/v1/events/${id}/delegations/ES/delegates`, { personId: delegate.id })).statusCode).toBe(201);
  await t.db.updateTable('event_items').set({ starts_at: new Date(base.startsAt), ends_at: new Date(base.endsAt) }).where('id', '=', id).execute();
  return id;
}

const minutes = 'The dialogue agreed on **three** points.\n\n- Contacts\n- Exercises\n\n### Next steps\n\nA follow-up in 2028.';

describe('the minutes of an event', () => {
  it('become a draft record of the organisation that wrote the event, prefilled from it, with its marking, linked both ways', async () => {
    const id = await pastEvent();
    const before = (await organiser.get(`/api/v1/events/${id}`)).json();
    expect(before).toMatchObject({ can: { manage: true, writeMinutes: true }, record: null });
    const res = await organiser.post(`/api/v1/events/${id}/record`, {
      minutes,
      commitments: [
        { text: 'Confirm the 24/7 contacts', ownerOrgId: orgCl, due: '2027-12-31' },
        { text: 'Hold a follow-up exercise', ownerOrgId: orgEs },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    const link = res.json();
    expect(link).toMatchObject({ title: base.title, status: 'draft' });
    const record = (await organiser.get(`/api/v1/records/${link.id}`)).json();
    expect(record).toMatchObject({
      slug: link.slug,
      title: base.title,
      date: '2025-04-13',
      endDate: '2025-04-14',
      location: 'Santo Domingo, Dominican Republic',
      summary: minutes,
      language: 'es',
      concepts: ['gfce-themes/b'],
      status: 'draft',
      tlp: 'GREEN',
      organisation: { id: orgDo },
      can: { edit: true, propose: true },
    });
    expect(record.characteristics[0]).toContain('Cancillería DO');
    // The organiser, those who agreed to be listed and the delegations; not Brazil (no consent), not Mexico (withdrew).
    const actors = (record.actors as { category: string; actors: string[] }[]).flatMap((a) => a.actors.map((x) => `${a.category}: ${x}`)).sort();
    expect(actors).toEqual(['CSIRT nacional: CSIRT Chile', 'Ministerio de Asuntos Exteriores: Cancillería DO', 'Ministerio de Asuntos Exteriores: MAEC, España'].sort());
    expect(record.commitments).toEqual([
      { text: 'Confirm the 24/7 contacts', owners: ['CSIRT Chile'], countries: ['CL'], due: '2027-12-31', status: 'planned', progress: 0, milestones: [], evidence: [] },
      { text: 'Hold a follow-up exercise', owners: ['MAEC, España'], countries: ['ES'], status: 'planned', progress: 0, milestones: [], evidence: [] },
    ]);
    // The record in the alliance's Markdown shape reads back (it is checked by the records' own writer).
    const md = await organiser.get(`/api/v1/records/${link.id}/markdown`);
    expect(md.statusCode).toBe(200);
    expect(md.body).toContain('**Date**: 2025-04-13');
    const after = (await organiser.get(`/api/v1/events/${id}`)).json();
    expect(after).toMatchObject({ can: { writeMinutes: false }, record: { id: link.id, slug: link.slug, status: 'draft' } });
    // A colleague of the organisation sees the draft; a member of another organisation sees the event but not the draft.
    expect((await colleague.get(`/api/v1/events/${id}`)).json().record).toMatchObject({ id: link.id });
    expect((await member.get(`/api/v1/events/${id}`)).json().record).toBeNull();
    expect((await member.get(`/api/v1/records/${link.id}`)).statusCode).toBe(404);
    // From the record back to its event.
    expect((await organiser.get(`/api/v1/events?record=${link.id}`)).json().items.map((e: { id: string }) => e.id)).toEqual([id]);
    // Proposed and published, it is seen by whoever may see the event.
    expect((await organiser.post(`/api/v1/records/${link.id}/propose`, {})).statusCode).toBe(200);
    expect((await secretariat.post(`/api/v1/records/${link.id}/publish`, {})).statusCode).toBe(200);
    expect((await member.get(`/api/v1/events/${id}`)).json().record).toMatchObject({ id: link.id, status: 'published' });
    expect((await member.get(`/api/v1/records/${link.id}`)).statusCode).toBe(200);
    expect((await t.app.inject({ url: `/api/v1/records/${link.id}` })).statusCode).toBe(404);
    // Audited by identifier.
    const audit = await t.db.selectFrom('audit_log').select(['action', 'target_id', 'details']).where('action', 'in', ['record.created', 'event.minutes_recorded']).where('target_id', 'in', [id, link.id]).orderBy('seq').execute();
    expect(audit.map((a) => [a.action, a.target_id])).toEqual([
      ['record.created', link.id],
      ['event.minutes_recorded', id],
    ]);
    expect(JSON.stringify(audit)).not.toContain('three');
  });

  it('are written once: a second call is ALREADY_EXISTS and writes nothing, also when two arrive together', async () => {
    const id = await pastEvent();
    const [a, b] = await Promise.all([organiser.post(`/api/v1/events/${id}/record`, { minutes: 'First.' }), organiser.post(`/api/v1/events/${id}/record`, { minutes: 'Second.' })]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([201, 409]);
    expect((a.statusCode === 409 ? a : b).json().error.code).toBe('ALREADY_EXISTS');
    const before = await tableCounts(t.db);
    const again = await organiser.post(`/api/v1/events/${id}/record`, { minutes: 'Third.' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'ALREADY_EXISTS', details: { recordId: (a.statusCode === 201 ? a : b).json().id } });
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('are refused before the end, for drafts and cancelled events, to others than the writing organisation, and for input the record cannot hold — writing nothing', async () => {
    const future = await organiser.post('/api/v1/events', { ...base, startsAt: '2030-01-10T09:00:00-04:00', endsAt: '2030-01-10T18:00:00-04:00' });
    const futureId = future.json().id as string;
    const draftPast = (await organiser.post('/api/v1/events', base)).json().id as string;
    const cancelled = await pastEvent();
    const past = await pastEvent();
    // Organised by another organisation whose admin manages it too.
    const shared = await pastEvent({ organiserOrgId: otherOrg });
    expect((await organiser.post(`/api/v1/events/${draftPast}/record`, { minutes })).json().error.code).toBe('INVALID_STATE');
    expect((await organiser.patch(`/api/v1/events/${futureId}`, { status: 'published' })).statusCode).toBe(200);
    const early = await organiser.post(`/api/v1/events/${futureId}/record`, { minutes });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('INVALID_STATE');
    await t.db.updateTable('event_items').set({ status: 'cancelled' }).where('id', '=', cancelled).execute();
    expect((await organiser.post(`/api/v1/events/${cancelled}/record`, { minutes })).json().error.code).toBe('INVALID_STATE');
    // Someone who only sees the event; the admin of the organising organisation (not the writing one).
    expect((await member.post(`/api/v1/events/${past}/record`, { minutes })).statusCode).toBe(403);
    expect((await colleague.post(`/api/v1/events/${past}/record`, { minutes })).statusCode).toBe(403);
    const other = (await otherOrganiser.get(`/api/v1/events/${shared}`)).json();
    expect(other.can).toMatchObject({ manage: true, writeMinutes: false });
    expect((await otherOrganiser.post(`/api/v1/events/${shared}/record`, { minutes })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/events/${past}/record`, payload: { minutes } })).statusCode).toBe(401);
    const bad: [Record<string, unknown>, string | undefined][] = [
      [{ minutes: '' }, undefined],
      [{ minutes: '   ' }, 'minutes'],
      [{ minutes: 'Intro\n## Decisions\nNone.' }, 'minutes'],
      [{ minutes, commitments: [{ text: 'Owned by nobody', ownerOrgId: '00000000-0000-4000-8000-000000000000' }] }, 'commitments.0.ownerOrgId'],
      [{ minutes, commitments: [{ text: 'Owned by an organisation not approved', ownerOrgId: await makeOrganisation(t.db, { status: 'requested' }) }] }, 'commitments.0.ownerOrgId'],
      [{ minutes, commitments: [{ text: 'Fine', ownerOrgId: orgCl }, { text: 'Two\nlines', ownerOrgId: orgCl }] }, 'commitments.1.text'],
      [{ minutes, commitments: [{ text: 'Late', ownerOrgId: orgCl, due: '2027-13-01' }] }, undefined],
      [{ minutes, extra: true }, undefined],
    ];
    const beforeBad = await tableCounts(t.db);
    for (const [body, field] of bad) {
      const res = await organiser.post(`/api/v1/events/${past}/record`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
      if (field) expect(res.json().error.details.field).toBe(field);
    }
    expect(await tableCounts(t.db)).toEqual(beforeBad);
    // Spaces around the minutes are not part of them.
    const ok = await organiser.post(`/api/v1/events/${past}/record`, { minutes: '\n  Short minutes.  \n' });
    expect(ok.statusCode, ok.body).toBe(201);
    expect((await organiser.get(`/api/v1/records/${ok.json().id}`)).json().summary).toBe('Short minutes.');
  });
});
