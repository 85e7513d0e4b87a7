/**
 * Communication checks end to end: launch → mails at a real SMTP server (a child
 * process), the encrypted one decrypts with the contact's private key; ack by
 * link (idempotent), reminders only to the unacknowledged, closing at the
 * deadline (410 after), flags after two misses in a row, exact statistics,
 * exports, and refusals that write nothing. Job handlers are called directly.
 */
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, makeCommunity, makeOrganisation, makePerson, tableCounts, type Client, type TestApp } from '../../test/harness.js';
import { newId } from '../../platform/ids.js';
import { SecretBox } from '../../platform/secrets.js';
import { closeDueChecks, sendDueReminders, type JobDeps } from './jobs.js';
import { hashToken } from './mail.js';
import { startSink, waitFor } from '../../test/smtp.js';
import './tables.js';
import '../contacts/tables.js';


/** The body of a single-part mail, decoded (quoted-printable or base64), soft line breaks removed. */
function bodyOf(raw: string): string {
  const sep = raw.search(/\r?\n\r?\n/);
  const head = raw.slice(0, sep).replace(/\r?\n[ \t]+/g, ' ');
  const body = raw.slice(sep).replace(/^\r?\n\r?\n/, '');
  const cte = /content-transfer-encoding:\s*([\w-]+)/i.exec(head)?.[1]?.toLowerCase() ?? '7bit';
  if (cte === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (cte === 'quoted-printable')
    return Buffer.from(body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
  return body;
}
const subjectOf = (raw: string) => /^subject:\s*(.*)$/im.exec(raw)?.[1] ?? '';
const tokenIn = (text: string) => /\/ack\?token=([A-Za-z0-9_-]+)/.exec(text)?.[1];

let t: TestApp;
let sink: Awaited<ReturnType<typeof startSink>>;
let jd: JobDeps;
let secretariat: Client;
let member: Client;
let brAdmin: Client;
let otherAdmin: Client;
let privateKey: openpgp.PrivateKey;
const ids: Record<string, string> = {};
const emails = { br: 'cert-br@example.test', cl: 'csirt-cl@example.test', es: 'hidden-mail@example.test', amber: 'amber@example.test' };

async function deliverAll() {
  await t.deps.mailer.sweep();
}

async function insertContact(o: { id: string; org: string; country: string; name: string; languages: string[]; email: string; key?: string; personId?: string; tlp?: string; fieldMarkings?: unknown; authorOrg: string }) {
  await t.db
    .insertInto('contacts')
    .values({
      id: o.id,
      organisation_id: o.org,
      country_code: o.country,
      person_id: o.personId ?? null,
      kinds: ['technical'],
      full_name: o.name,
      languages: o.languages,
      emails: [o.email],
      pgp_key: o.key ?? null,
      status: 'active',
      tlp: o.tlp ?? 'GREEN',
      pap: 'GREEN',
      author_id: null,
      author_org_id: o.authorOrg,
      field_markings: JSON.stringify(o.fieldMarkings ?? {}),
    })
    .execute();
}

beforeAll(async () => {
  sink = await startSink();
  t = await createTestApp({ env: { PUENTE_SMTP_URL: `smtp://127.0.0.1:${sink.port}`, PUENTE_MAIL_FROM: 'Puente <no-reply@puente.test>' } });
  jd = { db: t.db, mailer: t.deps.mailer, baseUrl: 'http://puente.test', box: new SecretBox(t.deps.secret) };
  const sec = await makeOrganisation(t.db, { country: 'PT' });
  const br = await makeOrganisation(t.db, { country: 'BR' });
  const cl = await makeOrganisation(t.db, { country: 'CL' });
  const es = await makeOrganisation(t.db, { country: 'ES' });
  const other = await makeOrganisation(t.db, { country: 'MX' });
  ids.sec = sec;
  ids.br = br;
  ids.other = other;
  const s = await makePerson(t.db, sec, { roles: ['member', 'secretariat'] });
  const m = await makePerson(t.db, sec, { roles: ['member'] });
  ids.secPerson = s.id;
  const ba = await makePerson(t.db, br, { roles: ['member', 'org_admin'] });
  const ca = await makePerson(t.db, cl, { roles: ['member', 'org_admin'], email: 'cl-admin@example.test' });
  const clPerson = await makePerson(t.db, cl);
  const oa = await makePerson(t.db, other, { roles: ['member', 'org_admin'] });
  ids.clAdmin = ca.id;
  ids.clPerson = clPerson.id;
  const { privateKey: priv, publicKey } = await openpgp.generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ name: 'CSIRT CL', email: emails.cl }], format: 'armored' });
  privateKey = await openpgp.readPrivateKey({ armoredKey: priv });
  ids.cBr = newId();
  ids.cCl = newId();
  ids.cEs = newId();
  ids.cAmber = newId();
  await insertContact({ id: ids.cBr, org: br, country: 'BR', name: '=Equipe CERT.br', languages: ['de', 'pt', 'en'], email: emails.br, authorOrg: br });
  await insertContact({ id: ids.cCl, org: cl, country: 'CL', name: 'CSIRT de Chile', languages: ['es'], email: emails.cl, key: publicKey, personId: clPerson.id, authorOrg: cl });
  // The e-mail is shared with one other person only: the secretariat may not see it.
  await insertContact({ id: ids.cEs, org: es, country: 'ES', name: 'INCIBE-CERT', languages: ['es'], email: emails.es, authorOrg: es, fieldMarkings: { emails: { tlp: 'RED', audience: { organisations: [], communities: [], people: [oa.id] } } } });
  // An AMBER entry of another organisation: not visible to the secretariat at all.
  await insertContact({ id: ids.cAmber, org: other, country: 'MX', name: 'Hidden team', languages: ['es'], email: emails.amber, tlp: 'AMBER', authorOrg: other });
  secretariat = await login(t.app, s.email);
  member = await login(t.app, m.email);
  brAdmin = await login(t.app, ba.email);
  otherAdmin = await login(t.app, oa.email);
}, 60_000);

