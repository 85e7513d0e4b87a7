import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, makeCommunity, makeOrganisation, makePerson, type TestApp } from '../../test/harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('communities', () => {
  it('are created by the secretariat, listed with counts, and membership is managed by their admins', async () => {
    const sOrg = await makeOrganisation(t.db, { country: 'INT', type: 'international_organisation' });
    const s = await login(t.app, (await makePerson(t.db, sOrg, { roles: ['member', 'org_admin', 'secretariat'] })).email);
    const orgA = await makeOrganisation(t.db);
    const orgB = await makeOrganisation(t.db, { country: 'ES', type: 'mfa' });
    const a = await makePerson(t.db, orgA);
    const b = await makePerson(t.db, orgB);
    const member = await login(t.app, a.email);
    const other = await login(t.app, b.email);

    expect((await member.post('/api/v1/communities', { slug: 'x-y', name: 'Nope' })).statusCode).toBe(403);
    const created = await s.post('/api/v1/communities', { slug: 'cyber-diplomats', name: 'Cyber diplomats', description: 'MFAs' });
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    expect((await s.post('/api/v1/communities', { slug: 'cyber-diplomats', name: 'Again' })).json().error.code).toBe('ALREADY_EXISTS');
    expect((await s.post('/api/v1/communities', { slug: 'Bad Slug!', name: 'Bad' })).statusCode).toBe(400);

    expect((await member.put(`/api/v1/communities/${id}/organisations/${orgB}`)).statusCode).toBe(403);
    expect((await s.put(`/api/v1/communities/${id}/organisations/${orgB}`)).statusCode).toBe(204);
    expect((await s.put(`/api/v1/communities/${id}/people/${a.id}`, { isAdmin: true })).statusCode).toBe(204);
    // a is now a community admin and may manage membership
    expect((await member.put(`/api/v1/communities/${id}/organisations/${orgA}`)).statusCode).toBe(204);

    const list = (await other.get('/api/v1/communities')).json().items.find((c: { id: string }) => c.id === id);
    expect(list).toMatchObject({ slug: 'cyber-diplomats', organisationCount: 2, peopleCount: 1, isMember: true });
    const detail = (await member.get(`/api/v1/communities/${id}`)).json();
    expect(detail.organisations.map((o: { id: string }) => o.id).sort()).toEqual([orgA, orgB].sort());
    expect(detail).toMatchObject({ isMember: true, isAdmin: true });

    expect((await member.del(`/api/v1/communities/${id}/organisations/${orgB}`)).statusCode).toBe(204);
    expect((await other.get('/api/v1/communities')).json().items.find((c: { id: string }) => c.id === id).isMember).toBe(false);
    const audited = await t.db.selectFrom('audit_log').select('action').where('target_id', '=', id).execute();
    expect(audited.map((r) => r.action)).toEqual(['community.created', 'community.membership_changed', 'community.membership_changed', 'community.membership_changed', 'community.membership_changed']);
  });

  it('membership feeds the access policy on the next request', async () => {
    const orgA = await makeOrganisation(t.db);
    const orgB = await makeOrganisation(t.db);
    const author = await login(t.app, (await makePerson(t.db, orgA)).email);
    const reader = await login(t.app, (await makePerson(t.db, orgB)).email);
    const k = await makeCommunity(t.db);
    const note = (await author.post('/api/v1/notes', { title: 'For K', body: 'x', language: 'en', tlp: 'AMBER', pap: 'AMBER', audience: { communities: [k] } })).json();
    expect((await reader.get(`/api/v1/notes/${note.id}`)).statusCode).toBe(404);
    await t.db.insertInto('community_organisations').values({ community_id: k, organisation_id: orgB }).execute();
    expect((await reader.get(`/api/v1/notes/${note.id}`)).statusCode).toBe(200);
  });

  it('are not listed to the public', async () => {
    expect((await t.app.inject({ url: '/api/v1/communities' })).statusCode).toBe(401);
  });
});

