import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as openpgp from 'openpgp';
import { sql } from 'kysely';
import { createTestApp, login, makeCommunity, makeOrganisation, makePerson, type Client, type TestApp } from '../../test/harness.js';
import { sendStaleReminders } from './reminders.js';

let t: TestApp;
let secretariat: Client, fpEs: Client, esAdmin: Client, esMember: Client, csirtAdmin: Client, csirtMember: Client, otherAdmin: Client, crisisMember: Client;
let esMfa: string, brCsirt: string, other: string, crisisCommunity: string;
let fpEsId: string, csirtAdminId: string;

async function counts() {
  const n = async (tb: 'contacts' | 'audit_log' | 'country_focal_points') => Number((await t.db.selectFrom(tb).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return { contacts: await n('contacts'), audit: await n('audit_log'), focal: await n('country_focal_points') };
}

beforeAll(async () => {
  t = await createTestApp();
  const sec = await makeOrganisation(t.db, { country: 'INT', type: 'international_organisation' });
  esMfa = await makeOrganisation(t.db, { country: 'ES', type: 'mfa' });
  brCsirt = await makeOrganisation(t.db, { country: 'BR', type: 'national_csirt' });
  other = await makeOrganisation(t.db, { country: 'CL', type: 'national_csirt' });
  await t.db.updateTable('organisations').set({ sectors: ['energy'] }).where('id', '=', brCsirt).execute();
  const s = await makePerson(t.db, sec, { roles: ['member', 'org_admin', 'secretariat'] });
  const f = await makePerson(t.db, esMfa, { name: 'Focal Point ES' });
  const ea = await makePerson(t.db, esMfa, { roles: ['member', 'org_admin'] });
  const em = await makePerson(t.db, esMfa);
  const ca = await makePerson(t.db, brCsirt, { roles: ['member', 'org_admin'] });
  const cm = await makePerson(t.db, brCsirt);
  const oa = await makePerson(t.db, other, { roles: ['member', 'org_admin'] });
  const crisisOrg = await makeOrganisation(t.db, { country: 'EE' });
  const cr = await makePerson(t.db, crisisOrg);
  crisisCommunity = await makeCommunity(t.db, { organisations: [crisisOrg] });
  fpEsId = f.id;
  csirtAdminId = ca.id;
  [secretariat, fpEs, esAdmin, esMember, csirtAdmin, csirtMember, otherAdmin, crisisMember] = await Promise.all([s, f, ea, em, ca, cm, oa, cr].map((p) => login(t.app, p.email)));
});
afterAll(async () => t?.close());

const techContact = (extra: object = {}) => ({ organisationId: brCsirt, kinds: ['technical', 'operational_24_7'], fullName: 'Equipo SOC', emails: ['soc@example.test'], ...extra });

describe('national focal points', () => {
  it('are set and ended by the secretariat only, and must belong to the country', async () => {
    const before = await counts();
    expect((await esAdmin.put(`/api/v1/countries/ES/focal-points/${fpEsId}`)).statusCode).toBe(403);
    const wrongCountry = await secretariat.put(`/api/v1/countries/BR/focal-points/${fpEsId}`);
    expect(wrongCountry.statusCode).toBe(409);
    expect(await counts()).toEqual(before);
    const ok = await secretariat.put(`/api/v1/countries/ES/focal-points/${fpEsId}`);
    expect(ok.statusCode).toBe(200);
    expect(ok.json().items.map((x: { person: { id: string } }) => x.person.id)).toEqual([fpEsId]);
    const list = await esMember.get('/api/v1/countries/ES/focal-points');
    expect(list.json().items[0].person.name).toBe('Focal Point ES');
    expect((await esMember.get('/api/v1/focal-points')).json().items.length).toBe(1);
    const audit = await t.db.selectFrom('audit_log').select('action').where('action', '=', 'focal_point.added').execute();
    expect(audit.length).toBe(1);
  });
});

describe('nomination rules', () => {
  it('diplomatic contacts: nominated by the focal point, not by the org admin; approved by the secretariat only', async () => {
    const body = { organisationId: esMfa, kinds: ['diplomatic'], fullName: 'Embajadora Ciber', position: 'Ambassador for cyber affairs', emails: ['cyber@mfa.example.test'] };
    const before = await counts();
    const byAdmin = await esAdmin.post('/api/v1/contacts', body);
    expect(byAdmin.statusCode).toBe(403);
    const byMember = await esMember.post('/api/v1/contacts', body);
    expect(byMember.statusCode).toBe(403);
    // A nomination must be visible to the secretariat, which has no bypass: entry-level AMBER is refused.
    const hidden = await fpEs.post('/api/v1/contacts', { ...body, tlp: 'AMBER', audience: { organisations: [esMfa] } });
    expect(hidden.statusCode).toBe(400);
    expect(hidden.json().error.code).toBe('INVALID_MARKING');
    expect(await counts()).toEqual(before);
    const res = await fpEs.post('/api/v1/contacts', body);
    expect(res.statusCode).toBe(201);
    const c = res.json();
    expect(c.status).toBe('nominated');
    expect(c.tlp).toBe('GREEN');
    // Not in the active directory yet.
    expect((await esMember.get('/api/v1/contacts?country=ES')).json().items.length).toBe(0);
    const queue = await secretariat.get('/api/v1/contacts/nominations');
    expect(queue.json().items.map((x: { id: string }) => x.id)).toContain(c.id);
    expect((await fpEs.get('/api/v1/contacts/nominations')).statusCode).toBe(403);
    expect((await fpEs.post(`/api/v1/contacts/${c.id}/approve`)).statusCode).toBe(403);
    expect((await secretariat.post(`/api/v1/contacts/${c.id}/reject`, { reason: '' })).statusCode).toBe(400);
    const ok = await secretariat.post(`/api/v1/contacts/${c.id}/approve`);
    expect(ok.json().status).toBe('active');
    expect((await secretariat.post(`/api/v1/contacts/${c.id}/approve`)).statusCode).toBe(409);
    const found = (await esMember.get('/api/v1/contacts?country=ES')).json();
    expect(found.items.map((x: { id: string }) => x.id)).toEqual([c.id]);
    const actions = (await t.db.selectFrom('audit_log').select('action').where('target_id', '=', c.id).orderBy('seq').execute()).map((r) => r.action);
    expect(actions).toEqual(['contact.nominated', 'contact.approved']);
  });

  it('technical contacts: managed by their organisation’s admins (active at once), not by others or by focal points', async () => {
    expect((await csirtMember.post('/api/v1/contacts', techContact())).statusCode).toBe(403);
    expect((await otherAdmin.post('/api/v1/contacts', techContact())).statusCode).toBe(403);
    expect((await fpEs.post('/api/v1/contacts', techContact())).statusCode).toBe(403);
    const res = await csirtAdmin.post('/api/v1/contacts', techContact());
    expect(res.statusCode).toBe(201);
    expect(res.json().status).toBe('active');
    const id = res.json().id;
    expect((await otherAdmin.patch(`/api/v1/contacts/${id}`, { position: 'x' })).statusCode).toBe(403);
    const upd = await csirtAdmin.patch(`/api/v1/contacts/${id}`, { position: 'Duty officer' });
    expect(upd.statusCode).toBe(200);
    expect(upd.json().position).toBe('Duty officer');
    // Adding a diplomatic kind is not the org admin's to do.
    expect((await csirtAdmin.patch(`/api/v1/contacts/${id}`, { kinds: ['technical', 'diplomatic'] })).statusCode).toBe(403);
    expect((await otherAdmin.del(`/api/v1/contacts/${id}`)).statusCode).toBe(403);
    expect((await csirtAdmin.del(`/api/v1/contacts/${id}`)).statusCode).toBe(204);
    expect((await csirtMember.get(`/api/v1/contacts/${id}`)).json().status).toBe('removed');
    expect((await csirtMember.get('/api/v1/contacts?status=removed')).json().items.some((x: { id: string }) => x.id === id)).toBe(true);
    const actions = (await t.db.selectFrom('audit_log').select('action').where('target_id', '=', id).orderBy('seq').execute()).map((r) => r.action);
    expect(actions).toEqual(['contact.created', 'contact.updated', 'contact.removed']);
  });

  it('refuses a per-field marking wider than the entry, and the anonymous', async () => {
    const before = await counts();
    const wide = await csirtAdmin.post('/api/v1/contacts', techContact({ tlp: 'AMBER', fieldMarkings: { phone: { tlp: 'GREEN' } } }));
    expect(wide.statusCode).toBe(400);
    expect(wide.json().error.code).toBe('INVALID_MARKING');
    const wideAud = await csirtAdmin.post('/api/v1/contacts', techContact({ tlp: 'AMBER', audience: { organisations: [other] }, fieldMarkings: { phone: { tlp: 'AMBER', audience: { communities: [crisisCommunity] } } } }));
    expect(wideAud.json().error.code).toBe('INVALID_MARKING');
    expect(await counts()).toEqual(before);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/contacts' })).statusCode).toBe(401);
  });

  it('a field shared only with a community is withheld (by name) from everyone else', async () => {
    const res = await csirtAdmin.post(
      '/api/v1/contacts',
      techContact({ fullName: 'Crisis desk', phone: '+55 61 5555 0100', emergencyPhone: '+55 61 9999 0000', fieldMarkings: { emergencyPhone: { tlp: 'AMBER', audience: { communities: [crisisCommunity] } } } }),
    );
    expect(res.statusCode).toBe(201);
    const id = res.json().id;
    const seen = (await crisisMember.get(`/api/v1/contacts/${id}`)).json();
    expect(seen.emergencyPhone).toBe('+55 61 9999 0000');
    expect(seen.withheld).toEqual([]);
    const outsider = (await otherAdmin.get(`/api/v1/contacts/${id}`)).json();
    expect(outsider.phone).toBe('+55 61 5555 0100');
    expect(outsider).not.toHaveProperty('emergencyPhone');
    expect(outsider.withheld).toEqual(['emergencyPhone']);
    expect(JSON.stringify(outsider)).not.toContain('9999');
    expect(JSON.stringify((await otherAdmin.get('/api/v1/contacts?q=crisis')).json())).not.toContain('9999');
    // The author's organisation sees it (AMBER).
    expect((await csirtMember.get(`/api/v1/contacts/${id}`)).json().emergencyPhone).toBe('+55 61 9999 0000');
    // An editor cannot change a field they cannot see: the CSIRT admin can see it, the other admin cannot edit at all.
    expect((await csirtAdmin.patch(`/api/v1/contacts/${id}`, { emergencyPhone: '+55 61 9999 0001' })).statusCode).toBe(200);
  });
});

describe('OpenPGP keys', () => {
  it('reads an RSA and an ECC key: fingerprint, algorithm and expiry', async () => {
    const rsa = await openpgp.generateKey({ type: 'rsa', rsaBits: 2048, userIDs: [{ name: 'SOC', email: 'soc@example.test' }], format: 'object' });
    const res = await csirtAdmin.post('/api/v1/contacts', techContact({ openpgpKey: rsa.publicKey.armor() }));
    expect(res.statusCode).toBe(201);
    const k = res.json().openpgpKey;
    expect(k.fingerprint).toBe(rsa.publicKey.getFingerprint().toUpperCase());
    expect(k.algorithm).toBe('RSA 2048');
    expect(k.expiresAt).toBeNull();
    expect(k.expired).toBe(false);
    expect(k.revoked).toBe(false);
    const ecc = await openpgp.generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ name: 'SOC', email: 'soc@example.test' }], keyExpirationTime: 365 * 86400, format: 'object' });
    const r2 = await csirtAdmin.patch(`/api/v1/contacts/${res.json().id}`, { openpgpKey: ecc.publicKey.armor() });
    expect(r2.statusCode).toBe(200);
    expect(r2.json().openpgpKey.fingerprint).toBe(ecc.publicKey.getFingerprint().toUpperCase());
    expect(r2.json().openpgpKey.algorithm).toMatch(/^EdDSA/);
    expect(Date.parse(r2.json().openpgpKey.expiresAt)).toBeGreaterThan(Date.now() + 300 * 86_400_000);
    const check = await csirtAdmin.post('/api/v1/contacts/key-check', { armored: ecc.publicKey.armor() });
    expect(check.json().fingerprint).toBe(ecc.publicKey.getFingerprint().toUpperCase());
  });

  it('flags an expired key and a revoked key', async () => {
    const old = await openpgp.generateKey({ type: 'ecc', userIDs: [{ name: 'Old', email: 'old@example.test' }], date: new Date(Date.now() - 30 * 86_400_000), keyExpirationTime: 86_400, format: 'object' });
    const res = await csirtAdmin.post('/api/v1/contacts', techContact({ openpgpKey: old.publicKey.armor() }));
    expect(res.statusCode).toBe(201);
    expect(res.json().openpgpKey.expired).toBe(true);
    const rev = await openpgp.generateKey({ type: 'ecc', userIDs: [{ name: 'Rev', email: 'rev@example.test' }], format: 'object' });
    const revoked = await openpgp.revokeKey({ key: rev.privateKey, format: 'armored' });
    const r2 = await csirtAdmin.post('/api/v1/contacts', techContact({ openpgpKey: revoked.publicKey }));
    expect(r2.json().openpgpKey.revoked).toBe(true);
  });

  it('refuses garbage and private keys with INVALID_KEY and writes nothing', async () => {
    const before = await counts();
    for (const bad of ['garbage', '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nAAAA\n-----END PGP PUBLIC KEY BLOCK-----']) {
      const res = await csirtAdmin.post('/api/v1/contacts', techContact({ openpgpKey: bad }));
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('INVALID_KEY');
    }
    const priv = await openpgp.generateKey({ type: 'ecc', userIDs: [{ name: 'P', email: 'p@example.test' }], format: 'armored' });
    const res = await csirtAdmin.post('/api/v1/contacts', techContact({ openpgpKey: priv.privateKey }));
    expect(res.json().error.code).toBe('INVALID_KEY');
    expect((await csirtAdmin.post('/api/v1/contacts/key-check', { armored: 'nope' })).json().error.code).toBe('INVALID_KEY');
    expect(await counts()).toEqual(before);
  });
});

