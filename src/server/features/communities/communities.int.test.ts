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