afterAll(async () => {
  await t?.close();
  await sink?.stop();
});

const future = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

describe('communication checks', () => {
  let checkId: string;
  let brToken: string;
  let clToken: string;

  it('refuses bad input and writes nothing', async () => {
    const before = { ...(await tableCounts(t.db)), checks: (await t.db.selectFrom('communication_checks').selectAll().execute()).length };
    const base = { title: 'Ping', deadline: future(48), filters: { kinds: ['technical'] } };
    expect((await secretariat.post('/api/v1/communication-checks', { ...base, deadline: new Date(Date.now() - 3600_000).toISOString() })).statusCode).toBe(400);
    const empty = await secretariat.post('/api/v1/communication-checks', { ...base, filters: { kinds: ['capacity_building'] } });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.code).toBe('VALIDATION_FAILED');
    expect((await secretariat.post('/api/v1/communication-checks', { ...base, filters: { communityId: newId() } })).statusCode).toBe(400);
    expect((await secretariat.post('/api/v1/communication-checks', { ...base, reminderHours: [49] })).statusCode).toBe(400);
    expect((await secretariat.post('/api/v1/communication-checks', { ...base, extra: 1 })).statusCode).toBe(400);
    expect((await member.post('/api/v1/communication-checks', base)).statusCode).toBe(403);
    const after = { ...(await tableCounts(t.db)), checks: (await t.db.selectFrom('communication_checks').selectAll().execute()).length };
    expect(after).toEqual(before);
  });

  it('previews the targets and says how many of those it may see were left out and why, never counting hidden entries', async () => {
    const r = await secretariat.post('/api/v1/communication-checks/preview', { filters: { kinds: ['technical'] } });
    expect(r.statusCode).toBe(200);
    expect(r.json().targets).toBe(2);
    // The AMBER entry of another organisation is not counted anywhere (issue 9, hole 5).
    expect(r.json().excluded).toEqual({ emailWithheld: 1, noEmail: 0 });
    for (const slice of [{ countries: ['MX'] }, { organisations: [ids.other!] }, { kinds: ['technical'], countries: ['MX'] }]) {
      const hidden = await secretariat.post('/api/v1/communication-checks/preview', { filters: slice });
      expect(hidden.statusCode).toBe(200);
      expect(hidden.json()).toEqual({ targets: 0, excluded: { emailWithheld: 0, noEmail: 0 }, sample: [] });
    }
    expect(JSON.stringify(r.json())).not.toContain('Hidden team');
    const lac = await secretariat.post('/api/v1/communication-checks/preview', { filters: { region: 'LAC', countries: ['CL'] } });
    expect(lac.json().targets).toBe(1);
  });

  it('launches: mails arrive over SMTP with the link; the keyed contact gets an encrypted mail that decrypts', async () => {
    const r = await secretariat.post('/api/v1/communication-checks', { title: 'Quarterly ping Q3', message: 'Please acknowledge.', deadline: future(48), filters: { kinds: ['technical'] } });
    expect(r.statusCode).toBe(201);
    checkId = r.json().id;
    expect(r.json().overall.targets).toBe(2);
    expect(r.json().reminderAt).toHaveLength(2);
    await deliverAll();
    const br = await waitFor('mail to BR', () => sink.mails.find((m) => m.to.includes(emails.br)));
    const brText = bodyOf(br.raw);
    expect(brText).toContain('Quarterly ping Q3');
    // Portuguese: the first UI language among the contact's languages.
    expect(brText).toContain('teste de comunicação');
    brToken = tokenIn(brText)!;
    expect(brToken).toBeTruthy();
    const cl = await waitFor('mail to CL', () => sink.mails.find((m) => m.to.includes(emails.cl)));
    const armored = bodyOf(cl.raw);
    expect(armored).toContain('-----BEGIN PGP MESSAGE-----');
    expect(armored).not.toContain('/ack?token=');
    expect(subjectOf(cl.raw)).not.toContain('Quarterly');
    const { data } = await openpgp.decrypt({ message: await openpgp.readMessage({ armoredMessage: armored.trim() }), decryptionKeys: privateKey });
    expect(String(data)).toContain('Quarterly ping Q3');
    clToken = tokenIn(String(data))!;
    expect(clToken).toBeTruthy();
    // No mail to contacts the launcher may not reach.
    expect(sink.mails.some((m) => m.to.includes(emails.es) || m.to.includes(emails.amber))).toBe(false);
    // Only the hash of a token is stored.
    const stored = await t.db.selectFrom('communication_check_targets').select('token_hash').where('check_id', '=', checkId).execute();
    expect(stored.map((s) => s.token_hash)).toContain(hashToken(brToken));
    expect(JSON.stringify(stored)).not.toContain(brToken);
    // An in-app notice for the contact with an account, addressed to that person only.
    const ev = await t.db.selectFrom('events').selectAll().where('type', '=', 'communication_check.requested').execute();
    expect(ev).toHaveLength(1);
    expect(ev[0].audience_people).toEqual([ids.clPerson]);
  });

  it('acknowledges by link, idempotently, and the result shows it', async () => {
    const info = await t.app.inject({ method: 'GET', url: `/api/v1/communication-checks/ack?token=${brToken}` });
    expect(info.statusCode).toBe(200);
    expect(info.json()).toMatchObject({ title: 'Quarterly ping Q3', language: 'pt', acknowledgedAt: null, closed: false });
    const a1 = await t.app.inject({ method: 'POST', url: '/api/v1/communication-checks/ack', payload: { token: brToken } });
    expect(a1.statusCode).toBe(200);
    const a2 = await t.app.inject({ method: 'POST', url: '/api/v1/communication-checks/ack', payload: { token: brToken } });
    expect(a2.json().acknowledgedAt).toBe(a1.json().acknowledgedAt);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/communication-checks/ack', payload: { token: 'x'.repeat(43) } })).statusCode).toBe(404);
    const r = (await secretariat.get(`/api/v1/communication-checks/${checkId}`)).json();
    const row = r.contacts.find((c: { contactId: string }) => c.contactId === ids.cBr);
    expect(row).toMatchObject({ acknowledged: true, channel: 'link' });
    expect(r.overall).toMatchObject({ targets: 2, acknowledged: 1, responseRate: 0.5 });
  });

  it('organisation admins see only their own contacts; others see nothing', async () => {
    const r = await brAdmin.get(`/api/v1/communication-checks/${checkId}`);
    expect(r.statusCode).toBe(200);
    expect(r.json().contacts).toHaveLength(1);
    expect(r.json().contacts[0].contactId).toBe(ids.cBr);
    expect((await otherAdmin.get(`/api/v1/communication-checks/${checkId}`)).statusCode).toBe(404);
    expect((await member.get(`/api/v1/communication-checks/${checkId}`)).statusCode).toBe(404);
  });

  it('reminders go only to the unacknowledged, once per reminder', async () => {
    const before = sink.mails.length;
    const ch = await t.db.selectFrom('communication_checks').select(['reminder_at']).where('id', '=', checkId).executeTakeFirstOrThrow();
    const at = new Date(new Date(ch.reminder_at[0]).getTime() + 1000);
    expect(await sendDueReminders(jd, at)).toBe(1);
    expect(await sendDueReminders(jd, at)).toBe(0);
    await deliverAll();
    const m = await waitFor('reminder', () => sink.mails.length > before && sink.mails[sink.mails.length - 1]);
    expect(m.to).toEqual([emails.cl]);
    expect(bodyOf(m.raw)).toContain('-----BEGIN PGP MESSAGE-----');
    expect(sink.mails.slice(before).some((x) => x.to.includes(emails.br))).toBe(false);
  });

  it('closes at the deadline; later acknowledgements get 410', async () => {
    const ch = await t.db.selectFrom('communication_checks').select('deadline').where('id', '=', checkId).executeTakeFirstOrThrow();
    expect(await closeDueChecks(jd, new Date(ch.deadline.getTime() - 1000))).toEqual([]);
    expect(await closeDueChecks(jd, new Date(ch.deadline.getTime() + 1000))).toEqual([checkId]);
    const late = await t.app.inject({ method: 'POST', url: '/api/v1/communication-checks/ack', payload: { token: clToken } });
    expect(late.statusCode).toBe(410);
    expect(late.json().error.code).toBe('GONE');
    expect((await secretariat.get(`/api/v1/communication-checks/${checkId}`)).json().status).toBe('closed');
    // One miss is not yet a flag.
    expect(await t.db.selectFrom('contact_check_flags').selectAll().execute()).toHaveLength(0);
  });

  it('a contact that fails two checks in a row is flagged and its owner is told', async () => {
    const r = await secretariat.post('/api/v1/communication-checks', { title: 'Second ping', deadline: future(24), filters: { countries: ['CL', 'BR'] }, reminderHours: [1] });
    expect(r.statusCode).toBe(201);
    const id2 = r.json().id;
    const before = sink.mails.length;
    expect(await closeDueChecks(jd, new Date(Date.now() + 25 * 3_600_000))).toEqual([id2]);
    const flags = await t.db.selectFrom('contact_check_flags').select('contact_id').execute();
    expect(flags.map((f) => f.contact_id)).toEqual([ids.cCl]);
    await deliverAll();
    const m = await waitFor('flag mail', () => sink.mails.slice(before).find((x) => x.to.includes('cl-admin@example.test')));
    expect(bodyOf(m.raw)).toContain('CSIRT de Chile');
    const h = await secretariat.get(`/api/v1/contacts/${ids.cCl}/communication-checks`);
    expect(h.statusCode).toBe(200);
    expect(h.json().flagged).toBe(true);
    expect(h.json().items.map((i: { title: string }) => i.title)).toEqual(['Second ping', 'Quarterly ping Q3']);
    const brHist = (await secretariat.get(`/api/v1/contacts/${ids.cBr}/communication-checks`)).json();
    expect(brHist.flagged).toBe(false);
    // The directory tells those responsible (here the secretariat), in the list and on the card, and nobody else.
    expect((await secretariat.get(`/api/v1/contacts/${ids.cCl}`)).json().flagged).toBe(true);
    const listed = (await secretariat.get('/api/v1/contacts?country=CL')).json().items.find((c: { id: string }) => c.id === ids.cCl);
    expect(listed?.flagged).toBe(true);
    const asBr = await brAdmin.get(`/api/v1/contacts/${ids.cCl}`);
    expect(asBr.statusCode).toBe(200);
    expect(asBr.json().flagged).toBe(false);
  });

  it('the contact with an account acknowledges in the app, which clears its flag', async () => {
    const r = await secretariat.post('/api/v1/communication-checks', { title: 'Third ping', deadline: future(24), filters: { countries: ['CL'] } });
    expect(r.statusCode).toBe(201);
    const id3 = r.json().id;
    const clUser = await login(t.app, (await t.db.selectFrom('people').select('email').where('id', '=', ids.clPerson).executeTakeFirstOrThrow()).email);
    const pending = (await clUser.get('/api/v1/communication-checks/pending')).json();
    expect(pending.items.map((i: { checkId: string }) => i.checkId)).toEqual([id3]);
    expect((await brAdmin.post(`/api/v1/communication-checks/${id3}/acknowledge`, { contactId: ids.cCl })).statusCode).toBe(404);
    const a = await clUser.post(`/api/v1/communication-checks/${id3}/acknowledge`, { contactId: ids.cCl });
    expect(a.statusCode).toBe(200);
    const row = (await secretariat.get(`/api/v1/communication-checks/${id3}`)).json().contacts[0];
    expect(row).toMatchObject({ contactId: ids.cCl, acknowledged: true, channel: 'in_app' });
    expect((await secretariat.get(`/api/v1/contacts/${ids.cCl}/communication-checks`)).json().flagged).toBe(false);
    expect((await secretariat.get(`/api/v1/contacts/${ids.cCl}`)).json().flagged).toBe(false);
  });

  it('confirming the details clears a flag, as the flag notice promises', async () => {
    const check = await t.db.selectFrom('communication_checks').select('id').orderBy('created_at', 'desc').executeTakeFirstOrThrow();
    await t.db.insertInto('contact_check_flags').values({ contact_id: ids.cBr, check_id: check.id, flagged_at: new Date() }).execute();
    expect((await brAdmin.get(`/api/v1/contacts/${ids.cBr}`)).json().flagged).toBe(true);
    expect((await otherAdmin.get(`/api/v1/contacts/${ids.cBr}`)).json().flagged).toBe(false);
    const r = await brAdmin.post(`/api/v1/contacts/${ids.cBr}/confirm`);
    expect(r.statusCode).toBe(200);
    expect(r.json().flagged).toBe(false);
    expect(await t.db.selectFrom('contact_check_flags').select('contact_id').where('contact_id', '=', ids.cBr).execute()).toEqual([]);
  });

  it('a community admin launches only to the contacts of their community', async () => {
    const cm = await makePerson(t.db, ids.sec);
    const community = await makeCommunity(t.db, { organisations: [ids.br], people: [{ id: cm.id, isAdmin: true }] });
    const admin = await login(t.app, cm.email);
    expect((await admin.post('/api/v1/communication-checks', { title: 'Community ping', deadline: future(24), filters: { kinds: ['technical'] } })).statusCode).toBe(403);
    const r = await admin.post('/api/v1/communication-checks', { title: 'Community ping', deadline: future(24), filters: { communityId: community } });
    expect(r.statusCode).toBe(201);
    expect(r.json().contacts.map((c: { contactId: string }) => c.contactId)).toEqual([ids.cBr]);
    expect((await admin.get('/api/v1/communication-checks')).json().items.map((i: { title: string }) => i.title)).toEqual(['Community ping']);
  });

  it('statistics are exact: median and nearest-rank 90th percentile, overall and per country', async () => {
    const id = newId();
    const start = new Date('2026-01-01T00:00:00Z');
    const launcher = ids.secPerson;
    await t.db
      .insertInto('communication_checks')
      .values({ id, title: 'Constructed', launched_by: launcher, launched_by_org: ids.sec, deadline: new Date('2026-01-03T00:00:00Z'), status: 'closed', created_at: start })
      .execute();
    // BR: 60, 120, 180, 240, 600 s and one unanswered; CL: 30 s.
    const secs = [60, 120, 180, 240, 600, null];
    const extra = [];
    for (const [i, s] of secs.entries()) {
      const cid = newId();
      extra.push(cid);
      await insertContact({ id: cid, org: ids.br, country: 'BR', name: `Stat ${i}`, languages: ['pt'], email: `s${i}@example.test`, authorOrg: ids.br });
      await t.db
        .insertInto('communication_check_targets')
        .values({ check_id: id, contact_id: cid, organisation_id: ids.br, country_code: 'BR', email: `s${i}@example.test`, language: 'pt', token_hash: `h${i}${id}`, token_sealed: 'x', acknowledged_at: s === null ? null : new Date(start.getTime() + s * 1000), channel: s === null ? null : 'link' })
        .execute();
    }
    await t.db
      .insertInto('communication_check_targets')
      .values({ check_id: id, contact_id: ids.cCl, organisation_id: ids.br, country_code: 'CL', email: emails.cl, language: 'es', token_hash: `hc${id}`, token_sealed: 'x', acknowledged_at: new Date(start.getTime() + 30_000), channel: 'in_app' })
      .execute();
    const r = await secretariat.get(`/api/v1/communication-checks/${id}`);
    expect(r.statusCode, r.body).toBe(200);
    const byC = Object.fromEntries(r.json().byCountry.map((c: { country: string }) => [c.country, c]));
    expect(byC.BR).toMatchObject({ targets: 6, acknowledged: 5, medianSeconds: 180, p90Seconds: 600 });
    expect(byC.CL).toMatchObject({ targets: 1, acknowledged: 1, medianSeconds: 30, p90Seconds: 30 });
    // Overall: 30, 60, 120, 180, 240, 600 → median (120+180)/2, p90 rank ceil(5.4)=6 → 600.
    expect(r.json().overall).toMatchObject({ targets: 7, acknowledged: 6, medianSeconds: 150, p90Seconds: 600 });

    const csv = await secretariat.get(`/api/v1/communication-checks/${checkId}/results.csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain(`'=Equipe CERT.br`);
    const pdf = await secretariat.get(`/api/v1/communication-checks/${checkId}/results.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.rawPayload.subarray(-8).toString()).toContain('%%EOF');
    // Text is written uncompressed: TJ arrays of hex strings (WinAnsi) split by kerning.
    const linesOf = (body: Buffer) =>
      [...body.toString('latin1').matchAll(/\[(.*?)\] TJ/g)].map((m) => [...m[1].matchAll(/<([0-9a-f]+)>/g)].map((h) => Buffer.from(h[1], 'hex').toString('latin1')).join(''));
    const lines = linesOf(pdf.rawPayload);
    expect(lines).toContain('Quarterly ping Q3');
    expect(lines).toContain('By country');
    expect(lines).toContain('Brazil');
    expect(lines.some((l) => /launched \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/.test(l))).toBe(true);
    // In the reader's language: headings, columns, country names and figures.
    const es = linesOf((await secretariat.get(`/api/v1/communication-checks/${checkId}/results.pdf?lang=es`)).rawPayload);
    expect(es).toContain('Quarterly ping Q3');
    for (const text of ['Por país', 'Todos los contactos', 'Brasil']) expect(es).toContain(text);
    // A column's header may wrap onto two lines.
    expect(es.join(' ').replace(/\s+/g, ' ')).toContain('Tasa de respuesta');
    expect(es.some((l) => /lanzada el \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/.test(l))).toBe(true);
    expect(es).not.toContain('By country');
    const fr = linesOf((await secretariat.get(`/api/v1/communication-checks/${checkId}/results.pdf?lang=fr`)).rawPayload);
    for (const text of ['Par pays', 'Brésil']) expect(fr).toContain(text);
    expect(fr.join(' ').replace(/\s+/g, ' ')).toContain('Taux de réponse');
    expect((await secretariat.get(`/api/v1/communication-checks/${checkId}/results.pdf?lang=xx-!!`)).statusCode).toBe(400);
  });
});
