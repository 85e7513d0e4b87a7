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
beforeAll(async () => {
  t = await createTestApp();
  orgA = await makeOrganisation(t.db, { country: 'DO' });
  const orgB = await makeOrganisation(t.db, { country: 'ES' });
  const orgS = await makeOrganisation(t.db, { country: 'BE' });
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

interface RecordSpec {
  author: number;
  mark: Mark;
  status: 'draft' | 'proposed' | 'published';
}

describe('activity records (property)', () => {
  it('every reader gets exactly the records the oracle and the workflow allow: list, record, Markdown', async () => {
    const hash = await testPasswordHash();
    let run = 0;
    const worldArb = fc
      .record({ society: societyArb({ maxOrgs: 3, maxPeople: 4, maxCommunities: 2 }), records: fc.array(fc.record({ author: fc.nat(), mark: markArb, status: fc.constantFrom('draft' as const, 'proposed' as const, 'published' as const) }), { minLength: 1, maxLength: 6 }) })
      .map((w) => {
        const fit = fitTo(w.society);
        // The secretariat: one more person, in an approved organisation of its own.
        const society: Society = { ...fit.society, orgs: [...fit.society.orgs, { approved: true }], people: [...fit.society.people, { org: fit.society.orgs.length }] };
        return { society, records: w.records.map((r): RecordSpec => ({ ...r, author: fit.person(r.author), mark: fit.mark(r.mark) })) };
      });
    let seen = 0;
    await fc.assert(
      fc.asyncProperty(worldArb, async ({ society: w, records }) => {
        run++;
        const ids = await insertSociety(t.db, w, { country: 'PA', label: `rec${run}`, passwordHash: hash });
        const sec = w.people.length - 1;
        await t.db.updateTable('people').set({ roles: ['member', 'secretariat'] }).where('id', '=', ids.personIds[sec]!).execute();
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
              summary: 'summary',
              status: r.status,
              pap: 'GREEN',
              tlp,
              author_id: ids.personIds[r.author]!,
              author_org_id: ids.orgIds[w.people[r.author]!.org]!,
              audience_organisations: tlp === 'AMBER' || tlp === 'AMBER+STRICT' ? r.mark.orgs.map((o) => ids.orgIds[o]!) : [],
              audience_communities: tlp === 'AMBER' ? r.mark.comms.map((k) => ids.commIds[k]!) : [],
              audience_people: tlp === 'RED' ? r.mark.people.map((p) => ids.personIds[p]!) : [],
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
          const listed = ((await get(`/api/v1/records?q=place-${run}&limit=200`)).json() as { items: { id: string }[] }).items.map((i) => i.id).sort();
          const allowed = made.filter((m) => oracle(v, m)).map((m) => m.id).sort();
          expect({ v, listed }).toEqual({ v, listed: allowed });
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
            expect({ v, id: m.id, one: (await get(`/api/v1/records/${m.id}`)).statusCode }).toEqual({ v, id: m.id, one: want });
            expect({ v, id: m.id, md: (await get(`/api/v1/records/${m.id}/markdown`)).statusCode }).toEqual({ v, id: m.id, md: want });
            // A commitment's history follows its record.
            expect({ v, id: m.id, history: (await get(`/api/v1/commitments/${m.commitment}/history`)).statusCode }).toEqual({ v, id: m.id, history: want });
          }
        }
      }),
      { numRuns: 25 },
    );
    // Not vacuous: readers did see records.
    expect(seen).toBeGreaterThan(10);
  }, 300_000);
});
