/**
 * Issue 9, holes 2 and 3: the outbox as the secretariat sees it. No personal
 * credential (reset, invitation, acknowledgement link) is readable by anyone but
 * its recipient; bodies are not kept longer than delivery needs; mail about records
 * the secretariat may not see (a RED topic, AMBER contacts of a community it is not
 * in) shows nothing of them — not its recipient, subject or body.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, makeCommunity, makeOrganisation, makePerson, type Client, type TestApp } from '../../test/harness.js';
import { startSink, waitFor } from '../../test/smtp.js';
import { newId } from '../../platform/ids.js';
import { makeContact } from '../contacts/contacts.test-helpers.js';

let t: TestApp;
let sink: Awaited<ReturnType<typeof startSink>>;
let secretariat: Client, admin: Client, communityAdmin: Client;
let colleague: { id: string; email: string };
let community: string;
let orgA: string;
let checkId = '';

const outbox = async () => {
  const res = await secretariat.get('/api/v1/outbox?limit=500');
  expect(res.statusCode, res.body).toBe(200);
  return res;
};
const rowsTo = (email: string) => t.db.selectFrom('mail_outbox').selectAll().where('to_address', '=', email).orderBy('created_at').execute();

beforeAll(async () => {
  sink = await startSink();
  // Jobs off: mail waits in the outbox until the test sweeps it, so both states can be read.
  t = await createTestApp({ env: { PUENTE_SMTP_URL: `smtp://127.0.0.1:${sink.port}`, PUENTE_MAIL_FROM: 'Puente <no-reply@puente.test>' } });
  const sec = await makeOrganisation(t.db, { country: 'BE' });
  orgA = await makeOrganisation(t.db, { country: 'CO' });
  const orgB = await makeOrganisation(t.db, { country: 'FR' });
  const s = await makePerson(t.db, sec, { roles: ['member', 'secretariat'] });
  const a1 = await makePerson(t.db, orgA, { roles: ['member', 'org_admin'] });
  colleague = await makePerson(t.db, orgA);
  const b1 = await makePerson(t.db, orgB, { roles: ['member', 'org_admin'] });
  community = await makeCommunity(t.db, { organisations: [orgA, orgB], people: [{ id: b1.id, isAdmin: true }] });
  [secretariat, admin, communityAdmin] = await Promise.all([s, a1, b1].map((p) => login(t.app, p.email)));
}, 60_000);
afterAll(async () => {
  await t?.close();
  await sink?.stop();
});

describe('personal credentials (hole 2)', () => {
  it('an anonymous reset request: the secretariat sees that a mail went, never its link', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { email: colleague.email } });
    expect(res.statusCode).toBe(202);
    const [row] = await waitFor('the reset mail in the outbox', async () => {
      const rows = (await rowsTo(colleague.email)).filter((m) => m.purpose === 'password_reset');
      return rows.length ? rows : undefined;
    });
    // The body really holds the link (so reading nothing of it below means something).
    expect(row!.text_body).toMatch(/reset-password\?token=/);
    const view = await outbox();
    expect(view.body).not.toMatch(/reset-password\?token=/);
    const listed = view.json().items.find((m: { id: string }) => m.id === row!.id);
    expect(listed).toMatchObject({ to: colleague.email, purpose: 'password_reset', text: null, withheld: 'credential' });
  });

  it('an invitation link is read by nobody but the invited person; delivery purges every body', async () => {
    const email = `invited-${newId()}@example.test`;
    expect((await admin.post(`/api/v1/organisations/${orgA}/invitations`, { email, name: 'New Person', roles: ['member'] })).statusCode).toBe(201);
    expect((await outbox()).body).not.toMatch(/invitation\?token=/);
    expect((await admin.get('/api/v1/outbox')).statusCode).toBe(403);
    await t.deps.mailer.sweep();
    const delivered = await waitFor('the invitation at the SMTP server', async () => sink.mails.find((m) => m.to.includes(email)));
    expect(delivered.raw).toMatch(/invitation\?token=/);
    const [row] = await rowsTo(email);
    expect(row!.sent_at).not.toBeNull();
    expect(row!.text_body).toBeNull();
    expect(row!.html_body).toBeNull();
    expect(row!.body_purged_at).not.toBeNull();
    // Nothing sent keeps a body.
    const kept = await t.db.selectFrom('mail_outbox').select('id').where('sent_at', 'is not', null).where('text_body', 'is not', null).execute();
    expect(kept).toEqual([]);
  });

  it('an undelivered body is purged at its expiry, a credential at its own (sooner) expiry', async () => {
    // One credential (a reset) and one plain mail (a join request's receipt), both undelivered.
    await t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { email: colleague.email } });
    const join = await t.app.inject({
      method: 'POST',
      url: '/api/v1/organisations/join-requests',
      payload: { organisation: { name: `Expiry Test ${newId()}`, country: 'PE', type: 'national_csirt', sectors: ['energy'], description: 'A CSIRT' }, requester: { name: 'R. Quester', email: `r-${newId()}@example.test` } },
    });
    expect(join.statusCode, join.body).toBe(202);
    const before = await waitFor('two undelivered bodies', async () => {
      const rows = await t.db.selectFrom('mail_outbox').select(['id', 'credential', 'body_expires_at']).where('body_purged_at', 'is', null).execute();
      return rows.some((r) => r.credential) && rows.some((r) => !r.credential) ? rows : undefined;
    });
    for (const r of before) {
      // A reset link is valid for an hour: its body goes then; the others after 72 hours at most.
      const max = r.credential ? 3_600_000 + 60_000 : 72 * 3_600_000 + 60_000;
      expect(r.body_expires_at!.getTime() - Date.now()).toBeLessThanOrEqual(max);
    }
    await t.deps.mailer.purge(new Date(Date.now() + 73 * 3_600_000));
    const still = await t.db.selectFrom('mail_outbox').select('id').where('text_body', 'is not', null).execute();
    expect(still).toEqual([]);
  });
});

describe('content the secretariat may not see (hole 3)', () => {
  it('mention and notice mails of a RED topic do not show in its outbox', async () => {
    const title = 'CANARY-RED-4410 response plan';
    await communityAdmin.put(`/api/v1/communities/${community}/subscription`, { mode: 'immediate' });
    const res = await admin.post(`/api/v1/communities/${community}/topics`, { title, body: 'details', tlp: 'RED', audience: { people: [colleague.id] }, mentions: [colleague.id] });
    expect(res.statusCode, res.body).toBe(201);
    const mailed = (await rowsTo(colleague.email)).filter((m) => m.purpose === 'discussion_mention');
    expect(mailed.map((m) => m.subject).join(' ')).toContain('CANARY-RED-4410');
    const view = await outbox();
    expect(view.body).not.toContain('CANARY-RED-4410');
    expect(view.json().items.map((m: { id: string }) => m.id)).not.toContain(mailed[0]!.id);
  });

  it('communication-check mails to AMBER contacts of a community it is not in do not show in its outbox', async () => {
    await makeContact(t.db, { organisation: orgA, country: 'CO', name: 'CANARY-AMBER Contact', email: 'canary-amber@example.test', tlp: 'AMBER', audience: { communities: [community] } });
    const deadline = new Date(Date.now() + 48 * 3_600_000).toISOString();
    const launched = await communityAdmin.post('/api/v1/communication-checks', { title: 'Community ping', message: 'Please acknowledge.', deadline, filters: { communityId: community } });
    expect(launched.statusCode, launched.body).toBe(201);
    checkId = launched.json().id as string;
    expect((await rowsTo('canary-amber@example.test')).length).toBe(1);
    const view = await outbox();
    expect(view.body).not.toContain('canary-amber@example.test');
    expect(view.body).not.toContain('CANARY-AMBER');
  });

  it('the report and the list of that check count nothing the secretariat may not see (hole 5)', async () => {
    const id = checkId;
    const report = await secretariat.get(`/api/v1/communication-checks/${id}`);
    expect(report.statusCode, report.body).toBe(200);
    expect(report.json().contacts).toEqual([]);
    expect(report.json().overall.targets).toBe(0);
    expect(report.json().byCountry).toEqual([]);
    expect(report.json().excluded).toBeNull();
    const listed = (await secretariat.get('/api/v1/communication-checks')).json().items.find((c: { id: string }) => c.id === id);
    expect(listed.targets).toBe(0);
    // The launcher sees its target.
    expect((await communityAdmin.get(`/api/v1/communication-checks/${id}`)).json().overall.targets).toBe(1);
  });
});