describe('upkeep', () => {
  it('flags entries not confirmed for 12 months with their age; confirm resets; the daily job mails the owners in their language', async () => {
    await t.db.updateTable('people').set({ ui_language: 'pt' }).where('id', '=', csirtAdminId).execute();
    const res = await csirtAdmin.post('/api/v1/contacts', techContact({ fullName: 'Velho Contato' }));
    const id = res.json().id;
    await t.db.updateTable('contacts').set({ last_confirmed_at: sql<Date>`now() - interval '400 days'` }).where('id', '=', id).execute();
    const c = (await csirtMember.get(`/api/v1/contacts/${id}`)).json();
    expect(c.stale).toBe(true);
    expect(c.ageDays).toBe(400);
    expect((await csirtMember.get('/api/v1/contacts?stale=true')).json().items.map((x: { id: string }) => x.id)).toEqual([id]);
    expect((await csirtMember.get('/api/v1/contacts?stale=false')).json().items.some((x: { id: string }) => x.id === id)).toBe(false);

    const mailsBefore = await t.db.selectFrom('mail_outbox').selectAll().where('purpose', '=', 'contact_reminder').execute();
    const n = await sendStaleReminders({ db: t.db, mailer: t.deps.mailer, baseUrl: 'http://puente.test' });
    expect(n).toBe(1);
    const mails = await t.db.selectFrom('mail_outbox').selectAll().where('purpose', '=', 'contact_reminder').execute();
    expect(mails.length - mailsBefore.length).toBe(1);
    const m = mails.find((x) => !mailsBefore.some((b) => b.id === x.id))!;
    const admin = await t.db.selectFrom('people').select('email').where('id', '=', csirtAdminId).executeTakeFirstOrThrow();
    expect(m.to_address).toBe(admin.email);
    expect(m.subject).toContain('Velho Contato');
    expect(m.text_body).toContain('Olá');
    expect(m.text_body).toContain(`http://puente.test/contacts/${id}`);
    // Not again the next day.
    expect(await sendStaleReminders({ db: t.db, mailer: t.deps.mailer, baseUrl: 'http://puente.test' })).toBe(0);

    expect((await otherAdmin.post(`/api/v1/contacts/${id}/confirm`)).statusCode).toBe(403);
    const ok = await csirtMember.post(`/api/v1/contacts/${id}/confirm`);
    expect(ok.statusCode).toBe(403);
    const done = await csirtAdmin.post(`/api/v1/contacts/${id}/confirm`);
    expect(done.statusCode).toBe(200);
    expect(done.json().stale).toBe(false);
    expect(done.json().ageDays).toBe(0);
    const audit = await t.db.selectFrom('audit_log').select('action').where('target_id', '=', id).orderBy('seq').execute();
    expect(audit.map((a) => a.action)).toEqual(['contact.created', 'contact.reminder_sent', 'contact.confirmed']);
  });

  it('reminds the focal points for diplomatic entries', async () => {
    const res = await fpEs.post('/api/v1/contacts', { organisationId: esMfa, kinds: ['diplomatic'], fullName: 'Consejero Antiguo' });
    await secretariat.post(`/api/v1/contacts/${res.json().id}/approve`);
    await t.db.updateTable('contacts').set({ last_confirmed_at: sql<Date>`now() - interval '13 months'` }).where('id', '=', res.json().id).execute();
    await sendStaleReminders({ db: t.db, mailer: t.deps.mailer, baseUrl: 'http://puente.test' });
    const fp = await t.db.selectFrom('people').select('email').where('id', '=', fpEsId).executeTakeFirstOrThrow();
    const mails = await t.db.selectFrom('mail_outbox').selectAll().where('purpose', '=', 'contact_reminder').where('to_address', '=', fp.email).execute();
    expect(mails.length).toBe(1);
    expect(mails[0].subject).toContain('Consejero Antiguo');
  });
});

