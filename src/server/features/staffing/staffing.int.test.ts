import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../demo/load.js';
import { createTestApp, login, makeOrganisation, makePerson, TEST_PASSWORD, type Client, type TestApp } from '../../test/harness.js';

let t: TestApp;
let provider: Client;
let colleague: Client;
let expertClient: Client;
let adminX: Client;
let outsider: Client;
let otherClient: Client;
let orgP: string;
let orgX: string;
let expertEmail: string;
beforeAll(async () => {
  t = await createTestApp();
  orgP = await makeOrganisation(t.db, { country: 'ES', name: 'Provider Agency' });
  orgX = await makeOrganisation(t.db, { country: 'CL', name: 'CSIRT Experts' });
  const orgO = await makeOrganisation(t.db, { country: 'FR' });
  const people = {
    provider: await makePerson(t.db, orgP, { roles: ['member', 'org_admin'] }),
    colleague: await makePerson(t.db, orgP),
    expert: await makePerson(t.db, orgX, { name: 'Elena Expert' }),
    other: await makePerson(t.db, orgX, { name: 'Omar Other' }),
    adminX: await makePerson(t.db, orgX, { roles: ['member', 'org_admin'] }),
    outsider: await makePerson(t.db, orgO),
  };
  expertEmail = people.expert.email;
  [provider, colleague, expertClient, adminX, outsider] = await Promise.all([people.provider, people.colleague, people.expert, people.adminX, people.outsider].map((x) => login(t.app, x.email)));
  otherClient = await login(t.app, people.other.email);
});
afterAll(async () => t?.close());

interface Staff {
  expertId: string;
  name: string;
  headline: string;
  role: string;
  status: string;
}
interface Offer {
  id: string;
  sessions: { id: string; staff: Staff[] }[];
}
interface ExpertSession {
  offerId: string;
  sessionId: string;
  role: string;
  status: string;
}
interface Expert {
  id: string;
  missionList: { id: string; offerId: string | null; startsOn: string; endsOn: string | null; country: string | null; host: { id: string } | null }[];
  upcomingSessions: ExpertSession[];
  staffProposals: ExpertSession[];
  canAnswerStaffing: boolean;
}

const expertBase = { language: 'en', headline: 'Incident response trainer', skills: ['ecsf-roles/cyber-incident-responder'], languages: ['es', 'en'], countries: ['CL'], tlp: 'GREEN' };
async function vettedExpert(c: Client, body: Record<string, unknown> = {}) {
  const res = await c.post('/api/v1/experts', { ...expertBase, ...body });
  expect(res.statusCode, res.body).toBe(201);
  const id = (res.json() as { id: string }).id;
  const v = await adminX.post(`/api/v1/experts/${id}/vet`);
  expect(v.statusCode, v.body).toBe(200);
  return id;
}

const offerBase = {
  type: 'training-course',
  language: 'en',
  format: 'in-person',
  tlp: 'GREEN',
  title: 'Incident handling course',
  sessions: [
    { startsAt: '2030-03-01T09:00', endsAt: '2030-03-01T17:00', timeZone: 'Europe/Madrid', place: 'Madrid', country: 'ES', seats: 20 },
    { startsAt: '2030-03-01T12:00', endsAt: '2030-03-01T18:00', timeZone: 'Europe/Madrid', place: 'Madrid', country: 'ES', seats: 20 },
    { startsAt: '2030-04-01T09:00', endsAt: '2030-04-02T17:00', timeZone: 'America/Santiago', place: 'Santiago', country: 'CL', seats: 20 },
  ],
};
async function publishedOffer(body: Record<string, unknown> = {}) {
  const res = await provider.post('/api/v1/offers', { ...offerBase, ...body });
  expect(res.statusCode, res.body).toBe(201);
  const o = res.json() as Offer;
  expect((await provider.post(`/api/v1/offers/${o.id}/publish`)).statusCode).toBe(200);
  return o;
}

