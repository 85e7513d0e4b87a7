/**
 * Crisis rooms end to end: who may declare, the room's roster from the crisis contacts of the
 * countries in scope (with their keys), sitreps with translations and the cadence, decisions,
 * actions, assistance requests, alerts (in the app and by mail, encrypted when a key is on file)
 * with acknowledgement, closing with the after-action report and its lesson learned, exercises
 * (injects, evaluation), the reminders job, and refusals that write nothing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, makeOrganisation, makePerson, tableCounts, type Client, type TestApp } from '../../test/harness.js';
import { newId } from '../../platform/ids.js';
import { parseCsv } from '../../platform/csv.js';
import { systemActor } from '../../platform/actor.js';
import { loadPrincipalParts } from '../../platform/auth/principal.js';
import { platformOf } from '../../platform/deps.js';
import { releaseDueInjects, remindDueSitreps, requestAssistance, submitSitrep } from './service.js';
import './tables.js';
import '../contacts/tables.js';

let t: TestApp;
const pdftotext = spawnSync('sh', ['-c', 'command -v pdftotext']).stdout.toString().trim();
/** The PDF's text as poppler reads it (pages separated by form feeds). */
function pdfText(pdf: Buffer) {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'crisis-pdf-')), 'r.pdf');
  writeFileSync(file, pdf);
  return spawnSync(pdftotext, ['-enc', 'UTF-8', file, '-']).stdout.toString('utf8');
}
const org: Record<string, string> = {};
const person: Record<string, { id: string; email: string }> = {};
const c: Record<string, Client> = {};
let privateKey: openpgp.PrivateKey;
let fingerprint = '';

async function contact(o: { org: string; country: string; person: string; kinds: string[]; key?: string; fingerprint?: string; tlp?: string }) {
  await t.db
    .insertInto('contacts')
    .values({
      id: newId(),
      organisation_id: o.org,
      country_code: o.country,
      person_id: o.person,
      kinds: o.kinds,
      full_name: `Contact ${o.country}`,
      languages: ['es'],
      emails: [`contact-${o.person.slice(-6)}@example.test`],
      pgp_key: o.key ?? null,
      pgp_fingerprint: o.fingerprint ?? null,
      tlp: o.tlp ?? 'GREEN',
      pap: 'GREEN',
      author_id: null,
      author_org_id: o.org,
      status: 'active',
    })
    .execute();
}

const base = { title: 'Ransomware against energy operators', language: 'en', level: 'serious', countries: ['CO', 'CL'], sectors: ['energy'] };
const sitrep = { impactSeverity: 'red', outlook: 'worsening', sectors: ['energy'], rootCause: 'malicious-actions', conditions: 'Two grid operators encrypted', actions: 'Isolation of OT networks', needs: 'Forensic support', summary: 'Ransomware hit two operators', language: 'es' };

beforeAll(async () => {
  t = await createTestApp();
  org.sec = await makeOrganisation(t.db, { country: 'BE', type: 'international_organisation' });
  org.co = await makeOrganisation(t.db, { country: 'CO', type: 'national_cyber_agency' });
  org.cl = await makeOrganisation(t.db, { country: 'CL', type: 'national_csirt' });
  org.do = await makeOrganisation(t.db, { country: 'DO', type: 'national_csirt' });
  org.out = await makeOrganisation(t.db, { country: 'ES', type: 'national_csirt' });
  org.inv = await makeOrganisation(t.db, { country: 'BE', type: 'team_europe_agency' });
  person.sec = await makePerson(t.db, org.sec, { roles: ['member', 'secretariat'] });
  person.co = await makePerson(t.db, org.co, { roles: ['member', 'org_admin'] });
  person.cl = await makePerson(t.db, org.cl, { roles: ['member', 'org_admin'] });
  person.cl2 = await makePerson(t.db, org.cl);
  person.do = await makePerson(t.db, org.do, { roles: ['member', 'org_admin'] });
  person.out = await makePerson(t.db, org.out, { roles: ['member', 'org_admin'] });
  person.inv = await makePerson(t.db, org.inv);
  const k = await openpgp.generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ name: 'CSIRT CL', email: person.cl.email }], format: 'armored' });
  privateKey = await openpgp.readPrivateKey({ armoredKey: k.privateKey });
  fingerprint = (await openpgp.readKey({ armoredKey: k.publicKey })).getFingerprint().toUpperCase();
  await contact({ org: org.co, country: 'CO', person: person.co.id, kinds: ['crisis_management'] });
  await contact({ org: org.cl, country: 'CL', person: person.cl.id, kinds: ['operational_24_7'], key: k.publicKey, fingerprint });
  await contact({ org: org.do, country: 'DO', person: person.do.id, kinds: ['crisis_management'] });
  // An entry the declarer may not see is not pulled into the room.
  await contact({ org: org.cl, country: 'CL', person: person.cl2.id, kinds: ['crisis_management'], tlp: 'AMBER+STRICT' });
  for (const [k2, v] of Object.entries(person)) c[k2] = await login(t.app, v.email);
});
afterAll(async () => t?.close());

