import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, makeCommunity, makeOrganisation, makePerson, type Client, type TestApp } from '../../test/harness.js';

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

describe('the can object of a community', () => {
  it('says manage exactly when adding an organisation succeeds, and moderate exactly when deleting someone else\'s topic does', async () => {
    const orgIn = await makeOrganisation(t.db);
    const orgS = await makeOrganisation(t.db, { country: 'INT', type: 'international_organisation' });
    const author = await makePerson(t.db, orgIn);
    const admin = await makePerson(t.db, orgIn);
    const k = await makeCommunity(t.db, { organisations: [orgIn], people: [{ id: admin.id, isAdmin: true }] });
    const authorClient = await login(t.app, author.email);
    const viewers: Record<string, Client> = {
      secretariat: await login(t.app, (await makePerson(t.db, orgS, { roles: ['member', 'org_admin', 'secretariat'] })).email),
      admin: await login(t.app, admin.email),
      member: await login(t.app, (await makePerson(t.db, orgIn)).email),
      outsider: await login(t.app, (await makePerson(t.db, await makeOrganisation(t.db), { roles: ['member', 'org_admin'] })).email),
    };
    const managed: string[] = [];
    const moderated: string[] = [];
    for (const [name, c] of Object.entries(viewers)) {
      const d = (await c.get(`/api/v1/communities/${k}`)).json();
      expect(d.canManage, name).toBe(d.can.manage);
      // A new organisation each time: adding one already in the community changes nothing and would prove nothing.
      const added = await c.put(`/api/v1/communities/${k}/organisations/${await makeOrganisation(t.db)}`);
      expect(added.statusCode === 204, `${name}: can.manage is ${d.can.manage}, adding an organisation answered ${added.statusCode} ${added.body}`).toBe(d.can.manage);
      if (d.can.manage) managed.push(name);
      const topic = await authorClient.post(`/api/v1/communities/${k}/topics`, { title: `Not by ${name}`, body: 'x', tlp: 'GREEN' });
      expect(topic.statusCode, topic.body).toBe(201);
      const deleted = await c.del(`/api/v1/topics/${topic.json().id}`);
      expect(deleted.statusCode === 204, `${name}: can.moderate is ${d.can.moderate}, deleting the topic answered ${deleted.statusCode} ${deleted.body}`).toBe(d.can.moderate);
      if (d.can.moderate) moderated.push(name);
    }
    // Not vacuous: the rule of communityAbilities, seen through the API.
    expect(managed).toEqual(['secretariat', 'admin']);
    expect(moderated).toEqual(['admin']);
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

describe('members-only communities: outsiders see the name only', () => {
  let k: string, pub: string;
  let member: Client, outsider: Client, secretariat: Client, memberAdmin: Client;
  let memberId: string, leaverId: string, outsiderId: string, secretariatId: string;
  let leaver: Client;
  const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

  beforeAll(async () => {
    const orgIn = await makeOrganisation(t.db);
    const orgLeaving = await makeOrganisation(t.db);
    const orgOut = await makeOrganisation(t.db);
    const orgS = await makeOrganisation(t.db, { country: 'INT', type: 'international_organisation' });
    const m = await makePerson(t.db, orgIn);
    const ma = await makePerson(t.db, orgIn, { roles: ['member', 'org_admin'] });
    const l = await makePerson(t.db, orgLeaving);
    const o = await makePerson(t.db, orgOut);
    const s = await makePerson(t.db, orgS, { roles: ['member', 'org_admin', 'secretariat'] });
    [memberId, leaverId, outsiderId, secretariatId] = [m.id, l.id, o.id, s.id];
    k = await makeCommunity(t.db, { organisations: [orgIn, orgLeaving], people: [{ id: ma.id, isAdmin: true }] });
    await t.db.updateTable('communities').set({ visibility: 'members', description: 'Only for us: SCADA incidents' }).where('id', '=', k).execute();
    pub = await makeCommunity(t.db, { organisations: [orgIn] });
    await t.db.updateTable('communities').set({ description: 'Open to all' }).where('id', '=', pub).execute();
    [member, memberAdmin, leaver, outsider, secretariat] = await Promise.all([m, ma, l, o, s].map((x) => login(t.app, x.email)));
  });

  it('the list and the page give outsiders the name only; members and the secretariat (which administers it) see the rest', async () => {
    const listed = (c: Client, id: string) => c.get('/api/v1/communities').then((r) => r.json().items.find((x: { id: string }) => x.id === id));
    expect(await listed(outsider, k)).toMatchObject({ name: expect.any(String), description: '', organisationCount: null, peopleCount: null, descriptionHidden: true, isMember: false });
    const page = (await outsider.get(`/api/v1/communities/${k}`)).json();
    expect(page).toMatchObject({ description: '', descriptionHidden: true, organisations: [], people: [], isMember: false });
    expect((await outsider.get(`/api/v1/communities/${k}/mentionable`)).statusCode).toBe(403);

    for (const c of [member, secretariat]) {
      expect(await listed(c, k)).toMatchObject({ description: 'Only for us: SCADA incidents', organisationCount: 2, peopleCount: 1, descriptionHidden: false });
      const d = (await c.get(`/api/v1/communities/${k}`)).json();
      expect(d.organisations).toHaveLength(2);
      expect(d.people.map((x: { id: string }) => x.id)).toHaveLength(1);
    }
    expect((await member.get(`/api/v1/communities/${k}/mentionable`)).json().items.map((x: { id: string }) => x.id)).toContain(memberId);
    // A public community shows everything to every vetted member, as before.
    expect(await listed(outsider, pub)).toMatchObject({ description: 'Open to all', organisationCount: 1, descriptionHidden: false });
  });

  it('its discussions are for members only, whatever the marking; the secretariat reads them only as a member', async () => {
    const green = await member.post(`/api/v1/communities/${k}/topics`, { title: 'GREEN in a members-only community', body: 'x', tlp: 'GREEN' });
    expect(green.statusCode, green.body).toBe(201);
    const id = green.json().id;
    const att = await t.app.inject({ method: 'POST', url: `/api/v1/topics/${id}/attachments?name=r.pdf`, headers: { cookie: member.cookie, 'x-csrf-token': member.csrf, 'content-type': 'application/octet-stream' }, payload: PDF });
    expect(att.statusCode, att.body).toBe(201);
    for (const c of [outsider, secretariat]) {
      expect((await c.get(`/api/v1/topics/${id}`)).statusCode).toBe(404);
      expect((await c.get(`/api/v1/communities/${k}/topics`)).json().items).toEqual([]);
      expect((await c.get(`/api/v1/attachments/${att.json().id}`)).statusCode).toBe(404);
      expect((await c.post(`/api/v1/topics/${id}/replies`, { body: 'x' })).statusCode).toBe(404);
    }
    expect((await memberAdmin.get(`/api/v1/topics/${id}`)).statusCode).toBe(200);
    expect((await leaver.get(`/api/v1/communities/${k}/topics`)).json().items.map((x: { id: string }) => x.id)).toContain(id);
    // The live stream: the event is addressed to the members by name, not to every vetted member.
    const ev = await t.db.selectFrom('events').select(['tlp', 'audience_people']).where('type', '=', 'discussion.topic_created').where('subject_id', '=', id).executeTakeFirstOrThrow();
    expect(ev.tlp).toBe('RED');
    expect(ev.audience_people).toEqual(expect.arrayContaining([memberId, leaverId]));
    expect(ev.audience_people).not.toContain(outsiderId);
    expect(ev.audience_people).not.toContain(secretariatId);
    // A GREEN topic of a public community stays readable by every vetted member.
    const open = await member.post(`/api/v1/communities/${pub}/topics`, { title: 'GREEN in public', body: 'x', tlp: 'GREEN' });
    expect((await outsider.get(`/api/v1/topics/${open.json().id}`)).statusCode).toBe(200);
    expect((await t.db.selectFrom('events').select('tlp').where('type', '=', 'discussion.topic_created').where('subject_id', '=', open.json().id).executeTakeFirstOrThrow()).tlp).toBe('GREEN');
  });

  it('someone who left hears no more of it: no topics, no notification mail', async () => {
    expect((await leaver.put(`/api/v1/communities/${k}/subscription`, { mode: 'immediate' })).statusCode).toBe(200);
    const leaverEmail = (await t.db.selectFrom('people').select('email').where('id', '=', leaverId).executeTakeFirstOrThrow()).email;
    const orgLeaving = (await t.db.selectFrom('people').select('organisation_id').where('id', '=', leaverId).executeTakeFirstOrThrow()).organisation_id;
    const mailsTo = async (title: string) => (await t.db.selectFrom('mail_outbox').select('subject').where('to_address', '=', leaverEmail).execute()).filter((m) => m.subject.includes(title));
    expect((await member.post(`/api/v1/communities/${k}/topics`, { title: 'While they are in', body: 'x', tlp: 'GREEN' })).statusCode).toBe(201);
    expect(await mailsTo('While they are in')).toHaveLength(1);
    expect((await memberAdmin.del(`/api/v1/communities/${k}/organisations/${orgLeaving}`)).statusCode).toBe(204);
    const res = await member.post(`/api/v1/communities/${k}/topics`, { title: 'After they left', body: 'x', tlp: 'GREEN' });
    expect(res.statusCode).toBe(201);
    expect((await leaver.get(`/api/v1/topics/${res.json().id}`)).statusCode).toBe(404);
    expect(await mailsTo('After they left')).toEqual([]);
  });
});