const staffUrl = (o: Offer, i: number) => `/api/v1/offers/${o.id}/sessions/${o.sessions[i]!.id}/staff`;
const propose = (c: Client, o: Offer, i: number, expertId: string, role = 'trainer') => c.post(staffUrl(o, i), { expertId, role });
const answer = (c: Client, o: Offer, i: number, expertId: string, accept: boolean) => c.post(`${staffUrl(o, i)}/${expertId}/answer`, { accept });
const staffCount = async () => Number((await t.db.selectFrom('offer_session_staff').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
const missionsOfExpert = async (expertId: string) => t.db.selectFrom('expert_missions').selectAll().where('expert_id', '=', expertId).execute();
const mails = async (email: string) => t.db.selectFrom('mail_outbox').selectAll().where('to_address', '=', email).where('purpose', '=', 'staff_proposed').execute();
const getOffer = async (c: Client, id: string) => {
  const res = await c.get(`/api/v1/offers/${id}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Offer;
};
const getExpert = async (c: Client, id: string) => {
  const res = await c.get(`/api/v1/experts/${id}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Expert;
};
const code = (res: { json: () => unknown }) => (res.json() as { error: { code: string } }).error.code;

describe('staffing an offer’s sessions from the pool', () => {
  it('proposes, mails the expert, confirms into a mission, and is answered only by the expert’s side', async () => {
    const expertId = await vettedExpert(expertClient);
    const o = await publishedOffer();

    // Only the offer's editors propose.
    for (const c of [colleague, outsider, expertClient]) expect((await propose(c, o, 0, expertId)).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: staffUrl(o, 0), payload: { expertId, role: 'trainer' } })).statusCode).toBe(401);
    expect(await staffCount()).toBe(0);

    const res = await propose(provider, o, 0, expertId);
    expect(res.statusCode, res.body).toBe(201);
    const after = res.json() as Offer;
    expect(after.sessions[0]!.staff).toEqual([{ expertId, name: 'Elena Expert', headline: 'Incident response trainer', role: 'trainer', status: 'proposed' }]);
    expect(after.sessions[1]!.staff).toEqual([]);
    const sent = await mails(expertEmail);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.subject).toContain('Incident handling course');
    expect(sent[0]!.tlp).toBe('GREEN');
    expect((await t.db.selectFrom('audit_log').select('action').where('target_id', '=', o.id).where('action', 'like', 'offer.staff_%').execute()).map((r) => r.action)).toEqual(['offer.staff_proposed']);

    // The expert sees the proposal on their page; someone else reading the profile does not.
    const own = await getExpert(expertClient, expertId);
    expect(own.canAnswerStaffing).toBe(true);
    expect(own.staffProposals.map((s) => [s.sessionId, s.role])).toEqual([[o.sessions[0]!.id, 'trainer']]);
    const seen = await getExpert(outsider, expertId);
    expect(seen.canAnswerStaffing).toBe(false);
    expect(seen.staffProposals).toEqual([]);
    expect(seen.upcomingSessions).toEqual([]);

    // Answered by the expert or their organisation's admin, nobody else.
    for (const c of [provider, outsider, otherClient]) expect((await answer(c, o, 0, expertId, true)).statusCode).toBe(403);
    const ok = await answer(expertClient, o, 0, expertId, true);
    expect(ok.statusCode, ok.body).toBe(200);
    expect((ok.json() as Offer).sessions[0]!.staff[0]!.status).toBe('confirmed');
    const [mission, ...more] = await missionsOfExpert(expertId);
    expect(more).toEqual([]);
    expect(mission).toMatchObject({ offer_id: o.id, country: 'ES', host_org_id: orgP, title: 'Incident handling course', created_by: expect.any(String) });
    const profile = await getExpert(outsider, expertId);
    expect(profile.missionList.map((m) => [m.offerId, m.startsOn, m.endsOn, m.host?.id])).toEqual([[o.id, '2030-03-01', '2030-03-01', orgP]]);
    expect(profile.upcomingSessions.map((s) => [s.offerId, s.sessionId, s.status])).toEqual([[o.id, o.sessions[0]!.id, 'confirmed']]);

    // A proposal is answered once.
    const again = await answer(expertClient, o, 0, expertId, false);
    expect(again.statusCode).toBe(409);
    expect(code(again)).toBe('INVALID_STATE');
  });

  it('refuses bad input with stable codes and writes nothing', async () => {
    const expertId = await vettedExpert(otherClient, { headline: 'Forensics' });
    const o = await publishedOffer();
    const before = await staffCount();
    const bad = [
      [await provider.post(staffUrl(o, 0), { expertId, role: 'captain' }), 400, 'VALIDATION_FAILED'],
      [await provider.post(staffUrl(o, 0), { expertId: 'not-a-uuid', role: 'trainer' }), 400, 'VALIDATION_FAILED'],
      [await provider.post(staffUrl(o, 0), { role: 'trainer' }), 400, 'VALIDATION_FAILED'],
      [await provider.post(staffUrl(o, 0), { expertId, role: 'trainer', extra: 1 }), 400, 'VALIDATION_FAILED'],
      [await provider.post(`/api/v1/offers/${o.id}/sessions/00000000-0000-4000-8000-000000000000/staff`, { expertId, role: 'trainer' }), 404, 'NOT_FOUND'],
      [await provider.post(staffUrl(o, 0), { expertId: '00000000-0000-4000-8000-000000000000', role: 'trainer' }), 404, 'NOT_FOUND'],
      [await answer(otherClient, o, 0, expertId, true), 404, 'NOT_FOUND'],
      [await otherClient.post(`${staffUrl(o, 0)}/${expertId}/answer`, { accept: 'yes' }), 400, 'VALIDATION_FAILED'],
      [await provider.del(`${staffUrl(o, 0)}/${expertId}`), 404, 'NOT_FOUND'],
    ] as const;
    for (const [res, status, c] of bad) {
      expect(res.statusCode, res.body).toBe(status);
      expect(code(res)).toBe(c);
    }
    expect(await staffCount()).toBe(before);

    expect((await propose(provider, o, 0, expertId, 'facilitator')).statusCode).toBe(201);
    const dup = await propose(provider, o, 0, expertId, 'expert');
    expect(dup.statusCode).toBe(409);
    expect(code(dup)).toBe('ALREADY_EXISTS');
    expect(await staffCount()).toBe(before + 1);
  });

  it('does not let a proposer find experts they may not see, nor those not vetted', async () => {
    const o = await publishedOffer();
    // Shared with the expert's own organisation only.
    const hidden = await vettedExpert(adminX, { personId: (await makePerson(t.db, orgX)).id, tlp: 'AMBER', audience: { organisations: [orgX] } });
    // Proposed by their organisation, not vetted yet: only the organisation sees it.
    const colleagueOfX = await makePerson(t.db, orgX);
    const unvetted = await adminX.post('/api/v1/experts', { ...expertBase, personId: colleagueOfX.id });
    expect(unvetted.statusCode, unvetted.body).toBe(201);
    for (const id of [hidden, (unvetted.json() as { id: string }).id]) {
      const res = await propose(provider, o, 2, id);
      expect(res.statusCode).toBe(404);
      expect(code(res)).toBe('NOT_FOUND');
    }
  });

  it('refuses a double booking, at the proposal and at the confirmation, whatever offer it is on', async () => {
    const expertId = await vettedExpert(adminX, { personId: (await makePerson(t.db, orgX, { name: 'Dora Double' })).id });
    const o = await publishedOffer();
    const o2 = await publishedOffer({ title: 'Another course', sessions: [{ startsAt: '2030-03-01T16:00', endsAt: '2030-03-01T20:00', timeZone: 'Europe/Madrid', seats: 5 }] });
    expect((await propose(provider, o, 0, expertId)).statusCode).toBe(201);
    expect((await propose(provider, o, 1, expertId)).statusCode).toBe(201);
    expect((await answer(adminX, o, 0, expertId, true)).statusCode).toBe(200);

    const missions = (await missionsOfExpert(expertId)).length;
    const clash = await answer(adminX, o, 1, expertId, true);
    expect(clash.statusCode).toBe(409);
    expect(code(clash)).toBe('EXPERT_DOUBLE_BOOKED');
    expect((await missionsOfExpert(expertId)).length).toBe(missions);
    expect((await getOffer(provider, o.id)).sessions[1]!.staff[0]!.status).toBe('proposed');

    const before = await staffCount();
    const elsewhere = await propose(provider, o2, 0, expertId);
    expect(elsewhere.statusCode).toBe(409);
    expect(code(elsewhere)).toBe('EXPERT_DOUBLE_BOOKED');
    expect(await staffCount()).toBe(before);

    // A session that does not overlap is fine; declining writes no mission.
    expect((await propose(provider, o, 2, expertId, 'expert')).statusCode).toBe(201);
    const declined = await answer(adminX, o, 2, expertId, false);
    expect(declined.statusCode).toBe(200);
    expect((declined.json() as Offer).sessions[2]!.staff[0]!.status).toBe('declined');
    expect((await missionsOfExpert(expertId)).length).toBe(missions);

    // Once the confirmed one is withdrawn, the other can be confirmed.
    const gone = await adminX.del(`${staffUrl(o, 0)}/${expertId}`);
    expect(gone.statusCode, gone.body).toBe(200);
    expect((await missionsOfExpert(expertId)).length).toBe(missions - 1);
    expect((await answer(adminX, o, 1, expertId, true)).statusCode).toBe(200);
  });

  it('takes an expert off a session: the editors, or the expert withdrawing; an evaluated mission stays', async () => {
    const expertId = await vettedExpert(adminX, { personId: (await makePerson(t.db, orgX, { name: 'Rita Removed' })).id });
    const o = await publishedOffer();
    expect((await propose(provider, o, 0, expertId)).statusCode).toBe(201);
    expect((await answer(adminX, o, 0, expertId, true)).statusCode).toBe(200);
    for (const c of [colleague, outsider, otherClient]) expect((await c.del(`${staffUrl(o, 0)}/${expertId}`)).statusCode).toBe(403);
    const [m] = await missionsOfExpert(expertId);
    await t.db.updateTable('expert_missions').set({ evaluation: 5, evaluated_at: new Date() }).where('id', '=', m!.id).execute();
    const res = await provider.del(`${staffUrl(o, 0)}/${expertId}`);
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as Offer).sessions[0]!.staff).toEqual([]);
    expect((await missionsOfExpert(expertId)).map((x) => x.id)).toEqual([m!.id]);
    expect((await t.db.selectFrom('audit_log').select('action').where('target_id', '=', o.id).where('action', '=', 'offer.staff_removed').execute()).length).toBe(1);
  });

  it('takes the missions confirmed on a session away with the session', async () => {
    const expertId = await vettedExpert(adminX, { personId: (await makePerson(t.db, orgX, { name: 'Sara Session' })).id });
    const o = await publishedOffer();
    expect((await propose(provider, o, 2, expertId)).statusCode).toBe(201);
    expect((await answer(adminX, o, 2, expertId, true)).statusCode).toBe(200);
    expect(await missionsOfExpert(expertId)).toHaveLength(1);
    const res = await provider.del(`/api/v1/offers/${o.id}/sessions/${o.sessions[2]!.id}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(await missionsOfExpert(expertId)).toHaveLength(0);
    expect((await getExpert(adminX, expertId)).upcomingSessions).toEqual([]);
  });

  it('lists only experts the reader may see, and on a profile only sessions of offers the reader may see', async () => {
    // Shared with the provider's organisation (and its own) only.
    const narrow = await vettedExpert(adminX, { personId: (await makePerson(t.db, orgX, { name: 'Nadia Narrow' })).id, tlp: 'AMBER', audience: { organisations: [orgP] } });
    const open = await vettedExpert(adminX, { personId: (await makePerson(t.db, orgX, { name: 'Pablo Public' })).id });
    const o = await publishedOffer();
    expect((await propose(provider, o, 2, narrow)).statusCode).toBe(201);
    expect((await propose(provider, o, 2, open, 'facilitator')).statusCode).toBe(201);
    expect((await getOffer(provider, o.id)).sessions[2]!.staff.map((s) => s.expertId).sort()).toEqual([narrow, open].sort());
    expect((await getOffer(outsider, o.id)).sessions[2]!.staff.map((s) => s.expertId)).toEqual([open]);

    // An offer the outsider may not see: the expert's confirmed session on it is not on the profile for them.
    const closed = await publishedOffer({ tlp: 'AMBER', audience: { organisations: [orgX] }, title: 'Closed course' });
    expect((await propose(provider, closed, 0, open)).statusCode).toBe(201);
    expect((await answer(adminX, closed, 0, open, true)).statusCode).toBe(200);
    expect((await getExpert(adminX, open)).upcomingSessions.map((s) => s.offerId)).toEqual([closed.id]);
    expect((await getExpert(outsider, open)).upcomingSessions).toEqual([]);

    // The expert's side may not read this one: no mail, and nothing to answer there.
    const email = (await t.db.selectFrom('experts as x').innerJoin('people as p', 'p.id', 'x.person_id').select('p.email').where('x.id', '=', open).executeTakeFirstOrThrow()).email;
    const mailed = (await mails(email)).length;
    const own = await publishedOffer({ tlp: 'AMBER', audience: { organisations: [orgP] }, title: 'Internal course' });
    expect((await propose(provider, own, 2, open)).statusCode).toBe(201);
    expect((await mails(email)).length).toBe(mailed);
    expect((await answer(adminX, own, 2, open, true)).statusCode).toBe(404);
    expect((await getExpert(adminX, open)).staffProposals.map((s) => s.offerId)).toEqual([o.id]);
  });
});

describe('the demo', () => {
  it('staffs the summer school: a trainer confirmed (with the mission), a facilitator waiting for an answer', async () => {
    const d = await createTestApp();
    try {
      await loadDemo(d.db, TEST_PASSWORD);
      const diplomat = await login(d.app, 'diplomat.es@demo.puente.test');
      const analyst = await login(d.app, 'analyst.cl@demo.puente.test');
      const page = (await diplomat.get('/api/v1/offers?type=summer-school&limit=5')).json() as { items: { id: string }[] };
      const summer = (await diplomat.get(`/api/v1/offers/${page.items[0]!.id}`)).json() as Offer;
      expect(summer.sessions[0]!.staff.map((s) => [s.role, s.status]).sort()).toEqual([
        ['facilitator', 'proposed'],
        ['trainer', 'confirmed'],
      ]);
      const trainer = summer.sessions[0]!.staff.find((s) => s.role === 'trainer')!;
      const profile = (await diplomat.get(`/api/v1/experts/${trainer.expertId}`)).json() as Expert;
      expect(profile.upcomingSessions.map((s) => s.offerId)).toEqual([summer.id]);
      expect(profile.missionList.some((m) => m.offerId === summer.id)).toBe(true);
      const facilitator = summer.sessions[0]!.staff.find((s) => s.role === 'facilitator')!;
      const own = (await analyst.get(`/api/v1/experts/${facilitator.expertId}`)).json() as Expert;
      expect(own.staffProposals.map((s) => s.offerId)).toEqual([summer.id]);
    } finally {
      await d.close();
    }
  }, 120_000);
});