describe('finding people', () => {
  it('fuzzy and accent-folded names; filters combine', async () => {
    const mk = async (fullName: string, extra: object = {}) => {
      const r = await csirtAdmin.post('/api/v1/contacts', techContact({ fullName, ...extra }));
      expect(r.statusCode).toBe(201);
      return r.json().id as string;
    };
    const gonzalez = await mk('María José González Pérez', { languages: ['es', 'pt'] });
    const joao = await mk('João Conceição', { languages: ['pt'], kinds: ['capacity_building'] });
    const ids = async (q: string) => (await csirtMember.get(`/api/v1/contacts?${q}`)).json().items.map((x: { id: string }) => x.id) as string[];
    expect(await ids('q=Gonzales')).toContain(gonzalez);
    expect(await ids('q=gonzalez')).toContain(gonzalez);
    expect(await ids('q=MARIA%20JOSE')).toContain(gonzalez);
    expect(await ids('q=joao')).toEqual([joao]);
    expect(await ids('q=conceicao')).toEqual([joao]);
    expect(await ids('q=Gonzales')).not.toContain(joao);
    expect(await ids('language=pt&kind=capacity_building')).toEqual([joao]);
    expect(await ids('language=pt&kind=technical&q=gonzales')).toEqual([gonzalez]);
    expect(await ids(`language=es&organisation=${brCsirt}&country=BR&sector=energy`)).toEqual([gonzalez]);
    expect(await ids('language=es&country=CL')).toEqual([]);
    expect(await ids('q=gonzales&sector=health')).toEqual([]);
    const paged = (await csirtMember.get('/api/v1/contacts?pageSize=1&page=2')).json();
    expect(paged.items.length).toBe(1);
    expect(paged.total).toBeGreaterThan(2);
    expect((await csirtMember.get('/api/v1/contacts?kind=nope')).statusCode).toBe(400);
  });

  it('never matches on a field the viewer cannot see', async () => {
    const r = await csirtAdmin.post(
      '/api/v1/contacts',
      techContact({ fullName: 'Hidden Phone Person', emails: ['zebra-unique@example.test'], fieldMarkings: { emails: { tlp: 'AMBER+STRICT' } } }),
    );
    expect(r.statusCode).toBe(201);
    for (const c of [otherAdmin, csirtMember]) expect((await c.get('/api/v1/contacts?q=zebra-unique')).json().items).toEqual([]);
  });
});


