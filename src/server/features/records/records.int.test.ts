import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../../platform/auth/sessions.js';
import { newId } from '../../platform/ids.js';
import { sendCommitmentReminders } from './reminders.js';
import { clientFor, createTestApp, login, makeOrganisation, makePerson, testPasswordHash, type Client, type TestApp } from '../../test/harness.js';
import { fitTo, insertSociety, markArb, societyArb, tlpOracle, type Mark, type Society } from '../../test/worlds.js';

const seed = fs.readFileSync(path.join(path.dirname(new URL(import.meta.url).pathname), 'data/santo-domingo-2024.md'), 'utf8');

let t: TestApp;
let member: Client;
let colleague: Client;
let outsider: Client;
let secretariat: Client;
let orgA: string;
let orgB: string;
let orgS: string;
beforeAll(async () => {
  t = await createTestApp();
  orgA = await makeOrganisation(t.db, { country: 'DO' });
  orgB = await makeOrganisation(t.db, { country: 'ES' });
  orgS = await makeOrganisation(t.db, { country: 'BE' });
  const [m, c, o, s] = [await makePerson(t.db, orgA), await makePerson(t.db, orgA), await makePerson(t.db, orgB), await makePerson(t.db, orgS, { roles: ['member', 'secretariat'] })];
  [member, colleague, outsider, secretariat] = await Promise.all([m, c, o, s].map((x) => login(t.app, x.email)));
});
afterAll(async () => t?.close());

const anonymous = (url: string) => t.app.inject({ method: 'GET', url });
const importAs = (c: Client, body: string | Buffer, query = '', type = 'text/markdown') =>
  t.app.inject({ method: 'POST', url: `/api/v1/records/import${query}`, headers: { cookie: c.cookie, 'x-csrf-token': c.csrf, 'content-type': type }, payload: body });
