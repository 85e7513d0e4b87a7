// Assistance requests end to end: who may ask, the steps and who takes them (409 for a step that
// does not follow, nothing written), narrowing the audience, expressions of interest (joint,
// seen only by those they concern), choosing one, the coordination meeting, the mails, and
// matching against the catalogue and the expert pool.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../platform/ids.js';
import { createTestApp, login, makeOrganisation, makePerson, tableCounts, type Client, type TestApp } from '../../test/harness.js';

let t: TestApp;
let secretariat: Client, focal: Client, colleague: Client, doAdmin: Client, provider: Client, partner: Client, outsider: Client, member: Client;
let secOrg: string, doOrg: string, teOrg: string, clOrg: string, esOrg: string, community: string;
let focalEmail: string, providerEmail: string;

beforeAll(async () => {
  t = await createTestApp();
  secOrg = await makeOrganisation(t.db, { country: 'BE', type: 'international_organisation' });
  doOrg = await makeOrganisation(t.db, { country: 'DO', type: 'mfa' });
  teOrg = await makeOrganisation(t.db, { country: 'BE', type: 'team_europe_agency' });
  clOrg = await makeOrganisation(t.db, { country: 'CL' });
  esOrg = await makeOrganisation(t.db, { country: 'ES', type: 'mfa' });
  const s = await makePerson(t.db, secOrg, { roles: ['member', 'org_admin', 'secretariat'] });
  const f = await makePerson(t.db, doOrg, { roles: ['member'] });
  const c = await makePerson(t.db, doOrg, { roles: ['member'] });
  const a = await makePerson(t.db, doOrg, { roles: ['member', 'org_admin'] });
  const pr = await makePerson(t.db, teOrg, { roles: ['member', 'org_admin'] });
  const m = await makePerson(t.db, teOrg, { roles: ['member'] });
  const pa = await makePerson(t.db, clOrg, { roles: ['member', 'org_admin'] });
  const o = await makePerson(t.db, esOrg, { roles: ['member', 'org_admin'] });
  focalEmail = f.email;
  providerEmail = pr.email;
  await t.db.insertInto('country_focal_points').values({ country_code: 'DO', person_id: f.id, added_by: s.id }).execute();
  // The providers' community, found by its well-known short name.
  community = newId();
  await t.db.insertInto('communities').values({ id: community, slug: 'capacity-building', name: 'Capacity-building providers' }).execute();
  await t.db.insertInto('community_organisations').values([{ community_id: community, organisation_id: teOrg }, { community_id: community, organisation_id: secOrg }]).execute();
  [secretariat, focal, colleague, doAdmin, provider, member, partner, outsider] = await Promise.all([s, f, c, a, pr, m, pa, o].map((x) => login(t.app, x.email)));
});
afterAll(async () => t?.close());

const base = {
  language: 'es',
  title: 'CSIRT sectorial para el sector eléctrico',
  description: 'Necesitamos ayuda para crear un CSIRT sectorial.',
  wanted: 'Asistencia técnica y formación.',
  concepts: ['takeaways/7c', 'gfce-themes/b'],
  audiences: ['csirt-staff'],
  languages: ['es', 'en'],
  urgency: 'high',
  format: 'hybrid',
  timeframe: { from: '2027-01-01', to: '2027-06-30' },
};