describe('coverage map', () => {
  type Row = { code: string; region: string; diplomatic: { count: number }; technical: { count: number; lastConfirmedAt: string | null }; operational_24_7: { count: number } };
  const row = async (c: Client, code: string) => {
    const res = await c.get('/api/v1/contacts/coverage');
    expect(res.statusCode).toBe(200);
    const items = res.json().items as Row[];
    expect(items.length).toBe(60);
    return items.find((x) => x.code === code)!;
  };

  it('counts only active, recently confirmed entries the viewer may see', async () => {
    const uy = await makeOrganisation(t.db, { country: 'UY', type: 'national_csirt' });
    const adminP = await makePerson(t.db, uy, { roles: ['member', 'org_admin'] });
    const memberP = await makePerson(t.db, uy);
    const [admin, member] = await Promise.all([login(t.app, adminP.email), login(t.app, memberP.email)]);
    const anon = await t.app.inject({ method: 'GET', url: '/api/v1/contacts/coverage' });
    expect(anon.statusCode).toBe(401);

    // Nothing yet.
    expect((await row(member, 'UY')).technical.count).toBe(0);
    // An AMBER technical entry for its own organisation only: hidden from everyone outside.
    const hidden = await admin.post('/api/v1/contacts', { organisationId: uy, kinds: ['technical'], fullName: 'CERTuy interno', tlp: 'AMBER', audience: { organisations: [uy] } });
    expect(hidden.statusCode).toBe(201);
    expect((await otherAdmin.get(`/api/v1/contacts/${hidden.json().id}`)).statusCode).toBe(404);
    const inside = await row(member, 'UY');
    expect(inside.technical.count).toBe(1);
    expect(inside.technical.lastConfirmedAt).not.toBeNull();
    const outside = await row(otherAdmin, 'UY');
    expect(outside.technical.count).toBe(0);
    expect(outside.technical.lastConfirmedAt).toBeNull();

    // A GREEN 24/7 entry counts for both; a stale one counts for neither.
    const open = await admin.post('/api/v1/contacts', { organisationId: uy, kinds: ['operational_24_7', 'technical'], fullName: 'CERTuy guardia' });
    expect(open.statusCode).toBe(201);
    expect((await row(otherAdmin, 'UY')).operational_24_7.count).toBe(1);
    expect((await row(otherAdmin, 'UY')).technical.count).toBe(1);
    expect((await row(member, 'UY')).technical.count).toBe(2);
    await t.db.updateTable('contacts').set({ last_confirmed_at: sql<Date>`now() - interval '13 months'` }).where('id', '=', open.json().id).execute();
    expect((await row(otherAdmin, 'UY')).operational_24_7.count).toBe(0);
    expect((await row(member, 'UY')).technical.count).toBe(1);
    // Removed entries do not count.
    expect((await admin.del(`/api/v1/contacts/${hidden.json().id}`)).statusCode).toBe(204);
    expect((await row(member, 'UY')).technical.count).toBe(0);
    expect((await row(member, 'UY')).diplomatic.count).toBe(0);
  });
});