const count = async () => Number((await t.db.selectFrom('activity_records').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

describe('activity records', () => {
  it('imports the Santo Domingo record as a draft of the organisation, gives it back byte for byte, and publishes it through the secretariat', async () => {
    const res = await importAs(member, seed);
    expect(res.statusCode, res.body).toBe(201);
    const r = res.json() as { id: string; status: string; tlp: string; can: { propose: boolean } };
    expect(r).toMatchObject({ status: 'draft', tlp: 'CLEAR', can: { propose: true } });
    const md = await member.get(`/api/v1/records/${r.id}/markdown`);
    // The portal's address: date and title.
    const slug = (r as unknown as { slug: string }).slug;
    expect(slug).toBe(`2024-02-14-eu-lac-digital-alliance-enhances-cybersecurity-cooperation-${r.id.replace(/-/g, '').slice(-8)}`);
    expect((await member.get(`/api/v1/records/${slug}`)).json()).toMatchObject({ id: r.id });
    expect(md.headers['content-type']).toMatch(/^text\/markdown/);
    expect(Buffer.from(md.body)).toEqual(Buffer.from(seed));
    // A draft: its organisation only — not the public, not another organisation, not the secretariat.
    expect((await anonymous(`/api/v1/records/${r.id}`)).statusCode).toBe(404);
    expect((await outsider.get(`/api/v1/records/${r.id}`)).statusCode).toBe(404);
    expect((await secretariat.get(`/api/v1/records/${r.id}`)).statusCode).toBe(404);
    expect((await colleague.get(`/api/v1/records/${r.id}`)).statusCode).toBe(200);
    // Only the author or an admin proposes; the secretariat cannot publish a draft it cannot see.
    expect((await colleague.post(`/api/v1/records/${r.id}/propose`)).statusCode).toBe(403);
    expect((await secretariat.post(`/api/v1/records/${r.id}/publish`)).statusCode).toBe(404);
    expect((await member.post(`/api/v1/records/${r.id}/propose`)).json()).toMatchObject({ status: 'proposed' });
    expect((await member.post(`/api/v1/records/${r.id}/propose`)).json()).toMatchObject({ error: { code: 'INVALID_STATE' } });
    expect((await outsider.get(`/api/v1/records/${r.id}`)).statusCode).toBe(404);
    expect((await member.post(`/api/v1/records/${r.id}/publish`)).statusCode).toBe(403);
    expect((await secretariat.post(`/api/v1/records/${r.id}/publish`)).json()).toMatchObject({ status: 'published' });
    // Published and CLEAR: anyone reads it, in the seed's own bytes.
    const pub = await anonymous(`/api/v1/records/${r.id}/markdown`);
    expect(pub.statusCode).toBe(200);
    expect(Buffer.from(pub.body)).toEqual(Buffer.from(seed));
    const list = (await anonymous('/api/v1/records?q=santo%20domingo')).json() as { items: { id: string; actors: unknown[] }[] };
    expect(list.items.map((i) => i.id)).toContain(r.id);
    // The audit log carries identifiers, not the record's text.
    const audit = await secretariat.get('/api/v1/audit?action=record.');
    expect(audit.body).not.toContain('Santo Domingo');
    expect((audit.json() as { items: { action: string }[] }).items.map((i) => i.action)).toEqual(expect.arrayContaining(['record.imported', 'record.proposed', 'record.published']));
  });

  it('keeps a proposed AMBER record from the secretariat when it is not in the audience, and lets it return one it may see', async () => {
    const amber = await importAs(member, seed.replace('# EU-LAC', '# AMBER EU-LAC'), `?tlp=AMBER&organisations=${orgA}`);
    expect(amber.statusCode, amber.body).toBe(201);
    const id = amber.json().id as string;
    await member.post(`/api/v1/records/${id}/propose`);
    expect((await secretariat.get(`/api/v1/records/${id}`)).statusCode).toBe(404);
    expect((await secretariat.get('/api/v1/records?status=proposed')).body).not.toContain(id);
    const green = (await importAs(member, seed, '?tlp=GREEN')).json().id as string;
    const proposed = await member.post(`/api/v1/records/${green}/propose`);
    expect(proposed.json(), proposed.body).toMatchObject({ status: 'proposed' });
    const seenBySecretariat = await secretariat.get(`/api/v1/records/${green}`);
    expect(seenBySecretariat.statusCode, seenBySecretariat.body).toBe(200);
    expect((await secretariat.post(`/api/v1/records/${green}/return`)).json()).toMatchObject({ status: 'draft' });
    expect((await secretariat.get(`/api/v1/records/${green}`)).statusCode).toBe(404);
  });

  it('refuses a text not in the record format whole, with its line, and anything that is not UTF-8 Markdown of a sane size', async () => {
    const before = await count();
    const bad = await importAs(member, seed.replace('**Date**: 2024-02-14', '**Date**: 14 Feb 2024'));
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'IMPORT_INVALID', details: { errors: [{ line: 3, message: 'the date must be a date such as 2024-02-14, not "14 Feb 2024"' }] } } });
    expect((await importAs(member, '<script>alert(1)</script>')).json()).toMatchObject({ error: { code: 'IMPORT_INVALID', details: { errors: [{ line: 1 }] } } });
    expect((await importAs(member, seed, '', 'application/json')).statusCode).toBe(415);
    expect((await importAs(member, Buffer.from([0x23, 0x20, 0xff, 0xfe]))).json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    expect((await importAs(member, 'x'.repeat(300 * 1024))).statusCode).toBe(413);
    expect((await importAs(member, seed, '?tlp=AMBER&organisations=00000000-0000-4000-8000-000000000000')).json()).toMatchObject({ error: { code: 'INVALID_MARKING' } });
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/records/import', headers: { 'content-type': 'text/markdown' }, payload: seed })).statusCode).toBe(401);
    expect(await count()).toBe(before);
  });

  it('pages with a cursor and refuses one it did not give', async () => {
    for (const d of ['2023-01-01', '2023-01-02', '2023-01-03']) {
      const id = (await importAs(member, seed.replace('2024-02-14', d))).json().id;
      await member.post(`/api/v1/records/${id}/propose`);
      await secretariat.post(`/api/v1/records/${id}/publish`);
    }
    const first = (await anonymous('/api/v1/records?limit=2')).json() as { items: { date: string }[]; nextCursor: string };
    const second = (await anonymous(`/api/v1/records?limit=2&cursor=${first.nextCursor}`)).json() as { items: { date: string }[] };
    const dates = [...first.items, ...second.items].map((i) => i.date);
    expect(dates).toEqual([...dates].sort().reverse());
    expect(new Set(dates).size).toBe(dates.length);
    expect((await anonymous('/api/v1/records?cursor=nonsense')).json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
  });
});

describe('the commitments tracker', () => {
  it('lists the commitments of visible records with filters and a roll-up over exactly those', async () => {
    const withCommitments = seed.replace(
      'No specific quantifiable commitments or targets identified.',
      [
        '- Hold a regional table-top exercise',
        '  - Owners: Ministerio de Relaciones Exteriores; CSIRT-DO',
        '  - Countries: DO; ES',
        '  - Due: 2020-06-30',
        '  - Status: in progress',
        '  - Progress: 40%',
        '',
        '- Publish a joint guide',
        '  - Owners: EU CyberNet',
        '  - Due: 2099-01-31',
        '  - Status: planned',
        '  - Progress: 0%',
        '  - Milestones: Outline agreed (due 2098-06-30, done); First draft',
        '',
        '- An idea set aside',
        '  - Status: dropped',
        '  - Progress: 10%',
      ].join('\n'),
    );
    const res = await importAs(member, withCommitments.replace('# EU-LAC', '# Tracker EU-LAC'));
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id as string;
    // A draft: its commitments are its organisation's only.
    expect((await anonymous(`/api/v1/commitments?record=${id}`)).json()).toMatchObject({ items: [], summary: { count: 0, progress: null } });
    const own = (await colleague.get(`/api/v1/commitments?record=${id}`)).json() as { items: { text: string; overdue: boolean; milestones: unknown[] }[]; summary: { count: number; progress: number; overdue: number; byStatus: Record<string, number> } };
    expect(own.items.map((c) => c.text)).toEqual(['Hold a regional table-top exercise', 'Publish a joint guide', 'An idea set aside']);
    expect(own.summary).toEqual({ count: 3, byStatus: { planned: 1, 'in progress': 1, done: 0, delayed: 0, dropped: 1 }, overdue: 1, progress: 20 });
    expect(own.items[1]!.milestones).toEqual([{ title: 'Outline agreed', due: '2098-06-30', done: true }, { title: 'First draft', done: false }]);
    expect(((await colleague.get(`/api/v1/commitments?record=${id}&country=ES`)).json() as { items: unknown[] }).items).toHaveLength(1);
    expect(((await colleague.get(`/api/v1/commitments?record=${id}&owner=cybernet`)).json() as { items: unknown[] }).items).toHaveLength(1);
    expect(((await colleague.get(`/api/v1/commitments?record=${id}&dueBefore=2030-01-01`)).json() as { items: unknown[] }).items).toHaveLength(1);
    expect(((await colleague.get(`/api/v1/commitments?record=${id}&status=planned`)).json() as { items: unknown[] }).items).toHaveLength(1);
    expect((await colleague.get('/api/v1/commitments?country=es')).statusCode).toBe(400);
    // Published: anyone follows them.
    await member.post(`/api/v1/records/${id}/propose`);
    await secretariat.post(`/api/v1/records/${id}/publish`);
    expect(((await anonymous(`/api/v1/commitments?record=${id}`)).json() as { summary: { count: number } }).summary.count).toBe(3);
  });
});

describe('following commitments up', () => {
  const commitmentsMd = (due1: string, due2: string) =>
    seed.replace(
      'No specific quantifiable commitments or targets identified.',
      [
        '- Train fifty officials in incident coordination',
        '  - Owners: CSIRT-FU; A body that is not a member',
        `  - Due: ${due1}`,
        '  - Status: in progress',
        '  - Progress: 20%',
        '',
        '- Publish the bi-regional exercise report',
        '  - Owners: CSIRT-FU',
        `  - Due: ${due2}`,
        '  - Status: planned',
        '  - Progress: 0%',
      ].join('\n'),
    );
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

  it('links owners to member organisations, lets the right people record progress with a history, weighs the roll-up, and tags records with concepts', async () => {
    const ownerOrg = await makeOrganisation(t.db, { country: 'CL', name: 'Centro de Seguimiento Fundación' });
    await t.db.updateTable('organisations').set({ acronym: 'CSIRT-FU' }).where('id', '=', ownerOrg).execute();
    const ownerAdmin = await login(t.app, (await makePerson(t.db, ownerOrg, { roles: ['member', 'org_admin'] })).email);
    const ownerMember = await login(t.app, (await makePerson(t.db, ownerOrg)).email);
    const res = await importAs(member, commitmentsMd(day(7), day(-3)).replace('# EU-LAC', '# Follow-up EU-LAC'), '?tlp=GREEN');
    const id = res.json().id as string;
    type Tracked = { id: string; text: string; ownerOrganisations: { id: string }[]; can: { update: boolean }; status: string; progress: number };
    const items = async (c: Client) => ((await c.get(`/api/v1/commitments?record=${id}`)).json() as { items: Tracked[]; summary: { progress: number } });
    // Soonest due first: the report (past due), then the training.
    const first = (await items(member)).items.find((c) => c.text.startsWith('Train'))!;
    expect(first.ownerOrganisations.map((o) => o.id)).toEqual([ownerOrg]);
    // Not published yet: nobody follows it up.
    expect(first.can.update).toBe(false);
    expect((await member.patch(`/api/v1/commitments/${first.id}`, { progress: 30 })).json()).toMatchObject({ error: { code: 'INVALID_STATE' } });
    await member.post(`/api/v1/records/${id}/propose`);
    await secretariat.post(`/api/v1/records/${id}/publish`);
    expect((await items(member)).items.map((c) => c.can.update)).toEqual([true, true]);
    expect((await items(ownerAdmin)).items.map((c) => c.can.update)).toEqual([true, true]);
    expect((await items(ownerMember)).items.map((c) => c.can.update)).toEqual([false, false]);
    expect((await items(outsider)).items.map((c) => c.can.update)).toEqual([false, false]);
    expect((await outsider.patch(`/api/v1/commitments/${first.id}`, { progress: 90 })).statusCode).toBe(403);
    expect((await ownerAdmin.patch(`/api/v1/commitments/${first.id}`, { progress: 60, note: 'Two courses held' })).json()).toMatchObject({ progress: 60, status: 'in progress' });
    expect((await ownerAdmin.patch(`/api/v1/commitments/${first.id}`, { evidence: ['javascript:alert(1)'] })).json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    const done = (await member.patch(`/api/v1/commitments/${first.id}`, { status: 'done', weight: 3, evidence: ['https://example.org/report.pdf'] })).json() as Tracked;
    expect(done).toMatchObject({ status: 'done', progress: 100 });
    // Weighted: (100 × 3 + 0 × 1) / 4.
    expect((await items(outsider)).summary.progress).toBe(75);
    const history = (await outsider.get(`/api/v1/commitments/${first.id}/history`)).json() as { items: { progress: number; note: string; by: string | null }[] };
    expect(history.items.map((h) => [h.progress, h.note])).toEqual([[60, 'Two courses held'], [100, '']]);
    expect(history.items[0]!.by).not.toBeNull();
    // GREEN: the public sees neither the commitment nor its history.
    expect((await anonymous(`/api/v1/commitments/${first.id}/history`)).statusCode).toBe(404);
    // Concepts beside the text: checked, and a filter of the tracker.
    expect((await member.put(`/api/v1/records/${id}/concepts`, { concepts: ['takeaways/99'] })).json()).toMatchObject({ error: { code: 'UNKNOWN_CONCEPT' } });
    expect((await outsider.put(`/api/v1/records/${id}/concepts`, { concepts: ['takeaways/7d'] })).statusCode).toBe(403);
    expect((await member.put(`/api/v1/records/${id}/concepts`, { concepts: ['takeaways/7d', 'takeaways/11c'] })).json()).toMatchObject({ concepts: ['takeaways/7d', 'takeaways/11c'] });
    expect(((await anonymous('/api/v1/commitments?concept=takeaways/11c')).json() as { items: { record: { id: string } }[] }).items.every((c) => c.record.id === id)).toBe(true);
    // The Markdown still says what was imported, updated: status and progress as now.
    expect((await member.get(`/api/v1/records/${id}/markdown`)).body).toContain('Status: done');
  });

  it('reminds the owners who may read the record, before the due date and once it has passed, each once', async () => {
    const ownerOrg = await makeOrganisation(t.db, { country: 'CL', name: 'Owner Organisation For Reminders' });
    const ownerAdmin = await makePerson(t.db, ownerOrg, { roles: ['member', 'org_admin'] });
    const open = seed.replace(
      'No specific quantifiable commitments or targets identified.',
      ['- Soon due', '  - Owners: Owner Organisation For Reminders', `  - Due: ${day(5)}`, '  - Status: planned', '  - Progress: 0%', '', '- Past due', '  - Owners: Owner Organisation For Reminders', `  - Due: ${day(-2)}`, '  - Status: in progress', '  - Progress: 50%', '', '- Far off', '  - Owners: Owner Organisation For Reminders', `  - Due: ${day(90)}`, '  - Status: planned', '  - Progress: 0%'].join('\n'),
    );
    const green = (await importAs(member, open.replace('# EU-LAC', '# Reminders GREEN'), '?tlp=GREEN')).json().id as string;
    // AMBER for the author's organisation only: the owner may not read it, so is never told of it.
    const amber = (await importAs(member, open.replace('# EU-LAC', '# Reminders AMBER').replace(/Soon due|Past due|Far off/g, (m) => `Hidden ${m}`), `?tlp=AMBER&organisations=${orgA}`)).json().id as string;
    for (const r of [green, amber]) {
      await member.post(`/api/v1/records/${r}/propose`);
      await secretariat.post(`/api/v1/records/${r}/publish`);
    }
    const deps = { db: t.db, mailer: t.deps.mailer, baseUrl: 'http://puente.test' };
    await sendCommitmentReminders(deps);
    const toOwner = await t.db.selectFrom('mail_outbox').select(['purpose', 'subject', 'text_body']).where('to_address', '=', ownerAdmin.email).execute();
    expect(toOwner.map((m) => m.purpose).sort()).toEqual(['commitment_due', 'commitment_overdue']);
    expect(toOwner.map((m) => m.subject).join(' ')).toMatch(/Soon due/);
    expect(JSON.stringify(toOwner)).not.toContain('Hidden');
    expect(JSON.stringify(toOwner)).not.toContain('Far off');
    // Each once.
    expect(await sendCommitmentReminders(deps)).toBe(0);
  });
});

interface WrittenRecord {
  id: string;
  slug: string;
  status: string;
  title: string;
  language: string;
  can: { edit: boolean; propose: boolean; tag: boolean };
  actorOrganisations: Record<string, { id: string; name: string }>;
  practices: { id: string; slug: string; title: string; type: string }[];
  commitments: { text: string }[];
}
/** The fields of the record format in an answer (what export and import carry). */
const docOf = (r: Record<string, unknown>) => {
  const { title, date, endDate, location, summary, characteristics, actors, themes, applications, commitments } = r;
  return { title, date, endDate, location, summary, characteristics, actors, themes, applications, commitments };
};
const writtenDoc = () => ({
  title: 'Bi-regional <script>alert(1)</script> workshop on CSIRT cooperation',
  date: '2025-03-10',
  endDate: '2025-03-12',
  location: 'Panamá City, Panama',
  summary: 'The workshop brought together national CSIRTs from both regions.\n\nIt agreed on a shared <b>exercise</b> calendar.',
  characteristics: ['Three days of technical sessions', 'Held in Spanish and English'],
  actors: [
    { category: 'National CSIRTs', actors: ['CSIRT Panamá', 'CERT.br'] },
    { category: 'Regional | bodies', actors: ['OAS \\ CICTE'] },
  ],
  themes: [{ category: 'Incident response', subcategory: 'Joint exercises' }],
  applications: ['A shared exercise calendar for 2025'],
  commitments: [
    {
      text: 'Run a joint table-top exercise',
      owners: ['CSIRT Panamá'],
      countries: ['PA', 'ES'],
      due: '2025-11-30',
      status: 'planned',
      progress: 0,
      milestones: [{ title: 'Scenario written', due: '2025-06-30', done: true }, { title: 'Invitations sent', done: false }],
      evidence: ['https://example.org/calendar'],
    },
    { text: 'Share contact lists', owners: [], countries: [], status: 'in progress', progress: 30, milestones: [], evidence: [] },
  ],
});

describe('writing records in the app', () => {
  it('writes a record as a draft of the organisation, exports it in the record format, and the export imports as the same record', async () => {
    const res = await member.post('/api/v1/records', { ...writtenDoc(), language: 'es', tlp: 'CLEAR' });
    expect(res.statusCode, res.body).toBe(201);
    const r = res.json() as WrittenRecord & Record<string, unknown>;
    expect(r).toMatchObject({ status: 'draft', language: 'es', can: { edit: true, propose: true, tag: true }, practices: [] });
    // Script is text: kept as written, in the answer and in the Markdown.
    expect(r.title).toBe(writtenDoc().title);
    expect(docOf(r)).toEqual(docOf(writtenDoc()));
    const md = (await member.get(`/api/v1/records/${r.id}/markdown`)).body;
    expect(md.startsWith('# Bi-regional <script>alert(1)</script> workshop')).toBe(true);
    expect(md).toContain('| Regional \\| bodies | OAS \\\\ CICTE |');
    const again = await importAs(member, md);
    expect(again.statusCode, again.body).toBe(201);
    expect(docOf(again.json())).toEqual(docOf(r));
    expect((await member.get(`/api/v1/records/${again.json().id}/markdown`)).body).toBe(md);
    // The seed itself, written in the app field by field, exports byte for byte.
    const seedDoc = docOf((await importAs(member, seed)).json());
    const written = await member.post('/api/v1/records', { ...JSON.parse(JSON.stringify(seedDoc)), tlp: 'CLEAR' });
    expect(written.statusCode, written.body).toBe(201);
    expect(Buffer.from((await member.get(`/api/v1/records/${written.json().id}/markdown`)).body)).toEqual(Buffer.from(seed));
    const audit = (await secretariat.get('/api/v1/audit?action=record.created')).json() as { items: { targetId: string; details: unknown }[] };
    expect(audit.items.map((i) => i.targetId)).toContain(r.id);
    expect(JSON.stringify(audit.items)).not.toContain('workshop');
  });

  it('refuses bad input whole, naming the field, and writes nothing', async () => {
    const before = await count();
    const commitmentsBefore = Number((await t.db.selectFrom('record_commitments').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
    const post = (patch: Record<string, unknown>) => member.post('/api/v1/records', { ...writtenDoc(), tlp: 'CLEAR', ...patch });
    const field = async (patch: Record<string, unknown>) => {
      const res = await post(patch);
      expect(res.statusCode, res.body).toBe(400);
      const e = (res.json() as { error: { code: string; details: { field?: string; errors?: { path: string }[] } } }).error;
      expect(e.code).toBe('VALIDATION_FAILED');
      return e.details.field ?? e.details.errors?.[0]?.path;
    };
    const c0 = writtenDoc().commitments[0]!;
    // Too long, too many: the schema's limits (docs/records.md).
    expect(await field({ title: 'x'.repeat(301) })).toBe('/title');
    expect(await field({ characteristics: Array.from({ length: 51 }, (_, i) => `c${i}`) })).toBe('/characteristics');
    expect(await field({ commitments: [{ ...c0, text: 'y'.repeat(1001) }] })).toBe('/commitments/0/text');
    // Dates that are not dates, an end before the start.
    expect(await field({ date: '2025-02-30' })).toBe('/date');
    expect(await field({ date: '10/03/2025' })).toBe('/date');
    expect(await field({ endDate: '2025-03-01' })).toBe('endDate');
    expect(await field({ commitments: [{ ...c0, milestones: [{ title: 'x', due: '2025-13-01', done: false }] }] })).toBe('/commitments/0/milestones/0/due');
    // What the record format cannot hold, named by the field.
    expect(await field({ commitments: [{ ...c0, text: '' }] })).toBe('commitments.0.text');
    expect(await field({ commitments: [c0, { ...c0, text: '   ' }] })).toBe('commitments.1.text');
    expect(await field({ title: 'Two\nlines' })).toBe('title');
    expect(await field({ location: 'Panamá ' })).toBe('location');
    expect(await field({ summary: 'Intro\n## Not a heading' })).toBe('summary');
    expect(await field({ actors: [{ category: 'CSIRTs', actors: ['A', 'B; C'] }] })).toBe('actors.0.actors.1');
    expect(await field({ actors: [{ category: 'CSIRTs', actors: [] }] })).toBe('actors.0.actors');
    expect(await field({ commitments: [{ ...c0, evidence: ['javascript:alert(1)'] }] })).toBe('commitments.0.evidence.0');
    // Written and read back differently: a milestone whose title reads as its state.
    expect(await field({ commitments: [{ ...c0, milestones: [{ title: 'Draft (done)', done: false }] }] })).toBe('commitments.0.milestones.0.title');
    expect((await post({ colour: 'blue' })).json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: { errors: [{ params: { additionalProperty: 'colour' } }] } } });
    // Larger than the import takes: its export would not import again.
    const big = await post({ actors: Array.from({ length: 30 }, (_, i) => ({ category: `c${i}`, actors: Array.from({ length: 60 }, (_, k) => `${'a'.repeat(290)}${k}`) })) });
    expect(big.statusCode).toBe(413);
    expect((await post({ tlp: 'AMBER', audience: { organisations: ['00000000-0000-4000-8000-000000000000'] } })).json()).toMatchObject({ error: { code: 'INVALID_MARKING' } });
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/records', payload: { ...writtenDoc(), tlp: 'CLEAR' } })).statusCode).toBe(401);
    expect(await count()).toBe(before);
    expect(Number((await t.db.selectFrom('record_commitments').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n)).toBe(commitmentsBefore);
  });

  it('lets the author and their organisation admins rewrite a draft or proposed record, never a published one', async () => {
    const admin = await login(t.app, (await makePerson(t.db, orgA, { roles: ['member', 'org_admin'] })).email);
    const r = (await member.post('/api/v1/records', { ...writtenDoc(), tlp: 'GREEN' })).json() as WrittenRecord;
    const put = (c: Client, patch: Record<string, unknown> = {}) => c.put(`/api/v1/records/${r.id}`, { ...writtenDoc(), ...patch });
    // Not theirs: a colleague who is neither author nor admin, an organisation that does not see the draft.
    expect((await put(colleague)).statusCode).toBe(403);
    expect((await put(outsider)).statusCode).toBe(404);
    const edited = await put(member, { title: 'A rewritten workshop', commitments: [{ text: 'Only this one', owners: [], countries: [], status: 'planned', progress: 0, milestones: [], evidence: [] }] });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ id: r.id, title: 'A rewritten workshop', status: 'draft', tlp: 'GREEN', commitments: [{ text: 'Only this one' }] });
    // The portal address follows the title while the record is not published.
    expect((edited.json() as WrittenRecord).slug).toMatch(/^2025-03-10-a-rewritten-workshop-/);
    expect(((await member.get(`/api/v1/commitments?record=${r.id}`)).json() as { items: { text: string }[] }).items.map((c) => c.text)).toEqual(['Only this one']);
    expect((await put(member, { title: 'Bad\ntitle' })).statusCode).toBe(400);
    expect(((await member.get(`/api/v1/records/${r.id}`)).json() as WrittenRecord).title).toBe('A rewritten workshop');
    // Proposed: a rewrite sends it back to draft, out of the secretariat's sight.
    await member.post(`/api/v1/records/${r.id}/propose`);
    expect((await secretariat.get(`/api/v1/records/${r.id}`)).json()).toMatchObject({ status: 'proposed', can: { edit: false } });
    expect((await put(secretariat)).statusCode).toBe(403);
    expect((await put(admin, { tlp: 'AMBER', audience: { organisations: [orgA] } })).json()).toMatchObject({ status: 'draft', tlp: 'AMBER', audience: { organisations: [orgA] } });
    expect((await secretariat.get(`/api/v1/records/${r.id}`)).statusCode).toBe(404);
    // Published: its text is what the alliance published.
    await put(member, { tlp: 'GREEN' });
    await member.post(`/api/v1/records/${r.id}/propose`);
    await secretariat.post(`/api/v1/records/${r.id}/publish`);
    const late = await put(member);
    expect(late.json()).toMatchObject({ error: { code: 'INVALID_STATE' } });
    expect((await member.get(`/api/v1/records/${r.id}`)).json()).toMatchObject({ status: 'published', title: 'Bi-regional <script>alert(1)</script> workshop on CSIRT cooperation', can: { edit: false } });
    const audit = (await secretariat.get(`/api/v1/audit?action=record.updated`)).json() as { items: { targetId: string }[] };
    expect(audit.items.filter((i) => i.targetId === r.id).length).toBe(3);
  });

  it('links actors that name one approved member organisation to it, and leaves the others as text', async () => {
    const agency = await makeOrganisation(t.db, { country: 'PA', name: 'Autoridad Nacional de Innovación Gubernamental' });
    await t.db.updateTable('organisations').set({ acronym: 'AIG-T' }).where('id', '=', agency).execute();
    for (const _ of [0, 1]) await t.db.updateTable('organisations').set({ acronym: 'TWIN' }).where('id', '=', await makeOrganisation(t.db, { country: 'ES' })).execute();
    await makeOrganisation(t.db, { country: 'CL', name: 'Not Yet Approved Agency', status: 'requested' });
    const doc = { ...writtenDoc(), actors: [{ category: 'Agencies', actors: ['AIG-T', 'autoridad nacional de innovacion  gubernamental', 'TWIN', 'Not Yet Approved Agency', 'Someone else', '__proto__', 'constructor'] }] };
    const r = (await member.post('/api/v1/records', { ...doc, tlp: 'CLEAR' })).json() as WrittenRecord;
    const name = 'Autoridad Nacional de Innovación Gubernamental';
    expect(r.actorOrganisations).toEqual({ 'AIG-T': { id: agency, name }, 'autoridad nacional de innovacion  gubernamental': { id: agency, name } });
    await member.post(`/api/v1/records/${r.id}/propose`);
    await secretariat.post(`/api/v1/records/${r.id}/publish`);
    expect(((await anonymous(`/api/v1/records/${r.id}`)).json() as WrittenRecord).actorOrganisations).toEqual(r.actorOrganisations);
    // The list gives the same links.
    const listed = ((await anonymous(`/api/v1/records?q=${encodeURIComponent('Panamá City')}&limit=200`)).json() as { items: WrittenRecord[] }).items.find((i) => i.id === r.id)!;
    expect(listed.actorOrganisations).toEqual(r.actorOrganisations);
  });

  it('links good practices the writer may see, and never lists, counts or hints at one the reader may not', async () => {
    const practice = async (title: string, tlp: string, status: string, audience: string[] = []) => {
      const id = newId();
      const author = (await t.db.selectFrom('people').select('id').where('organisation_id', '=', orgB).executeTakeFirstOrThrow()).id;
      await t.db
        .insertInto('knowledge_items')
        .values({ id, slug: `practice-${id.slice(-12)}`, type: 'good_practice', title, language: 'en', status, tlp, pap: 'GREEN', author_id: author, author_org_id: orgB, audience_organisations: audience })
        .execute();
      return id;
    };
    const open = await practice('An open practice', 'CLEAR', 'published');
    const amber = await practice('Zanzibar amber practice', 'AMBER', 'published', [orgB, orgS]);
    const draft = await practice('A draft practice elsewhere', 'GREEN', 'draft');
    const r = (await member.post('/api/v1/records', { ...writtenDoc(), title: 'Practices record', tlp: 'CLEAR' })).json() as WrittenRecord;
    const setAs = (c: Client, practices: string[]) => c.put(`/api/v1/records/${r.id}/practices`, { practices });
    expect((await setAs(member, [open])).json()).toMatchObject({ practices: [{ id: open, title: 'An open practice', type: 'good_practice' }] });
    // Items the writer may not see are refused whole, as unknown ones are.
    for (const bad of [[open, amber], [draft], [newId()]]) {
      const res = await setAs(member, bad);
      expect(res.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: { field: 'practices' } } });
    }
    expect((await setAs(member, Array.from({ length: 31 }, () => newId()))).statusCode).toBe(400);
    expect((await setAs(outsider, [open])).statusCode).toBe(404);
    await member.post(`/api/v1/records/${r.id}/propose`);
    expect((await setAs(colleague, [open])).statusCode).toBe(403);
    // The secretariat, which may read the AMBER practice, links it once the record is proposed.
    expect(((await setAs(secretariat, [open, amber])).json() as WrittenRecord).practices.map((x) => x.id)).toEqual([open, amber]);
    await secretariat.post(`/api/v1/records/${r.id}/publish`);
    const seenBy = async (c: Client | null) => {
      const res = c ? await c.get(`/api/v1/records/${r.id}`) : await anonymous(`/api/v1/records/${r.id}`);
      return { ids: (res.json() as WrittenRecord).practices.map((x) => x.id), body: res.body };
    };
    expect((await seenBy(outsider)).ids).toEqual([open, amber]);
    for (const c of [member, colleague, null]) {
      const { ids, body } = await seenBy(c);
      expect(ids).toEqual([open]);
      expect(body).not.toContain(amber);
      expect(body).not.toContain('Zanzibar');
    }
    // Its organisation changes the links it sees; the one it may not see stays, unseen.
    const after = await setAs(member, []);
    expect((after.json() as WrittenRecord).practices).toEqual([]);
    expect(after.body).not.toContain(amber);
    expect((await seenBy(outsider)).ids).toEqual([amber]);
    // And the practice's page lists the record to those who may read both.
    const recordsOf = async (c: Client | null, id: string) => {
      const res = c ? await c.get(`/api/v1/knowledge/${id}`) : await anonymous(`/api/v1/knowledge/${id}`);
      return res.statusCode === 200 ? (res.json() as { records: { id: string; title: string }[] }).records.map((x) => x.id) : res.statusCode;
    };
    expect(await recordsOf(outsider, amber)).toEqual([r.id]);
    expect(await recordsOf(member, amber)).toBe(404);
    const audit = (await secretariat.get('/api/v1/audit?action=record.practices_changed')).json() as { items: { targetId: string }[] };
    expect(audit.items.filter((i) => i.targetId === r.id).length).toBe(3);
  });
});