describe('declaring a crisis', () => {
  let id = '';
  it('refuses a level outside the scale and writes nothing', async () => {
    const before = await tableCounts(t.db);
    const r = await c.sec!.post('/api/v1/crises', { ...base, level: 'catastrophic' });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.code).toBe('INVALID_CRISIS_LEVEL');
    expect(await tableCounts(t.db)).toEqual(before);
  });
  it('refuses unknown NIS2 sectors and people who are not a crisis authority of the scope', async () => {
    expect((await c.sec!.post('/api/v1/crises', { ...base, sectors: ['bakeries'] })).json().error.code).toBe('VALIDATION_FAILED');
    expect((await c.out!.post('/api/v1/crises', base)).statusCode).toBe(403);
    // The Colombian authority declares for Colombia, not for Spain alone.
    expect((await c.co!.post('/api/v1/crises', { ...base, countries: ['ES'] })).statusCode).toBe(403);
  });
  it('opens a room with the crisis contacts of the scope, alerts them (encrypted with a key on file) and hides it from outsiders', async () => {
    const r = await c.sec!.post('/api/v1/crises', { ...base, organisations: [org.inv] });
    expect(r.statusCode, r.body).toBe(201);
    const room = r.json();
    id = room.id;
    expect(room.level).toBe('serious');
    expect(room.myRole).toBe('coordinator');
    expect(room.nextSitrep.overdue).toBe(false);
    expect(new Date(room.nextSitrep.dueAt).getTime() - Date.now()).toBeGreaterThan(11.9 * 3600_000);
    const members = Object.fromEntries(room.roster.map((m: { person: { id: string }; role: string; source: string }) => [m.person.id, m]));
    expect(Object.keys(members).sort()).toEqual([person.sec!.id, person.co!.id, person.cl!.id].sort());
    expect(members[person.co!.id].source).toBe('crisis_management');
    expect(members[person.cl!.id].source).toBe('operational_24_7');
    expect(members[person.cl!.id].key.fingerprint).toBe(fingerprint);
    expect(room.organisations.map((o: { id: string }) => o.id)).toEqual([org.inv]);
    expect((await c.out!.get(`/api/v1/crises/${id}`)).statusCode).toBe(404);
    expect((await c.do!.get(`/api/v1/crises/${id}`)).statusCode).toBe(404);
    expect((await c.out!.get('/api/v1/crises')).json().items).toEqual([]);
    // The invited organisation's people read the room; the roster's people too.
    for (const k of ['co', 'cl', 'inv']) expect((await c[k]!.get(`/api/v1/crises/${id}`)).statusCode, k).toBe(200);
    const mails = await t.db.selectFrom('mail_outbox').select(['to_address', 'subject', 'text_body', 'purpose']).where('purpose', '=', 'crisis_alert').execute();
    expect(mails.map((m) => m.to_address).sort()).toEqual([person.co!.email, person.cl!.email].sort());
    const cl = mails.find((m) => m.to_address === person.cl!.email)!;
    expect(cl.subject).not.toContain(base.title);
    const decrypted = await openpgp.decrypt({ message: await openpgp.readMessage({ armoredMessage: cl.text_body! }), decryptionKeys: privateKey });
    expect(decrypted.data).toContain(base.title);
    expect(mails.find((m) => m.to_address === person.co!.email)!.subject).toContain(base.title);
    const alerts = (await c.co!.get('/api/v1/crises/alerts')).json().items;
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: 'declared', acknowledgedAt: null, crisis: { id } });
    const ack = await c.co!.post(`/api/v1/crises/alerts/${alerts[0].id}/ack`);
    expect(ack.statusCode).toBe(200);
    // Someone else's alert is not theirs to acknowledge.
    expect((await c.cl!.post(`/api/v1/crises/alerts/${alerts[0].id}/ack`)).statusCode).toBe(404);
    const after = (await c.sec!.get(`/api/v1/crises/${id}`)).json();
    expect(after.acknowledgements.find((a: { person: { id: string } }) => a.person.id === person.co!.id).acknowledgedAt).toBeTruthy();
    expect(after.acknowledgements.find((a: { person: { id: string } }) => a.person.id === person.cl!.id).acknowledgedAt).toBeNull();
  });
  it('a national crisis-management authority of a country in scope declares too, and its title goes through the translation queue', async () => {
    const r = await c.co!.post('/api/v1/crises', { ...base, title: 'Red eléctrica colombiana', language: 'es', countries: ['CO'], level: 'elevated' });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().myRole).toBe('coordinator');
    const cid = r.json().id;
    const queue = (await c.co!.get('/api/v1/translations/queue')).json().items;
    expect(queue.find((i: { id: string }) => i.id === cid)).toMatchObject({ kind: 'crisis', missing: ['en', 'pt', 'fr'] });
    // Not in the queue of who is not in the room, nor of a plain member of it.
    expect((await c.out!.get('/api/v1/translations/queue')).json().items.some((i: { id: string }) => i.id === cid)).toBe(false);
    expect((await c.out!.get(`/api/v1/translations/crisis/${cid}/xliff?target=en`)).statusCode).toBe(404);
    const xml = (await c.co!.get(`/api/v1/translations/crisis/${cid}/xliff?target=en`)).body;
    expect(xml).toContain('Red eléctrica colombiana');
    const translated = xml.replace('<source xml:space="preserve">Red eléctrica colombiana</source>', '<source xml:space="preserve">Red eléctrica colombiana</source><target xml:space="preserve">Colombian grid</target>');
    const put = await t.app.inject({ method: 'PUT', url: `/api/v1/translations/crisis/${cid}/xliff`, headers: { cookie: c.co!.cookie, 'x-csrf-token': c.co!.csrf, 'content-type': 'application/xliff+xml' }, payload: translated });
    expect(put.statusCode, put.body).toBe(200);
    expect((await c.co!.get(`/api/v1/crises/${cid}?lang=en`)).json()).toMatchObject({ title: 'Colombian grid', translation: { shown: 'en' } });
  });

  it('takes sitreps in several languages, marked to the room or narrower, with alerts to who they name', async () => {
    const r = await c.cl!.post(`/api/v1/crises/${id}/sitreps`, { ...sitrep, translations: { en: { summary: 'Ransomware hit two operators (en)', conditions: 'Two operators', actions: 'Isolation', needs: 'Forensics' } } });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ number: 1, tlp: 'AMBER', impactSeverity: 'red' });
    const en = await t.app.inject({ method: 'GET', url: `/api/v1/crises/${id}?lang=en`, headers: { cookie: c.co!.cookie } });
    expect(en.json().sitreps[0].summary).toBe('Ransomware hit two operators (en)');
    expect((await c.co!.get(`/api/v1/crises/${id}?lang=es`)).json().sitreps[0].summary).toBe('Ransomware hit two operators');
    // RED to the Colombian authority only.
    const red = await c.sec!.post(`/api/v1/crises/${id}/sitreps`, { ...sitrep, language: 'en', summary: 'Attribution hints', tlp: 'RED', audience: { people: [person.co!.id] } });
    expect(red.statusCode, red.body).toBe(201);
    expect((await c.co!.get(`/api/v1/crises/${id}`)).json().sitreps).toHaveLength(2);
    expect((await c.cl!.get(`/api/v1/crises/${id}`)).json().sitreps).toHaveLength(1);
    expect((await c.co!.get('/api/v1/crises/alerts?pending=true')).json().items.map((a: { kind: string }) => a.kind)).toEqual(['sitrep']);
    expect((await c.cl!.get('/api/v1/crises/alerts')).json().items.some((a: { kind: string }) => a.kind === 'sitrep')).toBe(false);
    // Room content never goes wider than the room; the vocabularies are checked.
    expect((await c.cl!.post(`/api/v1/crises/${id}/sitreps`, { ...sitrep, tlp: 'GREEN' })).json().error.code).toBe('INVALID_MARKING');
    expect((await c.cl!.post(`/api/v1/crises/${id}/sitreps`, { ...sitrep, outlook: 'sunny' })).json().error.code).toBe('VALIDATION_FAILED');
    expect((await c.out!.post(`/api/v1/crises/${id}/sitreps`, sitrep)).statusCode).toBe(404);
    // A reader of the room who is not on its roster reads, but does not report.
    expect((await c.inv!.post(`/api/v1/crises/${id}/sitreps`, sitrep)).statusCode).toBe(403);
  });

  it('exports the room as each reader may see it: a PDF under the strictest TLP included, and the sitreps as CSV', async () => {
    const get = (who: Client, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: who.cookie } });
    const co = await get(c.co!, `/api/v1/crises/${id}/report.pdf?lang=es`);
    expect(co.statusCode, co.body).toBe(200);
    expect(co.headers['content-type']).toBe('application/pdf');
    expect(co.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const cl = await get(c.cl!, `/api/v1/crises/${id}/report.pdf?lang=fr`);
    expect(cl.statusCode).toBe(200);
    if (pdftotext) {
      const coText = pdfText(co.rawPayload);
      expect(coText).toContain('TLP:RED'); // the RED sitrep addressed to the Colombian authority is in their copy
      expect(coText).toContain('Attribution hints');
      expect(coText).toContain('Informes de situación');
      const clText = pdfText(cl.rawPayload);
      expect(clText).toContain('TLP:AMBER');
      expect(clText).not.toContain('TLP:RED');
      expect(clText).not.toContain('Attribution hints');
      expect(clText).toContain('Rapports de situation');
      expect(clText).not.toContain('EXERCICE');
    }
    const csv = (who: Client) => get(who, `/api/v1/crises/${id}/sitreps.csv`);
    const rows = (r: { body: string }) => parseCsv(r.body.replace(/^\uFEFF/, '')).slice(1);
    expect((await csv(c.co!)).headers['content-type']).toContain('text/csv');
    expect(rows(await csv(c.co!)).map((r) => r.at(-1))).toEqual(['AMBER', 'RED']);
    expect(rows(await csv(c.cl!)).map((r) => [r[2], r.at(-1)])).toEqual([['1', 'AMBER']]);
    for (const path of ['report.pdf', 'sitreps.csv']) {
      expect((await get(c.out!, `/api/v1/crises/${id}/${path}`)).statusCode).toBe(404);
      expect((await t.app.inject({ method: 'GET', url: `/api/v1/crises/${id}/${path}` })).statusCode).toBe(404);
    }
  });

  it('finds people to add to the room, for its coordinators only', async () => {
    const found = await c.sec!.get(`/api/v1/crises/${id}/candidates`);
    expect(found.statusCode, found.body).toBe(200);
    const ids = found.json().items.map((x: { id: string }) => x.id);
    expect(ids).toContain(person.cl2!.id); // of a country in scope, not on the roster
    expect(ids).not.toContain(person.co!.id); // on the roster already
    expect(ids).not.toContain(person.out!.id); // neither in scope nor in the room
    expect(found.json().items[0]).not.toHaveProperty('email');
    expect((await c.sec!.get(`/api/v1/crises/${id}/candidates?q=${encodeURIComponent('%no such name%')}`)).json().items).toEqual([]);
    expect((await c.co!.get(`/api/v1/crises/${id}/candidates`)).statusCode).toBe(403);
    expect((await c.out!.get(`/api/v1/crises/${id}/candidates`)).statusCode).toBe(404);
  });

  it('a sitrep that fails midway leaves nothing behind', async () => {
    const p = platformOf(t.deps);
    const parts = (await loadPrincipalParts(t.db, person.cl!.id))!;
    const actor = { ...systemActor(null), principal: { ...parts, via: 'session' as const, scope: 'write' as const } };
    const before = await tableCounts(t.db);
    await expect(
      submitSitrep(p, actor, id, sitrep, {
        beforeCommit: async () => {
          throw new Error('killed midway');
        },
      }),
    ).rejects.toThrow('killed midway');
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('a request for assistance that fails midway leaves neither the request nor its link from the room', async () => {
    const p = platformOf(t.deps);
    const parts = (await loadPrincipalParts(t.db, person.cl!.id))!;
    const actor = { ...systemActor(null), principal: { ...parts, via: 'session' as const, scope: 'write' as const } };
    const before = await tableCounts(t.db);
    await expect(
      requestAssistance(p, actor, id, { title: 'Forensic team (never sent)', language: 'en' }, {
        beforeCommit: async () => {
          throw new Error('killed midway');
        },
      }),
    ).rejects.toThrow('killed midway');
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('changes level (alerts on a raise), logs decisions and actions, asks for assistance', async () => {
    expect((await c.sec!.post(`/api/v1/crises/${id}/level`, { level: 'severe' })).json().error.code).toBe('INVALID_CRISIS_LEVEL');
    expect((await c.cl!.post(`/api/v1/crises/${id}/level`, { level: 'crisis' })).statusCode).toBe(403);
    const up = await c.sec!.post(`/api/v1/crises/${id}/level`, { level: 'crisis', note: 'Third operator hit' });
    expect(up.statusCode, up.body).toBe(200);
    expect(up.json().levels.map((l: { level: string }) => l.level)).toEqual(['serious', 'crisis']);
    expect(new Date(up.json().nextSitrep.dueAt).getTime() - Date.now()).toBeLessThan(6.1 * 3600_000);
    expect((await c.cl!.get('/api/v1/crises/alerts')).json().items.some((a: { kind: string; level: string }) => a.kind === 'level_raised' && a.level === 'crisis')).toBe(true);
    const d = await c.sec!.post(`/api/v1/crises/${id}/decisions`, { text: 'Activate the bi-regional assistance mechanism' });
    expect(d.statusCode, d.body).toBe(200);
    expect((await c.cl!.post(`/api/v1/crises/${id}/decisions`, { text: 'x' })).statusCode).toBe(403);
    const a = await c.sec!.post(`/api/v1/crises/${id}/actions`, { text: 'Share IOCs over TAXII', ownerPersonId: person.cl!.id, dueAt: new Date(Date.now() + 86400_000).toISOString() });
    expect(a.statusCode, a.body).toBe(200);
    const actionId = a.json().actions[0].id;
    expect((await c.sec!.post(`/api/v1/crises/${id}/actions`, { text: 'x', ownerPersonId: person.out!.id })).statusCode).toBe(400);
    // The owner marks it done.
    expect((await c.cl!.post(`/api/v1/crises/${id}/actions/${actionId}`, { status: 'done' })).json().actions[0].status).toBe('done');
    const help = await c.cl!.post(`/api/v1/crises/${id}/assistance`, { title: 'Forensic team for OT', language: 'en' });
    expect(help.statusCode, help.body).toBe(200);
    const requestId = help.json().assistance[0].requestId;
    expect((await c.cl!.get(`/api/v1/requests/${requestId}`)).statusCode).toBe(200);
    expect(help.json().timeline.map((e: { kind: string }) => e.kind)).toEqual(expect.arrayContaining(['declared', 'level', 'sitrep', 'decision', 'action', 'assistance']));
  });

  it('reminds the coordinator when a sitrep is due, once per due time', async () => {
    await t.db.updateTable('crises').set({ next_sitrep_due: new Date(Date.now() - 60_000) }).where('id', '=', id).execute();
    const p = platformOf(t.deps);
    expect(await remindDueSitreps(p)).toBe(1);
    expect(await remindDueSitreps(p)).toBe(0);
    expect((await c.sec!.get('/api/v1/crises/alerts')).json().items[0]).toMatchObject({ kind: 'sitrep_due' });
    expect(await t.db.selectFrom('mail_outbox').select('to_address').where('purpose', '=', 'sitrep_due').execute()).toEqual([{ to_address: person.sec!.email }]);
    expect((await c.sec!.get(`/api/v1/crises/${id}`)).json().nextSitrep.overdue).toBe(true);
  });

  it('closes with an after-action report from what the whole room sees, and the lesson goes to the library as a draft', async () => {
    const closed = await c.sec!.post(`/api/v1/crises/${id}/close`, { note: 'Contained' });
    expect(closed.statusCode, closed.body).toBe(200);
    const aar = closed.json().afterAction;
    expect(aar.decisions).toHaveLength(1);
    expect(aar.sitreps.count).toBe(1); // the RED one stays out
    expect(aar.sitreps.languages.sort()).toEqual(['en', 'es']);
    const before = await tableCounts(t.db);
    const late = await c.cl!.post(`/api/v1/crises/${id}/sitreps`, sitrep);
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('CRISIS_CLOSED');
    expect((await c.sec!.post(`/api/v1/crises/${id}/level`, { level: 'normal' })).json().error.code).toBe('CRISIS_CLOSED');
    expect(await tableCounts(t.db)).toEqual(before);
    const lesson = await c.sec!.post(`/api/v1/crises/${id}/lesson`);
    expect(lesson.statusCode, lesson.body).toBe(200);
    const item = await c.sec!.get(`/api/v1/knowledge/${lesson.json().lessonId}`);
    expect(item.json()).toMatchObject({ type: 'lesson_learned', status: 'draft' });
    expect((await c.sec!.post(`/api/v1/crises/${id}/lesson`)).statusCode).toBe(409);
  });
});

describe('exercises', () => {
  it('keeps injects to the controller until released and takes an evaluation once over', async () => {
    const r = await c.sec!.post('/api/v1/crises', { ...base, title: 'Table-top CO-CL', exercise: true });
    expect(r.statusCode, r.body).toBe(201);
    const id = r.json().id;
    expect(r.json().exercise).toBe(true);
    expect((await t.db.selectFrom('mail_outbox').select('subject').where('purpose', '=', 'crisis_alert').where('to_address', '=', person.co!.email).orderBy('created_at', 'desc').executeTakeFirstOrThrow()).subject).toContain('[EXERCISE]');
    const inj = await c.sec!.post(`/api/v1/crises/${id}/injects`, { title: 'Inject 1: ransom note', body: 'The operator receives a note', plannedAt: new Date().toISOString() });
    expect(inj.statusCode, inj.body).toBe(200);
    const injectId = inj.json().injects[0].id;
    expect((await c.co!.get(`/api/v1/crises/${id}`)).json().injects).toEqual([]);
    expect((await c.co!.post(`/api/v1/crises/${id}/injects/${injectId}/release`)).statusCode).toBe(403);
    expect((await c.sec!.post(`/api/v1/crises/${id}/injects/${injectId}/release`)).statusCode).toBe(200);
    expect((await c.co!.get(`/api/v1/crises/${id}`)).json().injects.map((x: { title: string }) => x.title)).toEqual(['Inject 1: ransom note']);
    const evalBody = { objectives: 4, communication: 3, coordination: 5, strengths: 'Fast', improvements: 'Contacts' };
    expect((await c.co!.post(`/api/v1/crises/${id}/evaluation`, evalBody)).statusCode).toBe(409);
    expect((await c.sec!.post(`/api/v1/crises/${id}/close`, {})).statusCode).toBe(200);
    expect((await c.co!.post(`/api/v1/crises/${id}/evaluation`, evalBody)).statusCode).toBe(200);
    expect((await c.co!.post(`/api/v1/crises/${id}/evaluation`, evalBody)).statusCode).toBe(409);
    // Every page of an exercise's report says so, in the reader's language.
    if (pdftotext) {
      const pdf = await t.app.inject({ method: 'GET', url: `/api/v1/crises/${id}/report.pdf?lang=pt`, headers: { cookie: c.co!.cookie } });
      const pages = pdfText(pdf.rawPayload).split('\f').filter((x) => x.trim());
      expect(pages.length).toBeGreaterThan(0);
      for (const page of pages) expect(page).toContain('EXERCÍCIO');
    }
    const room = (await c.cl!.post(`/api/v1/crises/${id}/evaluation`, { ...evalBody, objectives: 2 })).json();
    expect(room.evaluations).toMatchObject({ count: 2, averages: { objectives: 3, communication: 3, coordination: 5 } });
    // The list labels exercises and filters on them; injects belong to exercises only.
    expect((await c.sec!.get('/api/v1/crises?exercise=true')).json().items.map((x: { id: string }) => x.id)).toEqual([id]);
    const real = (await c.co!.get('/api/v1/crises?exercise=false&status=open')).json().items;
    expect(real.map((x: { title: string }) => x.title)).toEqual(['Colombian grid']);
    expect((await c.co!.post(`/api/v1/crises/${real[0].id}/injects`, { title: 'x', plannedAt: new Date().toISOString() })).json().error.code).toBe('INVALID_STATE');
  });

  it('releases timed injects when their time comes, once, with the same effects as the controller', async () => {
    const r = await c.sec!.post('/api/v1/crises', { ...base, title: 'Ejercicio con tiempos', language: 'es', exercise: true });
    expect(r.statusCode, r.body).toBe(201);
    const id = r.json().id;
    const t0 = new Date('2031-03-01T09:00:00Z');
    const plan = (title: string, at: Date) => c.sec!.post(`/api/v1/crises/${id}/injects`, { title, body: 'Scenario', plannedAt: at.toISOString() });
    expect((await plan('09:30 ransom note', new Date(t0.getTime() + 30 * 60_000))).statusCode).toBe(200);
    expect((await plan('11:00 press call', new Date(t0.getTime() + 120 * 60_000))).statusCode).toBe(200);
    const p = platformOf(t.deps);
    const titles = async () => (await c.co!.get(`/api/v1/crises/${id}`)).json().injects.map((x: { title: string }) => x.title);
    // Before its time nothing moves; then only what is due, once, even when two instances run at once.
    expect(await releaseDueInjects(p, t0)).toBe(0);
    expect(await titles()).toEqual([]);
    const at = new Date(t0.getTime() + 31 * 60_000);
    expect((await Promise.all([releaseDueInjects(p, at), releaseDueInjects(p, at)])).reduce((a, b) => a + b, 0)).toBe(1);
    expect(await releaseDueInjects(p, at)).toBe(0);
    expect(await titles()).toEqual(['09:30 ransom note']);
    const room = (await c.co!.get(`/api/v1/crises/${id}`)).json();
    expect(room.injects[0].releasedAt).toBe(at.toISOString());
    expect(room.timeline.filter((e: { kind: string }) => e.kind === 'inject').map((e: { text: string }) => e.text)).toEqual(['09:30 ransom note']);
    const injectId = room.injects[0].id;
    // The alert, event and audit entry of a release by the clock are those of a release by hand.
    const alerts = await t.db.selectFrom('crisis_alerts').select(['person_id', 'kind']).where('crisis_id', '=', id).where('kind', '=', 'inject').execute();
    expect(alerts.map((a) => a.person_id)).toContain(person.co!.id);
    expect(alerts.map((a) => a.person_id)).not.toContain(person.sec!.id);
    expect((await c.co!.get('/api/v1/crises/alerts?pending=true')).json().items[0]).toMatchObject({ kind: 'inject', crisis: { id, exercise: true } });
    expect(await t.db.selectFrom('events').select('id').where('type', '=', 'crisis.inject_released').where('subject_id', '=', id).execute()).toHaveLength(1);
    const audit = await t.db.selectFrom('audit_log').select(['actor_id', 'details']).where('action', '=', 'crisis.inject_released').where('target_id', '=', id).execute();
    expect(audit).toEqual([{ actor_id: null, details: expect.objectContaining({ inject: injectId, by: 'schedule' }) }]);
    // The controller may not release it again; the later one waits for its time; a closed room releases nothing.
    expect((await c.sec!.post(`/api/v1/crises/${id}/injects/${injectId}/release`)).json().error.code).toBe('INVALID_STATE');
    expect((await c.sec!.post(`/api/v1/crises/${id}/close`, {})).statusCode).toBe(200);
    expect(await releaseDueInjects(p, new Date(t0.getTime() + 200 * 60_000))).toBe(0);
    expect(await titles()).toEqual(['09:30 ransom note']);
    // The lesson learned is drafted with the headings in the language the room was written in.
    const lesson = await c.sec!.post(`/api/v1/crises/${id}/lesson`);
    expect(lesson.statusCode, lesson.body).toBe(200);
    const item = (await c.sec!.get(`/api/v1/knowledge/${lesson.json().lessonId}`)).json();
    expect(item.title).toBe('EJERCICIO — Lecciones de: Ejercicio con tiempos');
    expect(item.body).toContain('## Cronología');
    expect(item.body).toContain('## Informes de situación');
    expect(item.body).not.toContain('## Timeline');
  });
});
