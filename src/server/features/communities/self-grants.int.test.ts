/**
 * Issue 9, hole 15: the secretariat can make itself an audience of a community by
 * adding its own account or organisation. Each such self-grant is visible: recorded
 * and shown in the community to its members and admins, told to its admins (event and
 * mail), and audited. Adding others, or a community admin adding themself, is not one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, makeCommunity, makeOrganisation, makePerson, type Client, type TestApp } from '../../test/harness.js';

let t: TestApp;
let secretariat: Client, admin: Client, member: Client;
let sec: { id: string; email: string }, adminP: { id: string; email: string };
let secOrg: string, orgA: string, orgB: string;

beforeAll(async () => {
  t = await createTestApp();
  secOrg = await makeOrganisation(t.db, { country: 'BE' });
  orgA = await makeOrganisation(t.db, { country: 'CR' });
  orgB = await makeOrganisation(t.db, { country: 'DO' });
  sec = await makePerson(t.db, secOrg, { roles: ['member', 'secretariat'] });
  adminP = await makePerson(t.db, orgA);
  const m = await makePerson(t.db, orgB);
  [secretariat, admin, member] = await Promise.all([sec, adminP, m].map((p) => login(t.app, p.email)));
});
afterAll(async () => t?.close());

async function communityWithAdmin() {
  return makeCommunity(t.db, { organisations: [orgA, orgB], people: [{ id: adminP.id, isAdmin: true }] });
}

describe('self-grants of the secretariat (hole 15)', () => {
  it('adding its own account: shown in the community, told to its admins, audited', async () => {
    const community = await communityWithAdmin();
    const before = (await member.get(`/api/v1/communities/${community}`)).json();
    expect(before.selfGrants).toEqual([]);
    expect((await secretariat.put(`/api/v1/communities/${community}/people/${sec.id}`, { isAdmin: false })).statusCode).toBe(204);

    const shown = (await member.get(`/api/v1/communities/${community}`)).json().selfGrants;
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatchObject({ by: { id: sec.id }, granted: { kind: 'person', id: sec.id }, asAdmin: false });
    expect((await admin.get(`/api/v1/communities/${community}`)).json().selfGrants).toHaveLength(1);

    const mails = await t.db.selectFrom('mail_outbox').selectAll().where('purpose', '=', 'community_self_grant').where('to_address', '=', adminP.email).execute();
    expect(mails).toHaveLength(1);
    const events = await t.db.selectFrom('events').selectAll().where('type', '=', 'community.self_granted').where('subject_id', '=', community).execute();
    expect(events.map((e) => e.audience_people)).toEqual([[adminP.id]]);
    const audit = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'community.self_granted').where('target_id', '=', community).execute();
    expect(audit).toHaveLength(1);
  });

  it('adding its own organisation is one too; adding another organisation or person is not', async () => {
    const community = await communityWithAdmin();
    const other = await makeOrganisation(t.db, { country: 'GT' });
    expect((await secretariat.put(`/api/v1/communities/${community}/organisations/${other}`)).statusCode).toBe(204);
    expect((await member.get(`/api/v1/communities/${community}`)).json().selfGrants).toEqual([]);
    expect((await secretariat.put(`/api/v1/communities/${community}/organisations/${secOrg}`)).statusCode).toBe(204);
    const shown = (await member.get(`/api/v1/communities/${community}`)).json().selfGrants;
    expect(shown.map((g: { granted: { kind: string; id: string } }) => g.granted)).toMatchObject([{ kind: 'organisation', id: secOrg }]);
  });

  it('the secretariat, once an admin of the community by its own grant, is no longer asked: it is an admin like the others', async () => {
    const community = await communityWithAdmin();
    expect((await secretariat.put(`/api/v1/communities/${community}/people/${sec.id}`, { isAdmin: true })).statusCode).toBe(204);
    expect((await secretariat.put(`/api/v1/communities/${community}/organisations/${secOrg}`)).statusCode).toBe(204);
    // The first grant (as admin) is the one that opened the door; it is shown.
    const shown = (await admin.get(`/api/v1/communities/${community}`)).json().selfGrants;
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatchObject({ granted: { kind: 'person', id: sec.id }, asAdmin: true });
  });

  it('outsiders of a members-only community see no grants', async () => {
    const community = await communityWithAdmin();
    await t.db.updateTable('communities').set({ visibility: 'members' }).where('id', '=', community).execute();
    expect((await secretariat.put(`/api/v1/communities/${community}/people/${sec.id}`, { isAdmin: false })).statusCode).toBe(204);
    const outsiderP = await makePerson(t.db, await makeOrganisation(t.db, { country: 'HN' }));
    const outsider = await login(t.app, outsiderP.email);
    expect((await outsider.get(`/api/v1/communities/${community}`)).json().selfGrants).toEqual([]);
    expect((await member.get(`/api/v1/communities/${community}`)).json().selfGrants).toHaveLength(1);
  });
});