describe('proposals and join requests', () => {
  it('an organisation admin proposes, only the secretariat decides (a rejection needs a reason), approval makes the proposer admin', async () => {
    const sOrg = await makeOrganisation(t.db, { country: 'INT', type: 'international_organisation' });
    const s = await login(t.app, (await makePerson(t.db, sOrg, { roles: ['member', 'org_admin', 'secretariat'] })).email);
    const orgA = await makeOrganisation(t.db);
    const adminA = await makePerson(t.db, orgA, { roles: ['member', 'org_admin'] });
    const a = await login(t.app, adminA.email);
    const plainA = await login(t.app, (await makePerson(t.db, orgA)).email);
    const other = await login(t.app, (await makePerson(t.db, await makeOrganisation(t.db), { roles: ['member', 'org_admin'] })).email);

    expect((await plainA.post('/api/v1/communities/proposals', { slug: 'no-way', name: 'No' })).statusCode).toBe(403);
    const res = await a.post('/api/v1/communities/proposals', { slug: 'ot-security', name: 'OT security', description: 'Members only text', visibility: 'members', reason: 'Many of us run SCADA' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ status: 'proposed', visibility: 'members' });
    const id = res.json().id;
    // The same via POST /communities for a non-secretariat organisation admin.
    const viaMain = await other.post('/api/v1/communities', { slug: 'other-proposal', name: 'Other proposal' });
    expect(viaMain.json().status).toBe('proposed');

    expect((await plainA.get('/api/v1/communities')).json().items.some((c: { id: string }) => c.id === id)).toBe(false);
    expect((await other.get(`/api/v1/communities/${id}`)).statusCode).toBe(404);
    expect((await a.get(`/api/v1/communities/${id}`)).statusCode).toBe(200);
    const queue = (await s.get('/api/v1/communities/proposals')).json().items.map((x: { id: string }) => x.id);
    expect(queue).toContain(id);
    expect((await other.get('/api/v1/communities/proposals')).json().items.map((x: { id: string }) => x.id)).not.toContain(id);

    expect((await a.post(`/api/v1/communities/${id}/decision`, { decision: 'approve' })).statusCode).toBe(403);
    const noReason = await s.post(`/api/v1/communities/${viaMain.json().id}/decision`, { decision: 'reject' });
    expect(noReason.statusCode).toBe(400);
    expect((await s.post(`/api/v1/communities/${viaMain.json().id}/decision`, { decision: 'reject', reason: 'Overlaps with CSIRTs' })).json()).toMatchObject({ status: 'rejected', proposal: { decisionReason: 'Overlaps with CSIRTs' } });
    const approved = await s.post(`/api/v1/communities/${id}/decision`, { decision: 'approve' });
    expect(approved.statusCode).toBe(200);
    expect((await s.post(`/api/v1/communities/${id}/decision`, { decision: 'approve' })).statusCode).toBe(409);
    const d = (await a.get(`/api/v1/communities/${id}`)).json();
    expect(d).toMatchObject({ status: 'approved', isMember: true, isAdmin: true, canManage: true, description: 'Members only text' });
    // Member-only description: hidden from non-members.
    const seen = (await other.get(`/api/v1/communities/${id}`)).json();
    expect(seen).toMatchObject({ description: '', descriptionHidden: true });
    const events = await t.db.selectFrom('events').select(['type', 'audience_people']).where('subject_id', '=', id).execute();
    expect(events.find((e) => e.type === 'community.approved')?.audience_people).toEqual([adminA.id]);
    const audited = await t.db.selectFrom('audit_log').select('action').where('target_id', '=', id).orderBy('seq').execute();
    expect(audited.map((x) => x.action)).toEqual(['community.proposed', 'community.approved']);
  });

  it('join requests: organisation admins for their organisation, people for themselves; decided by community admins and the secretariat only', async () => {
    const sOrg = await makeOrganisation(t.db, { country: 'INT', type: 'international_organisation' });
    const s = await login(t.app, (await makePerson(t.db, sOrg, { roles: ['member', 'org_admin', 'secretariat'] })).email);
    const adminOrg = await makeOrganisation(t.db);
    const cAdminP = await makePerson(t.db, adminOrg);
    const k = await makeCommunity(t.db, { people: [{ id: cAdminP.id, isAdmin: true }] });
    const cAdmin = await login(t.app, cAdminP.email);
    const orgB = await makeOrganisation(t.db);
    const bAdminP = await makePerson(t.db, orgB, { roles: ['member', 'org_admin'] });
    const bAdmin = await login(t.app, bAdminP.email);
    const bPersonP = await makePerson(t.db, orgB);
    const bPerson = await login(t.app, bPersonP.email);

    expect((await bPerson.post(`/api/v1/communities/${k}/join-requests`, { for: 'organisation' })).statusCode).toBe(403);
    const own = await bPerson.post(`/api/v1/communities/${k}/join-requests`, { for: 'person', message: 'Please' });
    expect(own.statusCode).toBe(201);
    expect((await bPerson.post(`/api/v1/communities/${k}/join-requests`, { for: 'person' })).statusCode).toBe(409);
    const orgReq = await bAdmin.post(`/api/v1/communities/${k}/join-requests`, { for: 'organisation' });
    expect(orgReq.statusCode).toBe(201);
    const ev = await t.db.selectFrom('events').select('audience_people').where('type', '=', 'community.join_requested').where('subject_id', '=', k).execute();
    expect(ev.every((e) => e.audience_people.length === 1 && e.audience_people[0] === cAdminP.id)).toBe(true);

    // The requester sees only their own; admins see the pending ones.
    expect((await bPerson.get(`/api/v1/communities/${k}/join-requests`)).json().items.map((r: { id: string }) => r.id)).toEqual([own.json().id]);
    expect((await cAdmin.get(`/api/v1/communities/${k}/join-requests`)).json().items).toHaveLength(2);

    expect((await bAdmin.post(`/api/v1/communities/${k}/join-requests/${own.json().id}/decision`, { decision: 'approve' })).statusCode).toBe(403);
    const declined = await cAdmin.post(`/api/v1/communities/${k}/join-requests/${own.json().id}/decision`, { decision: 'decline', reason: 'Ask through your organisation' });
    expect(declined.json()).toMatchObject({ status: 'declined', decisionReason: 'Ask through your organisation' });
    expect((await cAdmin.post(`/api/v1/communities/${k}/join-requests/${own.json().id}/decision`, { decision: 'approve' })).statusCode).toBe(409);
    expect((await s.post(`/api/v1/communities/${k}/join-requests/${orgReq.json().id}/decision`, { decision: 'approve' })).statusCode).toBe(200);
    expect((await bPerson.get(`/api/v1/communities/${k}`)).json().isMember).toBe(true);
    expect((await bPerson.post(`/api/v1/communities/${k}/join-requests`, { for: 'person' })).statusCode).toBe(409);
    const toRequester = await t.db.selectFrom('events').select(['type', 'audience_people']).where('type', 'in', ['community.join_approved', 'community.join_declined']).where('subject_id', '=', k).execute();
    expect(toRequester.map((e) => [e.type, e.audience_people])).toEqual(expect.arrayContaining([['community.join_declined', [bPersonP.id]], ['community.join_approved', [bAdminP.id]]]));
    const audited = await t.db.selectFrom('audit_log').select('action').where('target_id', '=', k).orderBy('seq').execute();
    expect(audited.map((x) => x.action)).toEqual(['community.join_requested', 'community.join_requested', 'community.join_declined', 'community.join_approved']);
  });
});