async function ask(c: Client = focal, body: Record<string, unknown> = {}) {
  const res = await c.post('/api/v1/requests', { ...base, country: 'DO', ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}
async function step(c: Client, id: string, status: string, extra: Record<string, unknown> = {}) {
  return c.post(`/api/v1/requests/${id}/status`, { status, ...extra });
}
async function opened(body: Record<string, unknown> = {}) {
  const r = await ask(focal, body);
  expect((await step(secretariat, r.id, 'triaged')).statusCode).toBe(200);
  expect((await step(secretariat, r.id, 'open')).statusCode).toBe(200);
  return r;
}
const mailsTo = (email: string, purpose: string) => t.db.selectFrom('mail_outbox').select(['subject', 'text_body']).where('to_address', '=', email).where('purpose', '=', purpose).execute();

describe('asking for assistance', () => {
  it('lets a focal point ask for their country, AMBER to the secretariat and the providers’ community by default', async () => {
    const r = await ask();
    expect(r).toMatchObject({ status: 'submitted', tlp: 'AMBER', country: 'DO', forCountry: true, organisation: { id: doOrg }, urgency: 'high', format: 'hybrid' });
    expect(r.audience.organisations.map((o: { id: string }) => o.id)).toEqual([secOrg]);
    expect(r.audience.communities).toEqual([{ id: community, name: 'Capacity-building providers' }]);
    expect(r.steps.map((s: { status: string }) => s.status)).toEqual(['submitted']);
    expect(r.next).toEqual([]);
  });

  it('lets an organisation admin ask for their organisation, and no one else', async () => {
    const own = await ask(doAdmin, { country: null });
    expect(own).toMatchObject({ country: 'DO', forCountry: false });
    const before = await tableCounts(t.db);
    expect((await colleague.post('/api/v1/requests', { ...base })).statusCode).toBe(403);
    // A focal point of another country cannot ask for it.
    expect((await focal.post('/api/v1/requests', { ...base, country: 'CL' })).statusCode).toBe(403);
    expect((await outsider.post('/api/v1/requests', { ...base, country: 'DO' })).statusCode).toBe(403);
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('refuses bad input with a 4xx and writes nothing', async () => {
    const before = await tableCounts(t.db);
    const bad = async (body: Record<string, unknown>, status: number, code: string) => {
      const res = await focal.post('/api/v1/requests', { ...base, country: 'DO', ...body });
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect(res.json().error.code).toBe(code);
    };
    await bad({ timeframe: { from: '2027-06-01', to: '2027-01-01' } }, 400, 'VALIDATION_FAILED');
    await bad({ concepts: ['nope/nothing'] }, 400, 'UNKNOWN_CONCEPT');
    await bad({ urgency: 'yesterday' }, 400, 'VALIDATION_FAILED');
    await bad({ audiences: ['everyone'] }, 400, 'VALIDATION_FAILED');
    await bad({ tlp: 'RED' }, 400, 'VALIDATION_FAILED');
    await bad({ tlp: 'AMBER+STRICT' }, 400, 'INVALID_MARKING');
    await bad({ providers: [newId()] }, 400, 'INVALID_MARKING');
    await bad({ title: '' }, 400, 'VALIDATION_FAILED');
    await bad({ extra: 1 }, 400, 'VALIDATION_FAILED');
    expect(await tableCounts(t.db)).toEqual(before);
  });
});

describe('the steps of a request', () => {
  it('are taken in order by whom they belong to, each on the timeline; a step out of order is 409 and changes nothing', async () => {
    const r = await ask();
    // Before triage, providers do not see it even though the marking would let them.
    expect((await provider.get(`/api/v1/requests/${r.id}`)).statusCode).toBe(404);
    expect((await colleague.get(`/api/v1/requests/${r.id}`)).statusCode).toBe(200);
    const before = await tableCounts(t.db);
    const skip = await step(secretariat, r.id, 'open');
    expect(skip.statusCode).toBe(409);
    expect(skip.json().error).toMatchObject({ code: 'REQUEST_INVALID_TRANSITION', details: { from: 'submitted', to: 'open', allowed: ['triaged'] } });
    expect((await step(focal, r.id, 'triaged')).statusCode).toBe(403);
    expect(await tableCounts(t.db)).toEqual(before);

    const triaged = await step(secretariat, r.id, 'triaged', { note: 'Fits CSIRT set-up assistance' });
    expect(triaged.statusCode).toBe(200);
    expect((await mailsTo(focalEmail, 'request_triaged')).some((m) => m.subject.includes(base.title))).toBe(true);
    expect((await step(secretariat, r.id, 'open')).json().status).toBe('open');
    // Now the providers' community sees it; an organisation outside the audience does not.
    expect((await provider.get(`/api/v1/requests/${r.id}`)).statusCode).toBe(200);
    expect((await member.get(`/api/v1/requests/${r.id}`)).statusCode).toBe(200);
    expect((await outsider.get(`/api/v1/requests/${r.id}`)).statusCode).toBe(404);
    expect((await partner.get(`/api/v1/requests/${r.id}`)).statusCode).toBe(404);
    const matched = await step(focal, r.id, 'matched');
    expect(matched.statusCode).toBe(409);
    expect(matched.json().error.code).toBe('REQUEST_INVALID_TRANSITION');

    const got = (await focal.get(`/api/v1/requests/${r.id}`)).json();
    expect(got.steps.map((s: { status: string; note: string }) => [s.status, s.note])).toEqual([
      ['submitted', ''],
      ['triaged', 'Fits CSIRT set-up assistance'],
      ['open', ''],
    ]);
    expect(got.can).toMatchObject({ own: true, triage: false, answer: false });
  });

  it('goes from matched to evaluated by the requester and the chosen provider, with a rating of 1 to 5', async () => {
    const r = await opened();
    const interest = (await provider.post(`/api/v1/requests/${r.id}/interests`, { message: 'We can help' })).json().interests[0];
    expect((await focal.post(`/api/v1/requests/${r.id}/interests/${interest.id}/choose`)).statusCode).toBe(200);
    expect((await member.post(`/api/v1/requests/${r.id}/status`, { status: 'in-delivery' })).statusCode).toBe(403);
    expect((await step(provider, r.id, 'in-delivery')).json().status).toBe('in-delivery');
    expect((await step(focal, r.id, 'completed')).json().status).toBe('completed');
    expect((await step(provider, r.id, 'evaluated', { evaluation: 5 })).statusCode).toBe(403);
    const noRating = await step(focal, r.id, 'evaluated');
    expect(noRating.statusCode).toBe(400);
    expect((await step(focal, r.id, 'evaluated', { evaluation: 9 })).statusCode).toBe(400);
    const done = (await step(focal, r.id, 'evaluated', { evaluation: 4, comment: 'Useful' })).json();
    expect(done).toMatchObject({ status: 'evaluated', evaluation: { score: 4, comment: 'Useful' }, next: [] });
    expect(done.steps.map((s: { status: string }) => s.status)).toEqual(['submitted', 'triaged', 'open', 'matched', 'in-delivery', 'completed', 'evaluated']);
    expect((await step(focal, r.id, 'completed')).statusCode).toBe(409);
  });
});

describe('who a request is shared with', () => {
  it('can be narrowed by the requester to named providers; the secretariat stays', async () => {
    const r = await opened();
    expect((await provider.put(`/api/v1/requests/${r.id}/audience`, { providers: [clOrg] })).statusCode).toBe(403);
    const narrowed = await focal.put(`/api/v1/requests/${r.id}/audience`, { providers: [clOrg] });
    expect(narrowed.statusCode).toBe(200);
    expect(narrowed.json().audience.organisations.map((o: { id: string }) => o.id).sort()).toEqual([secOrg, clOrg].sort());
    expect(narrowed.json().audience.communities).toEqual([]);
    expect((await provider.get(`/api/v1/requests/${r.id}`)).statusCode).toBe(404);
    expect((await partner.get(`/api/v1/requests/${r.id}`)).statusCode).toBe(200);
    expect((await secretariat.get(`/api/v1/requests/${r.id}`)).statusCode).toBe(200);
    const back = await focal.put(`/api/v1/requests/${r.id}/audience`, { providers: [] });
    expect(back.json().audience.communities.map((c: { id: string }) => c.id)).toEqual([community]);
    expect((await provider.get(`/api/v1/requests/${r.id}`)).statusCode).toBe(200);
    expect((await focal.put(`/api/v1/requests/${r.id}/audience`, { providers: [newId()] })).json().error.code).toBe('INVALID_MARKING');
  });

  it('under AMBER+STRICT names only providers', async () => {
    const r = await ask(focal, { tlp: 'AMBER+STRICT', providers: [clOrg] });
    expect(r.audience.communities).toEqual([]);
    expect(r.audience.organisations.map((o: { id: string }) => o.id).sort()).toEqual([secOrg, clOrg].sort());
    expect((await focal.put(`/api/v1/requests/${r.id}/audience`, { providers: [] })).json().error.code).toBe('INVALID_MARKING');
  });
});

describe('expressions of interest', () => {
  it('are given jointly, seen by the requester, the secretariat and the organisations named only, and chosen by the requester', async () => {
    const r = await opened();
    // Only an admin answers for their organisation; the requester does not answer itself.
    expect((await member.post(`/api/v1/requests/${r.id}/interests`, { message: 'x' })).statusCode).toBe(403);
    expect((await doAdmin.post(`/api/v1/requests/${r.id}/interests`, { message: 'x' })).statusCode).toBe(403);
    expect((await outsider.post(`/api/v1/requests/${r.id}/interests`, { message: 'x' })).statusCode).toBe(404);
    const joint = await provider.post(`/api/v1/requests/${r.id}/interests`, { message: 'Team Europe with the Chilean CSIRT', partners: [clOrg], offers: [newId()], experts: [newId()] });
    expect(joint.statusCode, joint.body).toBe(201);
    expect((await provider.post(`/api/v1/requests/${r.id}/interests`, { message: 'again' })).statusCode).toBe(409);
    const mail = await mailsTo(focalEmail, 'request_interest_received');
    expect(mail.some((m) => m.text_body?.includes('Team Europe') || m.subject.includes(base.title))).toBe(true);

    // A second provider of the community answers on its own; the first does not see that answer.
    const other = await makePerson(t.db, teOrg, { roles: ['member'] });
    const secondOrg = await makeOrganisation(t.db, { country: 'FR' });
    await t.db.insertInto('community_organisations').values({ community_id: community, organisation_id: secondOrg }).execute();
    const second = await login(t.app, (await makePerson(t.db, secondOrg, { roles: ['member', 'org_admin'] })).email);
    expect((await second.post(`/api/v1/requests/${r.id}/interests`, { message: 'We too' })).statusCode).toBe(201);

    const seen = async (c: Client) => (await c.get(`/api/v1/requests/${r.id}`)).json().interests.map((i: { message: string }) => i.message).sort();
    expect(await seen(focal)).toEqual(['Team Europe with the Chilean CSIRT', 'We too']);
    expect(await seen(colleague)).toEqual(['Team Europe with the Chilean CSIRT', 'We too']);
    expect(await seen(secretariat)).toEqual(['Team Europe with the Chilean CSIRT', 'We too']);
    expect(await seen(provider)).toEqual(['Team Europe with the Chilean CSIRT']);
    expect(await seen(await login(t.app, other.email))).toEqual(['Team Europe with the Chilean CSIRT']);
    expect(await seen(second)).toEqual(['We too']);
    // The Chilean partner is named on the answer but not (yet) in the request's audience.
    expect((await partner.get(`/api/v1/requests/${r.id}`)).statusCode).toBe(404);

    const id = (await focal.get(`/api/v1/requests/${r.id}`)).json().interests.find((i: { message: string }) => i.message.startsWith('Team')).id;
    expect((await provider.post(`/api/v1/requests/${r.id}/interests/${id}/choose`)).statusCode).toBe(403);
    expect((await second.post(`/api/v1/requests/${r.id}/interests/${id}/choose`)).statusCode).toBe(404);
    const [matchedBefore, chosenBefore] = [(await mailsTo(focalEmail, 'request_matched')).length, (await mailsTo(providerEmail, 'request_interest_chosen')).length];
    const chosen = await focal.post(`/api/v1/requests/${r.id}/interests/${id}/choose`);
    expect(chosen.statusCode).toBe(200);
    expect(chosen.json()).toMatchObject({ status: 'matched', chosenInterestId: id });
    expect(chosen.json().interests.map((i: { status: string }) => i.status).sort()).toEqual(['chosen', 'declined']);
    // The chosen organisation's partner joins the audience: it delivers.
    const atPartner = await partner.get(`/api/v1/requests/${r.id}`);
    expect(atPartner.statusCode).toBe(200);
    expect(atPartner.json().interests.map((i: { message: string }) => i.message)).toEqual(['Team Europe with the Chilean CSIRT']);
    // Other providers are not told who was chosen through the request's audience.
    const atOther = (await second.get(`/api/v1/requests/${r.id}`)).json();
    expect(atOther).toMatchObject({ audienceShown: false, audience: { organisations: [], communities: [] } });
    expect(atOther.steps.find((x: { status: string }) => x.status === 'matched')).toMatchObject({ by: null, organisation: null });
    expect((await focal.get(`/api/v1/requests/${r.id}`)).json().audience.organisations.map((o: { id: string }) => o.id)).toEqual(expect.arrayContaining([teOrg, clOrg]));
    expect((await mailsTo(focalEmail, 'request_matched')).length).toBe(matchedBefore + 1);
    expect((await mailsTo(providerEmail, 'request_interest_chosen')).length).toBe(chosenBefore + 1);
    expect((await focal.post(`/api/v1/requests/${r.id}/interests/${id}/choose`)).statusCode).toBe(409);
    // A request no longer open is not answered.
    expect((await outsider.post(`/api/v1/requests/${r.id}/interests`, { message: 'late' })).statusCode).toBe(404);
  });

  it('name the offers and experts they propose only to readers who may see them', async () => {
    const r = await opened();
    const offer = async (title: string, publish: boolean) => {
      const o = (await provider.post('/api/v1/offers', { type: 'assistance-csirt-soc', language: 'en', title, concepts: ['takeaways/7c'], languages: ['es'], format: 'online', tlp: 'GREEN' })).json();
      if (publish) expect((await provider.post(`/api/v1/offers/${o.id}/publish`)).statusCode).toBe(200);
      return o as { id: string; slug: string };
    };
    const published = await offer('CSIRT set-up in the Caribbean', true);
    const draft = await offer('Draft: SOC design clinic', false);
    const nobody = newId();
    const res = await provider.post(`/api/v1/requests/${r.id}/interests`, { message: 'Two offers, one still a draft', offers: [published.id, draft.id], experts: [nobody] });
    expect(res.statusCode, res.body).toBe(201);
    const answer = async (c: Client) => (await c.get(`/api/v1/requests/${r.id}`)).json().interests.find((i: { message: string }) => i.message === 'Two offers, one still a draft');
    // The draft is its provider's alone: the requester gets the published offer by name, not the draft's title.
    const seenByFocal = await answer(focal);
    expect(seenByFocal.offers.map((o: { title: string }) => o.title)).toEqual(['CSIRT set-up in the Caribbean']);
    expect(seenByFocal.experts).toEqual([]);
    expect(JSON.stringify(seenByFocal)).not.toContain('SOC design clinic');
    expect((await answer(provider)).offers.map((o: { title: string }) => o.title)).toEqual(['CSIRT set-up in the Caribbean', 'Draft: SOC design clinic']);
  });

  it('are not taken before the request is open', async () => {
    const r = await ask();
    expect((await secretariat.post(`/api/v1/requests/${r.id}/interests`, { message: 'early' })).statusCode).toBe(409);
  });
});

describe('the coordination meeting', () => {
  it('is convened by the secretariat as a members-only community of those concerned, with a first topic, once', async () => {
    const r = await opened();
    await provider.post(`/api/v1/requests/${r.id}/interests`, { message: 'Joint answer', partners: [clOrg] });
    expect((await focal.post(`/api/v1/requests/${r.id}/coordination`, { title: 'Kick-off', message: 'Let us meet' })).statusCode).toBe(403);
    const res = await secretariat.post(`/api/v1/requests/${r.id}/coordination`, { title: 'Coordination of the sectoral CSIRT', message: 'Let us meet on the 12th' });
    expect(res.statusCode, res.body).toBe(201);
    const { communityId, topicId } = res.json().coordination;
    const c = await t.db.selectFrom('communities').select(['name', 'visibility']).where('id', '=', communityId).executeTakeFirstOrThrow();
    expect(c.visibility).toBe('members');
    // Community names are listed to every member: the request's title is not in it.
    expect(c.name).not.toContain('CSIRT');
    const members = (await t.db.selectFrom('community_organisations').select('organisation_id').where('community_id', '=', communityId).execute()).map((x) => x.organisation_id).sort();
    expect(members).toEqual([secOrg, doOrg, teOrg, clOrg].sort());
    expect((await focal.get(`/api/v1/topics/${topicId}`)).statusCode).toBe(200);
    expect((await partner.get(`/api/v1/topics/${topicId}`)).statusCode).toBe(200);
    expect((await outsider.get(`/api/v1/topics/${topicId}`)).statusCode).toBe(404);
    expect((await secretariat.post(`/api/v1/requests/${r.id}/coordination`, { title: 'Again', message: 'x' })).statusCode).toBe(409);
  });

  it('with a date, is also an event of that community, in its members’ calendars; a bad date changes nothing', async () => {
    const r = await opened();
    await provider.post(`/api/v1/requests/${r.id}/interests`, { message: 'Joint answer', partners: [clOrg] });
    const meeting = { startsAt: '2027-03-12T14:00:00Z', endsAt: '2027-03-12T15:30:00Z', timeZone: 'America/Santo_Domingo' };
    const before = await t.db.selectFrom('communities').select((e) => e.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect((await secretariat.post(`/api/v1/requests/${r.id}/coordination`, { title: 'Kick-off', message: 'x', meeting: { ...meeting, timeZone: 'Mars/Olympus' } })).json().error.code).toBe('INVALID_TIME_ZONE');
    expect((await secretariat.post(`/api/v1/requests/${r.id}/coordination`, { title: 'Kick-off', message: 'x', meeting: { ...meeting, endsAt: meeting.startsAt } })).statusCode).toBe(400);
    expect((await t.db.selectFrom('communities').select((e) => e.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n).toBe(before.n);
    const res = await secretariat.post(`/api/v1/requests/${r.id}/coordination`, { title: 'Kick-off of the sectoral CSIRT', message: 'Agenda to follow', meeting });
    expect(res.statusCode, res.body).toBe(201);
    const { eventId } = res.json().coordination;
    expect(eventId).toBeTruthy();
    const ev = await focal.get(`/api/v1/events/${eventId}`);
    expect(ev.statusCode).toBe(200);
    expect(ev.json()).toMatchObject({ status: 'published', tlp: 'AMBER' });
    expect((await partner.get(`/api/v1/events/${eventId}`)).statusCode).toBe(200);
    expect((await outsider.get(`/api/v1/events/${eventId}`)).statusCode).toBe(404);
    expect((await focal.get(`/api/v1/events/${eventId}/calendar.ics`)).body).toContain('BEGIN:VEVENT');
  });
});

describe('lists, translations and the secretariat’s count', () => {
  it('list mine and what providers may see, filtered, with a cursor', async () => {
    const mine = (await doAdmin.get('/api/v1/requests?mine=true&limit=2')).json();
    expect(mine.items.length).toBe(2);
    expect(mine.items.every((i: { organisation: { id: string } }) => i.organisation.id === doOrg)).toBe(true);
    const next = (await doAdmin.get(`/api/v1/requests?mine=true&limit=2&cursor=${mine.nextCursor}`)).json();
    expect(next.items.map((i: { id: string }) => i.id)).not.toContain(mine.items[0].id);
    const open = (await provider.get('/api/v1/requests?status=open')).json().items;
    expect(open.length).toBeGreaterThan(0);
    expect((await provider.get('/api/v1/requests?status=submitted')).json().items).toEqual([]);
    expect((await outsider.get('/api/v1/requests')).json().items).toEqual([]);
    expect((await provider.get('/api/v1/requests?status=open&concept=takeaways/7c&country=DO')).json().items.length).toBe(open.length);
    expect((await provider.get('/api/v1/requests?country=CL')).json().items).toEqual([]);
    expect((await provider.get('/api/v1/requests?cursor=bogus')).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/requests' })).json().items).toEqual([]);
    const waiting = (await secretariat.get('/api/v1/requests/triage')).json().waiting;
    const listed = (await secretariat.get('/api/v1/requests?status=submitted&limit=100')).json().items;
    expect(waiting).toBe(listed.length);
    expect((await focal.get('/api/v1/requests/triage')).statusCode).toBe(403);
  });

  it('translate a request for its readers and the translation queue', async () => {
    const r = await ask();
    const en = await focal.put(`/api/v1/requests/${r.id}/translations/en`, { title: 'Sectoral CSIRT for electricity', description: 'We need help' });
    expect(en.statusCode).toBe(200);
    expect(en.json()).toMatchObject({ title: 'Sectoral CSIRT for electricity', translation: { shown: 'en' } });
    expect((await secretariat.put(`/api/v1/requests/${r.id}/translations/en`, { title: 'x' })).statusCode).toBe(403);
    const queue = (await focal.get('/api/v1/translations/queue')).json();
    expect(queue.items.some((i: { kind: string; id: string }) => i.kind === 'request' && i.id === r.id)).toBe(true);
  });
});

describe('matching', () => {
  it('ranks the catalogue’s offers, their providers and the pool’s experts with reasons, for who may read the request', async () => {
    const r = await opened();
    const offer = await provider.post('/api/v1/offers', {
      type: 'assistance-csirt-soc',
      language: 'en',
      title: 'CSIRT set-up assistance',
      concepts: ['takeaways/7c'],
      languages: ['es'],
      audiences: ['csirt-staff'],
      format: 'hybrid',
      countries: ['DO'],
      tlp: 'GREEN',
      sessions: [{ startsAt: '2027-03-01T09:00', endsAt: '2027-03-05T17:00', timeZone: 'America/Santo_Domingo', seats: 20 }],
    });
    expect(offer.statusCode, offer.body).toBe(201);
    expect((await provider.post(`/api/v1/offers/${offer.json().id}/publish`)).statusCode).toBe(200);
    const expert = await partner.post('/api/v1/experts', { language: 'es', headline: 'Incident responder', skills: ['ecsf-roles/cyber-incident-responder'], concepts: ['gfce-themes/b'], languages: ['es'], countries: ['CL', 'GT'], tlp: 'GREEN' });
    expect(expert.statusCode, expert.body).toBe(201);
    expect((await partner.post(`/api/v1/experts/${expert.json().id}/vet`)).statusCode).toBe(200);

    const m = (await focal.get(`/api/v1/requests/${r.id}/matches`)).json();
    const o = m.offers.find((x: { id: string }) => x.id === offer.json().id);
    expect(o.score).toBeGreaterThan(50);
    expect(o.reasons.map((x: { code: string }) => x.code)).toEqual(expect.arrayContaining(['concepts', 'languages', 'country-eligible', 'audiences', 'format', 'sessions-in-timeframe']));
    expect(m.providers[0].organisation.id).toBe(teOrg);
    const e = m.experts.find((x: { id: string }) => x.id === expert.json().id);
    expect(e.reasons.map((x: { code: string }) => x.code)).toEqual(expect.arrayContaining(['concepts', 'languages', 'region-experience']));
    expect(m.concepts['takeaways/7c'].en).toBeTruthy();
    expect(m.concepts['takeaways/7c'].es).toBeTruthy();
    // Someone who may not read the request gets nothing scored.
    expect((await outsider.get(`/api/v1/requests/${r.id}/matches`)).statusCode).toBe(404);

    // The provider is suggested the request, with what of theirs fits.
    const s = (await provider.get('/api/v1/requests/suggested')).json();
    const mine = s.items.find((x: { request: { id: string } }) => x.request.id === r.id);
    expect(mine.fits[0]).toMatchObject({ kind: 'offer', id: offer.json().id });
    expect(mine.score).toBeGreaterThan(0);
    // The outsider has no offer or expert and sees no request: nothing suggested.
    expect((await outsider.get('/api/v1/requests/suggested')).json().items).toEqual([]);
  });
});