describe('abilities: what `can` reports is what the API allows', () => {
  it('for every viewer, editing, re-marking, removing and confirming an entry succeed exactly when `can` says so', async () => {
    // The focal point of ES (set again: this test does not rely on the order of the others).
    expect((await secretariat.put(`/api/v1/countries/ES/focal-points/${fpEsId}`)).statusCode).toBe(200);
    // The person a technical entry names, and an organisation admin whose organisation is suspended after adding its own CLEAR entry.
    const namedP = await makePerson(t.db, brCsirt);
    const orgU = await makeOrganisation(t.db, { country: 'AR' });
    const unvettedP = await makePerson(t.db, orgU, { roles: ['member', 'org_admin'] });
    const [named, unvetted] = await Promise.all([namedP, unvettedP].map((p) => login(t.app, p.email)));
    const setU = (status: 'approved' | 'suspended') => t.db.updateTable('organisations').set({ status }).where('id', '=', orgU).execute();
    await setU('suspended');
    const viewers: Record<string, Client> = { secretariat, fpEs, esAdmin, esMember, csirtAdmin, csirtMember, otherAdmin, named, unvetted };
    let n = 0;
    const create = async (c: Client, body: object) => {
      const res = await c.post('/api/v1/contacts', { fullName: `Abilities entry ${++n}`, ...body });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { id: string; fullName: string };
    };
    const diplomatic = () => create(fpEs, { organisationId: esMfa, kinds: ['diplomatic'] });
    const sources: Record<string, () => Promise<{ id: string; fullName: string }>> = {
      technicalActive: () => create(csirtAdmin, { organisationId: brCsirt, kinds: ['technical'], personId: namedP.id }),
      diplomaticNominated: diplomatic,
      diplomaticActive: async () => {
        const e = await diplomatic();
        expect((await secretariat.post(`/api/v1/contacts/${e.id}/approve`)).statusCode).toBe(200);
        return e;
      },
      diplomaticRejected: async () => {
        const e = await diplomatic();
        expect((await secretariat.post(`/api/v1/contacts/${e.id}/reject`, { reason: 'Not this one' })).statusCode).toBe(200);
        return e;
      },
      technicalRemoved: async () => {
        const e = await create(csirtAdmin, { organisationId: brCsirt, kinds: ['technical'], personId: namedP.id });
        expect((await csirtAdmin.del(`/api/v1/contacts/${e.id}`)).statusCode).toBe(204);
        return e;
      },
      unvettedOwn: async () => {
        await setU('approved');
        const e = await create(unvetted, { organisationId: orgU, kinds: ['technical'], tlp: 'CLEAR', pap: 'CLEAR' });
        await setU('suspended');
        return e;
      },
    };
    const writes: Record<string, (c: Client, id: string) => Promise<{ statusCode: number; body: string }>> = {
      edit: (c, id) => c.patch(`/api/v1/contacts/${id}`, { position: 'Changed' }),
      changeMarking: (c, id) => c.patch(`/api/v1/contacts/${id}`, { tlp: 'CLEAR' }),
      delete: (c, id) => c.del(`/api/v1/contacts/${id}`),
      confirm: (c, id) => c.post(`/api/v1/contacts/${id}/confirm`),
    };
    const none = { edit: false, changeMarking: false, delete: false, confirm: false };
    const allowed: Record<string, string[]> = {};
    for (const [source, make] of Object.entries(sources))
      for (const [action, write] of Object.entries(writes))
        for (const [name, c] of Object.entries(viewers)) {
          const e = await make();
          const one = await c.get(`/api/v1/contacts/${e.id}`);
          let can: Record<string, boolean> = none;
          if (one.statusCode === 200) {
            can = one.json().can;
            expect([one.json().canEdit, one.json().canConfirm]).toEqual([can.edit, can.confirm]);
            const status = one.json().status as string;
            const listed = (await c.get(`/api/v1/contacts?q=${encodeURIComponent(e.fullName)}&status=${status}&pageSize=100`)).json().items.find((x: { id: string }) => x.id === e.id);
            expect(listed?.can, `${name}: the list reports what the entry reports`).toEqual(can);
          }
          const res = await write(c, e.id);
          const ok = res.statusCode === 200 || res.statusCode === 204;
          expect(ok, `${action} of the ${source} entry by ${name}: can says ${can[action]}, the API answered ${res.statusCode} ${res.body}`).toBe(can[action]);
          if (ok) (allowed[`${source}.${action}`] ??= []).push(name);
        }
    // Not vacuous: the rules as documented.
    expect(allowed).toEqual({
      'technicalActive.edit': ['csirtAdmin'],
      'technicalActive.changeMarking': ['csirtAdmin'],
      'technicalActive.delete': ['csirtAdmin'],
      'technicalActive.confirm': ['csirtAdmin', 'named'],
      'diplomaticNominated.edit': ['fpEs'],
      'diplomaticNominated.changeMarking': ['fpEs'],
      'diplomaticNominated.delete': ['fpEs'],
      'diplomaticActive.edit': ['fpEs'],
      'diplomaticActive.changeMarking': ['fpEs'],
      'diplomaticActive.delete': ['fpEs'],
      'diplomaticActive.confirm': ['fpEs'],
      'diplomaticRejected.delete': ['fpEs'],
    });
  }, 180_000);
});
