/**
 * Joining Puente: the public request, the secretariat's decision, the first
 * administrator's invitation link, suspension and reinstatement; invitations by
 * organisation admins; role changes; and the organisation's MFA policy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import {
  clientFor,
  cookieFrom,
  createTestApp,
  login,
  makeOrganisation,
  makePerson,
  tableCounts,
  TEST_PASSWORD,
  type Client,
  type TestApp,
} from '../../test/harness.js';

let t: TestApp;
let secOrg: string, orgM: string, orgN: string;
let sec: Client, mAdmin: Client, nAdmin: Client;
let m1: { id: string; email: string };

// The join form allows 5 requests a minute per address: give each request its own.
let ipCounter = 0;
function join(body: unknown, headers: Record<string, string> = {}) {
  return t.app.inject({ method: 'POST', url: '/api/v1/organisations/join-requests', payload: body as object, headers, remoteAddress: `10.0.0.${++ipCounter}` });
}

let seq = 0;
function joinBody(over: { name?: string; country?: string; sectors?: string[]; email?: string } = {}) {
  const n = ++seq;
  return {
    organisation: {
      name: over.name ?? `CSIRT Join ${n}`,
      acronym: `CJ${n}`,
      country: over.country ?? 'BR',
      type: 'national_csirt',
      sectors: over.sectors ?? ['energy', 'health'],
      website: 'https://csirt.example.test',
      description: 'National CSIRT',
    },
    requester: { name: `Requester ${n}`, email: over.email ?? `requester-${n}@join.test` },
    message: 'Please let us in',
  };
}

async function mailsTo(email: string, purpose: string) {
  return t.db.selectFrom('mail_outbox').selectAll().where('to_address', '=', email).where('purpose', '=', purpose).orderBy('created_at').execute();
}

function linkToken(text: string): string {
  const m = /http:\/\/puente\.test\/invitation\?token=([A-Za-z0-9_-]+)/.exec(text);
  if (!m) throw new Error(`no invitation link in ${text}`);
  return m[1];
}

function errorCode(res: LightMyRequestResponse) {
  return res.json().error?.code;
}

async function rawLogin(email: string, password = TEST_PASSWORD) {
  return t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
}

async function accept(token: string, name = 'First Admin') {
  return t.app.inject({ method: 'POST', url: `/api/v1/invitations/by-token/${token}/accept`, payload: { name, password: 'a long enough new password' } });
}

beforeAll(async () => {
  t = await createTestApp();
  secOrg = await makeOrganisation(t.db, { name: 'Platform Secretariat', country: 'ES' });
  orgM = await makeOrganisation(t.db, { name: 'CERT M', country: 'MX' });
  orgN = await makeOrganisation(t.db, { name: 'CERT N', country: 'PT' });
  const s = await makePerson(t.db, secOrg, { email: 'sec@sec.test', roles: ['member', 'org_admin', 'secretariat'] });
  const ma = await makePerson(t.db, orgM, { email: 'admin@m.test', roles: ['member', 'org_admin'] });
  const na = await makePerson(t.db, orgN, { email: 'admin@n.test', roles: ['member', 'org_admin'] });
  m1 = await makePerson(t.db, orgM, { email: 'm1@m.test' });
  sec = await login(t.app, s.email);
  mAdmin = await login(t.app, ma.email);
  nAdmin = await login(t.app, na.email);
});
afterAll(async () => {
  await t?.close();
});

describe('join requests and the secretariat decision', () => {
  let requestedId: string;
  let requestBody: ReturnType<typeof joinBody>;
  let firstAdmin: Client;

  it('accepts a public join request without a session', async () => {
    requestBody = joinBody({ name: 'CSIRT Amazonia' });
    const res = await join(requestBody);
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toEqual({ id: expect.any(String), status: 'requested' });
    requestedId = res.json().id;

    const row = await t.db.selectFrom('organisations').selectAll().where('id', '=', requestedId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ name: 'CSIRT Amazonia', country_code: 'BR', status: 'requested', requester_email: requestBody.requester.email, sectors: ['energy', 'health'] });
    expect(await mailsTo(requestBody.requester.email, 'join_received')).toHaveLength(1);
    const audit = await t.db.selectFrom('audit_log').select('action').where('target_id', '=', requestedId).execute();
    expect(audit.map((a) => a.action)).toEqual(['organisation.join_requested']);
  });

  it('refuses duplicates, unknown countries and unknown sectors, changing nothing', async () => {
    const before = await tableCounts(t.db);
    const dup = await join(joinBody({ name: 'csirt amazonia ', country: 'BR' }));
    expect(dup.statusCode).toBe(409);
    expect(errorCode(dup)).toBe('ALREADY_EXISTS');

    const country = await join(joinBody({ country: 'ZZ' }));
    expect(country.statusCode).toBe(400);
    expect(errorCode(country)).toBe('VALIDATION_FAILED');
    expect(country.json().error.details).toMatchObject({ field: 'organisation.country' });

    const sector = await join(joinBody({ sectors: ['energy', 'astrology'] }));
    expect(sector.statusCode).toBe(400);
    expect(errorCode(sector)).toBe('VALIDATION_FAILED');
    expect(sector.json().error.details).toMatchObject({ field: 'organisation.sectors', unknown: ['astrology'] });
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('answers a request with the e-mail of an existing account like a fresh one, and tells the account holder', async () => {
    const fresh = await join(joinBody());
    const before = await tableCounts(t.db);
    const taken = await join(joinBody({ email: 'M1@m.test' }));
    expect(taken.statusCode).toBe(fresh.statusCode);
    expect(Object.keys(taken.json()).sort()).toEqual(Object.keys(fresh.json()).sort());
    expect(taken.json()).toEqual({ id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/), status: 'requested' });
    // The id leads nowhere, and nothing was registered.
    expect((await sec.get(`/api/v1/organisations/${taken.json().id}`)).statusCode).toBe(404);
    const after = await tableCounts(t.db);
    expect(after.organisations).toBe(before.organisations);
    expect(after.mail_outbox).toBe(before.mail_outbox + 1);
    const [notice] = await mailsTo('m1@m.test', 'join_existing_account');
    expect(notice!.subject).toBe('Someone asked to register an organisation on Puente with your address');
    expect(notice!.text_body).toContain('http://puente.test/sign-in');
    expect(notice!.text_body).toContain('http://puente.test/forgot-password');
    const audit = await t.db.selectFrom('audit_log').select(['action', 'target_id']).where('action', '=', 'organisation.join_requested_existing_account').execute();
    expect(audit).toEqual([{ action: 'organisation.join_requested_existing_account', target_id: m1.id }]);
    await login(t.app, m1.email);
  });

  it('shows requested organisations, with the requester, to the secretariat only', async () => {
    const list = await sec.get('/api/v1/organisations?status=requested');
    expect(list.statusCode).toBe(200);
    const items = list.json().items as { id: string; status: string; requester?: { email: string } }[];
    expect(items.every((o) => o.status === 'requested')).toBe(true);
    const mine = items.find((o) => o.id === requestedId);
    expect(mine?.requester).toEqual({ name: requestBody.requester.name, email: requestBody.requester.email, message: 'Please let us in' });

    const other = await mAdmin.get('/api/v1/organisations');
    expect(other.statusCode).toBe(200);
    const visible = other.json().items as { id: string; status: string }[];
    expect(visible.map((o) => o.id)).not.toContain(requestedId);
    expect(visible.map((o) => o.id)).toEqual(expect.arrayContaining([orgM, orgN, secOrg]));
    expect(visible.every((o) => o.status === 'approved' && !('requester' in o))).toBe(true);
    // A status filter does not widen it.
    const asked = (await mAdmin.get('/api/v1/organisations?status=requested')).json().items as { id: string }[];
    expect(asked.map((o) => o.id)).not.toContain(requestedId);
    expect((await mAdmin.get(`/api/v1/organisations/${requestedId}`)).statusCode).toBe(404);
  });

  it('only the secretariat decides', async () => {
    const before = await tableCounts(t.db);
    for (const path of ['approve', 'reinstate']) {
      const res = await mAdmin.post(`/api/v1/organisations/${requestedId}/${path}`);
      expect(res.statusCode).toBe(403);
      expect(errorCode(res)).toBe('FORBIDDEN');
    }
    const rej = await mAdmin.post(`/api/v1/organisations/${requestedId}/reject`, { reason: 'not allowed to decide' });
    expect(rej.statusCode).toBe(403);
    const anon = await t.app.inject({ method: 'POST', url: `/api/v1/organisations/${requestedId}/approve` });
    expect(anon.statusCode).toBe(401);
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('approval sends the requester an invitation link that makes them the first admin, once', async () => {
    const res = await sec.post(`/api/v1/organisations/${requestedId}/approve`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: requestedId, status: 'approved', requester: { email: requestBody.requester.email } });

    const mails = await mailsTo(requestBody.requester.email, 'organisation_approved');
    expect(mails).toHaveLength(1);
    expect(mails[0].text_body).toContain('CSIRT Amazonia');
    const token = linkToken(mails[0].text_body ?? "");
    const audit = await t.db.selectFrom('audit_log').select('action').where('target_id', '=', requestedId).orderBy('seq').execute();
    expect(audit.map((a) => a.action)).toEqual(['organisation.join_requested', 'organisation.approved']);

    const info = await t.app.inject({ method: 'GET', url: `/api/v1/invitations/by-token/${token}` });
    expect(info.statusCode).toBe(200);
    expect(info.json()).toEqual({ email: requestBody.requester.email, name: requestBody.requester.name, organisation: { id: requestedId, name: 'CSIRT Amazonia', country: 'BR' } });

    const acc = await accept(token);
    expect(acc.statusCode, acc.body).toBe(200);
    expect(acc.json().status).toBe('ok');
    firstAdmin = clientFor(t.app, cookieFrom(acc), acc.json().csrfToken);
    const me = await firstAdmin.get('/api/v1/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ email: requestBody.requester.email, name: 'First Admin', organisation: { id: requestedId, name: 'CSIRT Amazonia', status: 'approved' } });
    expect(me.json().roles).toEqual(expect.arrayContaining(['member', 'org_admin']));
    expect(me.json().roles).not.toContain('secretariat');

    const again = await accept(token, 'Someone Else');
    expect(again.statusCode).toBe(410);
    expect(errorCode(again)).toBe('GONE');
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/invitations/by-token/${token}` })).statusCode).toBe(410);
    const people = await t.db.selectFrom('people').select('id').where('organisation_id', '=', requestedId).execute();
    expect(people).toHaveLength(1);
  });

  it('a decided organisation cannot be approved or rejected again', async () => {
    const before = await tableCounts(t.db);
    const res = await sec.post(`/api/v1/organisations/${requestedId}/approve`);
    expect(res.statusCode).toBe(409);
    expect(errorCode(res)).toBe('INVALID_STATE');
    const rej = await sec.post(`/api/v1/organisations/${requestedId}/reject`, { reason: 'changed our mind' });
    expect(rej.statusCode).toBe(409);
    expect((await sec.post(`/api/v1/organisations/${orgM}/reinstate`)).statusCode).toBe(409);
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('rejection records the reason and tells the requester', async () => {
    const body = joinBody();
    const id = (await join(body)).json().id as string;
    const noReason = await sec.post(`/api/v1/organisations/${id}/reject`, {});
    expect(noReason.statusCode).toBe(400);

    const res = await sec.post(`/api/v1/organisations/${id}/reject`, { reason: 'Not a CSIRT of a member state' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'rejected', statusReason: 'Not a CSIRT of a member state' });
    const mails = await mailsTo(body.requester.email, 'organisation_rejected');
    expect(mails).toHaveLength(1);
    expect(mails[0].text_body).toContain('Not a CSIRT of a member state');
    expect(await mailsTo(body.requester.email, 'organisation_approved')).toEqual([]);
    expect((await t.db.selectFrom('invitations').select('id').where('organisation_id', '=', id).execute()).length).toBe(0);
  });

  it('suspension ends the members’ sessions and closes sign-in until reinstated', async () => {
    const susp = await sec.post(`/api/v1/organisations/${requestedId}/suspend`, { reason: 'Security incident under review' });
    expect(susp.statusCode, susp.body).toBe(200);
    expect(susp.json()).toMatchObject({ status: 'suspended', statusReason: 'Security incident under review' });

    expect((await firstAdmin.get('/api/v1/me')).statusCode).toBe(401);
    const refused = await rawLogin(requestBody.requester.email, 'a long enough new password');
    expect(refused.statusCode).toBe(403);
    expect(errorCode(refused)).toBe('ORGANISATION_NOT_APPROVED');
    // Other organisations are untouched.
    expect((await mAdmin.get('/api/v1/me')).statusCode).toBe(200);

    const re = await sec.post(`/api/v1/organisations/${requestedId}/reinstate`);
    expect(re.statusCode).toBe(200);
    expect(re.json().status).toBe('approved');
    const back = await login(t.app, requestBody.requester.email, 'a long enough new password');
    expect((await back.get('/api/v1/me')).json().organisation.status).toBe('approved');
    const audit = await t.db.selectFrom('audit_log').select('action').where('target_id', '=', requestedId).orderBy('seq').execute();
    expect(audit.map((a) => a.action)).toEqual(['organisation.join_requested', 'organisation.approved', 'organisation.suspended', 'organisation.reinstated']);
  });
});

describe('invitations by an organisation admin', () => {
  it('invites by e-mail; other organisations’ admins may not; admins cannot grant secretariat; withdrawal kills the link', async () => {
    const res = await mAdmin.post(`/api/v1/organisations/${orgM}/invitations`, { email: 'new@m.test', name: 'New Colleague' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ email: 'new@m.test', name: 'New Colleague', roles: ['member'], acceptedAt: null, revokedAt: null });
    const invitationId = res.json().id as string;
    const mails = await mailsTo('new@m.test', 'invitation');
    expect(mails).toHaveLength(1);
    const token = linkToken(mails[0].text_body ?? "");
    const info = await t.app.inject({ method: 'GET', url: `/api/v1/invitations/by-token/${token}` });
    expect(info.statusCode).toBe(200);
    expect(info.json().organisation).toMatchObject({ id: orgM, name: 'CERT M' });

    const m1Client = await login(t.app, m1.email);
    const before = await tableCounts(t.db);
    const foreign = await nAdmin.post(`/api/v1/organisations/${orgM}/invitations`, { email: 'intruder@n.test' });
    expect(foreign.statusCode).toBe(403);
    expect(errorCode(foreign)).toBe('FORBIDDEN');
    const member = await m1Client.post(`/api/v1/organisations/${orgM}/invitations`, { email: 'x@m.test' });
    expect(member.statusCode).toBe(403);
    const grant = await mAdmin.post(`/api/v1/organisations/${orgM}/invitations`, { email: 'boss@m.test', roles: ['member', 'secretariat'] });
    expect(grant.statusCode).toBe(403);
    expect(errorCode(grant)).toBe('FORBIDDEN');
    expect((await nAdmin.del(`/api/v1/invitations/${invitationId}`)).statusCode).toBe(403);
    expect(await tableCounts(t.db)).toEqual(before);

    const del = await mAdmin.del(`/api/v1/invitations/${invitationId}`);
    expect(del.statusCode).toBe(204);
    const gone = await t.app.inject({ method: 'GET', url: `/api/v1/invitations/by-token/${token}` });
    expect(gone.statusCode).toBe(410);
    expect(errorCode(gone)).toBe('GONE');
    expect((await accept(token)).statusCode).toBe(410);
    const list = (await mAdmin.get(`/api/v1/organisations/${orgM}/invitations`)).json().items as { id: string; revokedAt: string | null }[];
    expect(list.find((i) => i.id === invitationId)?.revokedAt).not.toBeNull();
  });

  it('the secretariat may invite with the secretariat role', async () => {
    const res = await sec.post(`/api/v1/organisations/${orgM}/invitations`, { email: 'helper@m.test', roles: ['secretariat'] });
    expect(res.statusCode).toBe(201);
    expect(res.json().roles).toEqual(['member', 'secretariat']);
  });
});

describe('people: roles and status', () => {
  it('role changes are audited; secretariat is the secretariat’s to grant; disabling ends sessions', async () => {
    const p = await makePerson(t.db, orgM, { email: 'p@m.test' });
    const pClient = await login(t.app, p.email);

    const promote = await mAdmin.patch(`/api/v1/people/${p.id}`, { roles: ['org_admin'] });
    expect(promote.statusCode, promote.body).toBe(200);
    expect(promote.json().roles).toEqual(['member', 'org_admin']);
    const audit = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'person.roles_changed').where('target_id', '=', p.id).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0].details).toEqual({ from: ['member'], to: ['member', 'org_admin'] });
    // The same roles again change nothing and are not audited twice.
    expect((await mAdmin.patch(`/api/v1/people/${p.id}`, { roles: ['member', 'org_admin'] })).statusCode).toBe(200);
    expect(await t.db.selectFrom('audit_log').select('seq').where('action', '=', 'person.roles_changed').where('target_id', '=', p.id).execute()).toHaveLength(1);

    const before = await tableCounts(t.db);
    const grant = await mAdmin.patch(`/api/v1/people/${p.id}`, { roles: ['member', 'secretariat'] });
    expect(grant.statusCode).toBe(403);
    const foreign = await nAdmin.patch(`/api/v1/people/${p.id}`, { status: 'disabled' });
    expect(foreign.statusCode).toBe(403);
    expect(await tableCounts(t.db)).toEqual(before);

    const off = await mAdmin.patch(`/api/v1/people/${p.id}`, { status: 'disabled' });
    expect(off.statusCode).toBe(200);
    expect(off.json().status).toBe('disabled');
    expect((await pClient.get('/api/v1/me')).statusCode).toBe(401);
    expect(await t.db.selectFrom('sessions').select('id_hash').where('person_id', '=', p.id).execute()).toEqual([]);
    const refused = await rawLogin(p.email);
    expect(refused.statusCode).toBe(401);
    expect(errorCode(refused)).toBe('INVALID_CREDENTIALS');
    const actions = await t.db.selectFrom('audit_log').select('action').where('target_id', '=', p.id).orderBy('seq').execute();
    expect(actions.map((a) => a.action)).toEqual(['person.roles_changed', 'person.disabled']);

    const on = await mAdmin.patch(`/api/v1/people/${p.id}`, { status: 'active' });
    expect(on.statusCode).toBe(200);
    expect((await rawLogin(p.email)).statusCode).toBe(200);
  });
});

describe('MFA policy', () => {
  it('an organisation that requires MFA holds members without it to enrolment', async () => {
    const orgQ = await makeOrganisation(t.db, { name: 'CERT Q', country: 'CL' });
    const qa = await makePerson(t.db, orgQ, { email: 'admin@q.test', roles: ['member', 'org_admin'] });
    const q1 = await makePerson(t.db, orgQ, { email: 'q1@q.test' });
    const qAdmin = await login(t.app, qa.email);

    expect((await nAdmin.put(`/api/v1/organisations/${orgQ}/mfa-policy`, { required: true })).statusCode).toBe(403);
    const plainMember = await login(t.app, q1.email);
    expect((await plainMember.put(`/api/v1/organisations/${orgQ}/mfa-policy`, { required: true })).statusCode).toBe(403);
    expect((await plainMember.get('/api/v1/notes')).statusCode).toBe(200);

    const res = await qAdmin.put(`/api/v1/organisations/${orgQ}/mfa-policy`, { required: true });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: orgQ, mfaRequired: true });
    const audit = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'mfa.policy_changed').where('target_id', '=', orgQ).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0].details).toEqual({ required: true });

    const q = await login(t.app, q1.email);
    const me = await q.get('/api/v1/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ mfaEnabled: false, mfaEnrolmentRequired: true });
    const notes = await q.get('/api/v1/notes');
    expect(notes.statusCode).toBe(403);
    expect(errorCode(notes)).toBe('MFA_ENROLMENT_REQUIRED');
    // The session already open before the policy changed is held too.
    expect(errorCode(await plainMember.get('/api/v1/notes'))).toBe('MFA_ENROLMENT_REQUIRED');
    const setup = await q.post('/api/v1/me/mfa/setup');
    expect(setup.statusCode, setup.body).toBe(200);
    expect(setup.json()).toMatchObject({ secret: expect.stringMatching(/^[A-Z2-7]+=*$/), otpauthUrl: expect.stringMatching(/^otpauth:\/\/totp\//) });

    // Other organisations are not affected.
    expect((await mAdmin.get('/api/v1/notes')).statusCode).toBe(200);
    // The admin, without MFA too, is held as well; the secretariat can lift the policy, and the hold with it.
    expect(errorCode(await qAdmin.put(`/api/v1/organisations/${orgQ}/mfa-policy`, { required: false }))).toBe('MFA_ENROLMENT_REQUIRED');
    const lifted = await sec.put(`/api/v1/organisations/${orgQ}/mfa-policy`, { required: false });
    expect(lifted.statusCode).toBe(200);
    expect(lifted.json().mfaRequired).toBe(false);
    expect((await q.get('/api/v1/notes')).statusCode).toBe(200);
    expect((await q.get('/api/v1/me')).json().mfaEnrolmentRequired).toBe(false);
  });
});