interface RecordSpec {
  author: number;
  mark: Mark;
  status: 'draft' | 'proposed' | 'published';
  /** Library items it links (positions in the world's items). */
  links: number[];
}
interface PracticeSpec {
  author: number;
  mark: Mark;
  status: 'draft' | 'in_review' | 'published';
  reviewer: number | null;
}

describe('activity records (property)', () => {
  it('every reader gets exactly the records the oracle and the workflow allow: list, record, Markdown, and the links between records and good practices', async () => {
    const hash = await testPasswordHash();
    let run = 0;
    const worldArb = fc
      .record({
        society: societyArb({ maxOrgs: 3, maxPeople: 4, maxCommunities: 2 }),
        records: fc.array(fc.record({ author: fc.nat(), mark: markArb, status: fc.constantFrom('draft' as const, 'proposed' as const, 'published' as const), links: fc.array(fc.nat(), { maxLength: 4 }) }), { minLength: 1, maxLength: 6 }),
        items: fc.array(fc.record({ author: fc.nat(), mark: markArb, status: fc.constantFrom('draft' as const, 'in_review' as const, 'published' as const), reviewer: fc.option(fc.nat(), { nil: null }) }), { maxLength: 4 }),
      })
      .map((w) => {
        const fit = fitTo(w.society);
        // The secretariat: one more person, in an approved organisation of its own.
        const society: Society = { ...fit.society, orgs: [...fit.society.orgs, { approved: true }], people: [...fit.society.people, { org: fit.society.orgs.length }] };
        const items = w.items.map((i): PracticeSpec => ({ ...i, author: fit.person(i.author), mark: fit.mark(i.mark), reviewer: i.reviewer === null ? null : fit.person(i.reviewer) }));
        const links = (l: number[]) => (items.length ? [...new Set(l.map((n) => n % items.length))] : []);
        return { society, items, records: w.records.map((r): RecordSpec => ({ ...r, author: fit.person(r.author), mark: fit.mark(r.mark), links: links(r.links) })) };
      });
    let seen = 0;
    let linksSeen = 0;
    await fc.assert(
      fc.asyncProperty(worldArb, async ({ society: w, records, items }) => {
        run++;
        const ids = await insertSociety(t.db, w, { country: 'PA', label: `rec${run}`, passwordHash: hash });
        const sec = w.people.length - 1;
        await t.db.updateTable('people').set({ roles: ['member', 'secretariat'] }).where('id', '=', ids.personIds[sec]!).execute();
        const stored = (m: Mark): Mark => ({ tlp: m.tlp, orgs: m.tlp === 'AMBER' || m.tlp === 'AMBER+STRICT' ? m.orgs : [], comms: m.tlp === 'AMBER' ? m.comms : [], people: m.tlp === 'RED' ? m.people : [] });
        const practices: { id: string; spec: PracticeSpec }[] = [];
        for (const [n, i] of items.entries()) {
          const id = newId();
          const m = stored(i.mark);
          await t.db
            .insertInto('knowledge_items')
            .values({
              id,
              slug: `rp${run}-${n}-${id.slice(-8)}`,
              type: 'good_practice',
              title: `Practice ${run}-${n}`,
              language: 'en',
              status: i.status,
              reviewers: i.reviewer === null ? [] : [ids.personIds[i.reviewer]!],
              tlp: m.tlp,
              pap: 'GREEN',
              author_id: ids.personIds[i.author]!,
              author_org_id: ids.orgIds[w.people[i.author]!.org]!,
              audience_organisations: m.orgs.map((o) => ids.orgIds[o]!),
              audience_communities: m.comms.map((k) => ids.commIds[k]!),
              audience_people: m.people.map((x) => ids.personIds[x]!),
            })
            .execute();
          practices.push({ id, spec: { ...i, mark: m } });
        }
        // The library's rule, independent of the code under test: the TLP table, then its workflow.
        const seesPractice = (v: number | null, x: (typeof practices)[number]) =>
          tlpOracle(w, v, x.spec.author, x.spec.mark) &&
          (x.spec.status === 'published' || (v !== null && w.people[v]!.org === w.people[x.spec.author]!.org) || (x.spec.status === 'in_review' && v !== null && v === x.spec.reviewer));
        const made: { id: string; commitment: string; spec: RecordSpec }[] = [];
        for (const r of records) {
          const id = newId();
          const tlp = r.mark.tlp;
          await t.db
            .insertInto('activity_records')
            .values({
              id,
              slug: `rec${run}-${made.length}-${id.slice(0, 8)}`,
              title: `rec${run}-${made.length}`,
              date: '2026-01-01',
              location: `place-${run}`,
              concepts: ['gfce-themes/d'],
              summary: 'summary',
              status: r.status,
              pap: 'GREEN',
              tlp,
              author_id: ids.personIds[r.author]!,
              author_org_id: ids.orgIds[w.people[r.author]!.org]!,
              audience_organisations: tlp === 'AMBER' || tlp === 'AMBER+STRICT' ? r.mark.orgs.map((o) => ids.orgIds[o]!) : [],
              audience_communities: tlp === 'AMBER' ? r.mark.comms.map((k) => ids.commIds[k]!) : [],
              audience_people: tlp === 'RED' ? r.mark.people.map((p) => ids.personIds[p]!) : [],
              practices: r.links.map((k) => practices[k]!.id),
            })
            .execute();
          const stored: Mark = { tlp, orgs: tlp === 'AMBER' || tlp === 'AMBER+STRICT' ? r.mark.orgs : [], comms: tlp === 'AMBER' ? r.mark.comms : [], people: tlp === 'RED' ? r.mark.people : [] };
          const commitment = newId();
          await t.db.insertInto('record_commitments').values({ id: commitment, record_id: id, position: 0, text: `c-${run}`, status: 'planned', progress: 50 }).execute();
          await t.db.insertInto('commitment_updates').values({ id: newId(), commitment_id: commitment, status: 'planned', progress: 50, note: `n-${run}` }).execute();
          made.push({ id, commitment, spec: { ...r, mark: stored } });
        }
        const oracle = (v: number | null, m: (typeof made)[number]) =>
          tlpOracle(w, v, m.spec.author, m.spec.mark) &&
          (m.spec.status === 'published' || (v !== null && w.people[v]!.org === w.people[m.spec.author]!.org) || (m.spec.status === 'proposed' && v === sec));
        for (const v of [null, ...w.people.keys()]) {
          let get: (url: string) => Promise<{ statusCode: number; body: string; json: () => unknown }>;
          if (v === null) get = anonymous;
          else {
            const s = await createSession(t.db, ids.personIds[v]!, t.deps.config.session, {});
            const client = clientFor(t.app, `puente_session=${s.id}`, s.csrfToken);
            get = (url) => client.get(url);
          }
          const page = ((await get(`/api/v1/records?q=place-${run}&limit=200`)).json() as { items: { id: string; practices: { id: string }[] }[] }).items;
          const listed = page.map((i) => i.id).sort();
          const allowed = made.filter((m) => oracle(v, m)).map((m) => m.id).sort();
          expect({ v, listed }).toEqual({ v, listed: allowed });
          // A record's good practices: exactly the linked ones this reader may see, in the list and on its own.
          const linkedFor = (m: (typeof made)[number]) => m.spec.links.map((k) => practices[k]!).filter((x) => seesPractice(v, x)).map((x) => x.id);
          for (const i of page) expect({ v, id: i.id, practices: i.practices.map((x) => x.id) }).toEqual({ v, id: i.id, practices: linkedFor(made.find((m) => m.id === i.id)!) });
          // A good practice's records: exactly the records this reader may see that link it.
          for (const [k, x] of practices.entries()) {
            const res = await get(`/api/v1/knowledge/${x.id}`);
            expect({ v, practice: x.id, status: res.statusCode }).toEqual({ v, practice: x.id, status: seesPractice(v, x) ? 200 : 404 });
            if (res.statusCode !== 200) continue;
            const shown = (res.json() as { records: { id: string }[] }).records.map((r) => r.id).sort();
            linksSeen += shown.length;
            expect({ v, practice: x.id, records: shown }).toEqual({ v, practice: x.id, records: made.filter((m) => oracle(v, m) && m.spec.links.includes(k)).map((m) => m.id).sort() });
          }
          seen += allowed.length;
          // The public feed carries exactly what the public may read.
          if (v === null) {
            const feed = (await anonymous('/feeds/records.atom')).body;
            expect({ feed: made.filter((m) => feed.includes(`urn:uuid:${m.id}`)).map((m) => m.id).sort() }).toEqual({ feed: allowed });
          }
          // The tracker lists and counts the commitments of exactly those records.
          const tracked = (await get(`/api/v1/commitments?q=c-${run}`)).json() as { items: { record: { id: string } }[]; summary: { count: number } };
          expect({ v, tracked: tracked.items.map((c) => c.record.id).sort(), count: tracked.summary.count }).toEqual({ v, tracked: allowed, count: allowed.length });
          for (const m of made) {
            const want = oracle(v, m) ? 200 : 404;
            const one = await get(`/api/v1/records/${m.id}`);
            expect({ v, id: m.id, one: one.statusCode }).toEqual({ v, id: m.id, one: want });
            if (one.statusCode === 200) {
              const shown = (one.json() as { practices: { id: string }[] }).practices.map((x) => x.id);
              linksSeen += shown.length;
              expect({ v, id: m.id, practices: shown }).toEqual({ v, id: m.id, practices: linkedFor(m) });
              // Nothing of a linked practice this reader may not see: not its id, not its title.
              for (const k of m.spec.links)
                if (!seesPractice(v, practices[k]!)) expect({ v, id: m.id, hint: one.body.includes(practices[k]!.id) || one.body.includes(`Practice ${run}-${k}"`) }).toEqual({ v, id: m.id, hint: false });
            }
            expect({ v, id: m.id, md: (await get(`/api/v1/records/${m.id}/markdown`)).statusCode }).toEqual({ v, id: m.id, md: want });
            // The concept's page lists it exactly when the record may be read.
            const tagged = ((await get('/api/v1/vocabularies/gfce-themes/concepts/d/tagged?limit=200')).json() as { items: { id: string }[] }).items.map((i) => i.id);
            expect({ v, id: m.id, tagged: tagged.includes(m.id) }).toEqual({ v, id: m.id, tagged: want === 200 });
            // A commitment's history follows its record.
            expect({ v, id: m.id, history: (await get(`/api/v1/commitments/${m.commitment}/history`)).statusCode }).toEqual({ v, id: m.id, history: want });
          }
        }
      }),
      { numRuns: 25 },
    );
    // Not vacuous: readers did see records, and links between records and practices.
    expect(seen).toBeGreaterThan(10);
    expect(linksSeen).toBeGreaterThan(5);
  }, 300_000);
});
