import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../../platform/auth/sessions.js';
import { newId } from '../../platform/ids.js';
import { fitTo, insertSociety, markArb, societyArb, tlpOracle, type Mark } from '../../test/worlds.js';
import { clientFor, createTestApp, login, makeCommunity, makeOrganisation, makePerson, testPasswordHash, type Client, type TestApp } from '../../test/harness.js';

const xmllint = spawnSync('sh', ['-c', 'command -v xmllint']).stdout.toString().trim();

let t: TestApp;
let author: Client;
let translator: Client;
let colleague: Client;
let foreignTranslator: Client;
let secretariat: Client;
let noteId: string;
let communityId: string;
beforeAll(async () => {
  t = await createTestApp();
  const org = await makeOrganisation(t.db, { country: 'CL' });
  const other = await makeOrganisation(t.db, { country: 'FR' });
  const sec = await makeOrganisation(t.db, { country: 'BE' });
  author = await login(t.app, (await makePerson(t.db, org)).email);
  translator = await login(t.app, (await makePerson(t.db, org, { roles: ['member', 'translator'] })).email);
  colleague = await login(t.app, (await makePerson(t.db, org)).email);
  foreignTranslator = await login(t.app, (await makePerson(t.db, other, { roles: ['member', 'translator'] })).email);
  secretariat = await login(t.app, (await makePerson(t.db, sec, { roles: ['member', 'secretariat'] })).email);
  const note = await author.post('/api/v1/notes', { title: 'Plan de respuesta a incidentes', body: 'Pasos <y> "roles" & contactos', language: 'es', pap: 'GREEN', tlp: 'GREEN' });
  expect(note.statusCode, note.body).toBe(201);
  noteId = note.json().id;
  communityId = await makeCommunity(t.db, { organisations: [org] });
});
afterAll(async () => t?.close());

const putXliff = (c: Client, url: string, body: string, type = 'application/xliff+xml') =>
  t.app.inject({ method: 'PUT', url, headers: { cookie: c.cookie, 'x-csrf-token': c.csrf, 'content-type': type }, payload: body });

describe('the translation workflow', () => {
  it('queues what a translator may translate: their organisation’s notes missing a language, not another organisation’s', async () => {
    const q = (await translator.get('/api/v1/translations/queue')).json() as { items: { kind: string; id: string; missing: string[]; outdated: string[] }[]; byLanguage: Record<string, { missing: number }> };
    expect(q.items.find((i) => i.id === noteId)).toMatchObject({ kind: 'note', missing: ['en', 'pt', 'fr'], outdated: [] });
    expect(q.byLanguage.es).toEqual({ missing: 0, outdated: 0 });
    expect(((await foreignTranslator.get('/api/v1/translations/queue')).json() as { items: { id: string }[] }).items.map((i) => i.id)).not.toContain(noteId);
    // A colleague without the role translates nothing, so has nothing queued.
    expect(((await colleague.get('/api/v1/translations/queue')).json() as { items: unknown[] }).items).toEqual([]);
    // The secretariat manages communities: they are in its queue.
    expect(((await secretariat.get('/api/v1/translations/queue')).json() as { items: { id: string }[] }).items.map((i) => i.id)).toContain(communityId);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/translations/queue' })).statusCode).toBe(401);
  });

  it('exports a note as XLIFF 2.0 and takes the translated file back as its Portuguese version', async () => {
    const res = await translator.get(`/api/v1/translations/note/${noteId}/xliff?target=pt-BR`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/xliff\+xml/);
    const xml = res.body;
    if (xmllint) {
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'xlf-')), 'note.xlf');
      fs.writeFileSync(file, xml);
      expect(spawnSync(xmllint, ['--noout', file]).status).toBe(0);
    }
    const doc = new XMLParser({ ignoreAttributes: false, isArray: (n) => n === 'unit' }).parse(xml).xliff;
    expect(doc).toMatchObject({ '@_version': '2.0', '@_srcLang': 'es', '@_trgLang': 'pt-BR', '@_xmlns': 'urn:oasis:names:tc:xliff:document:2.0' });
    expect(doc.file['@_original']).toBe(`puente:note/${noteId}@rev1`);
    expect(doc.file.unit.map((u: { segment: { source: { '#text': string } } }) => u.segment.source['#text'])).toEqual(['Plan de respuesta a incidentes', 'Pasos <y> "roles" & contactos']);

    const translated = xml
      .replace('<source xml:space="preserve">Plan de respuesta a incidentes</source>', '<source xml:space="preserve">Plan de respuesta a incidentes</source>\n        <target xml:space="preserve">Plano de resposta a incidentes</target>')
      .replace('<source xml:space="preserve">Pasos &lt;y&gt; "roles" &amp; contactos</source>', '<source xml:space="preserve">Pasos &lt;y&gt; "roles" &amp; contactos</source>\n        <target xml:space="preserve">Passos &lt;e&gt; "papéis" &amp; contatos</target>');
    const back = await putXliff(translator, `/api/v1/translations/note/${noteId}/xliff`, translated);
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json()).toMatchObject({ language: 'pt-BR', basedOn: 1, outdated: false });
    const shown = (await colleague.get(`/api/v1/notes/${noteId}?lang=pt`)).json() as { title: string; body: string; translation: { shown: string } };
    expect(shown).toMatchObject({ title: 'Plano de resposta a incidentes', body: 'Passos <e> "papéis" & contatos', translation: { shown: 'pt-BR' } });
    const q = (await translator.get('/api/v1/translations/queue')).json() as { items: { id: string; missing: string[] }[] };
    expect(q.items.find((i) => i.id === noteId)!.missing).toEqual(['en', 'fr']);
    // Exported again, the translation comes along as targets.
    expect((await translator.get(`/api/v1/translations/note/${noteId}/xliff?target=pt`)).body).toContain('<target xml:space="preserve">Plano de resposta a incidentes</target>');
  });

  it('refuses a file that does not fit the record, and changes nothing', async () => {
    const xml = (await translator.get(`/api/v1/translations/note/${noteId}/xliff?target=fr`)).body;
    const withTargets = xml.replace(/<\/source>/g, '</source><target>texte</target>');
    const refuse = async (body: string, why: RegExp, type?: string) => {
      const res = await putXliff(translator, `/api/v1/translations/note/${noteId}/xliff`, body, type);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.message).toMatch(why);
    };
    await refuse(xml, /no target for title, body/);
    await refuse(withTargets.replace(`note/${noteId}`, `note/00000000-0000-4000-8000-000000000000`), /it is for note\/00000000/);
    await refuse(withTargets.replace('srcLang="es"', 'srcLang="en"'), /source language is en/);
    await refuse(withTargets.replace('<unit id="body">', '<unit id="summary">'), /units are summary, title/);
    await refuse(withTargets.replace('@rev1', '@rev7'), /revision 7/);
    await refuse('<xliff', /not well-formed/);
    await refuse(withTargets.replace('version="2.0"', 'version="1.2"'), /not XLIFF 2.0/);
    expect((await putXliff(translator, `/api/v1/translations/note/${noteId}/xliff`, withTargets, 'text/plain')).statusCode).toBe(415);
    const q = (await translator.get('/api/v1/translations/queue')).json() as { items: { id: string; missing: string[] }[] };
    expect(q.items.find((i) => i.id === noteId)!.missing).toContain('fr');
  });

  it('records a file made from an older source as outdated, so the queue asks for it again', async () => {
    const xml = (await secretariat.get(`/api/v1/translations/community/${communityId}/xliff?target=es`)).body;
    expect(xml).toContain(`puente:community/${communityId}@rev1`);
    // The source changes while the file is with the translator.
    const patched = await secretariat.patch(`/api/v1/communities/${communityId}`, { description: 'A new description of the community' });
    expect(patched.statusCode, patched.body).toBe(200);
    const translated = xml.replace(/<\/source>/g, '</source><target>texto traducido</target>');
    const back = await putXliff(secretariat, `/api/v1/translations/community/${communityId}/xliff`, translated);
    expect(back.json()).toMatchObject({ language: 'es', basedOn: 1, outdated: true });
    const q = (await secretariat.get('/api/v1/translations/queue')).json() as { items: { id: string; outdated: string[] }[] };
    expect(q.items.find((i) => i.id === communityId)!.outdated).toEqual(['es']);
  });

  it('lets only those who may translate export or import: not a colleague, not another organisation, not the secretariat for a note', async () => {
    for (const c of [colleague, foreignTranslator, secretariat]) {
      const res = await c.get(`/api/v1/translations/note/${noteId}/xliff?target=fr`);
      expect([403, 404]).toContain(res.statusCode);
    }
    expect((await translator.get(`/api/v1/translations/note/${noteId}/xliff?target=es`)).json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    expect((await translator.get(`/api/v1/translations/note/${noteId}/xliff?target=not_a_tag`)).statusCode).toBe(400);
  });

  it('queues the organisation’s library items and carries their filled fields through XLIFF, never an empty one', async () => {
    const created = await author.post('/api/v1/knowledge', { type: 'lesson_learned', language: 'es', tlp: 'GREEN', title: 'Lecciones del ejercicio', summary: 'Qué aprendimos', body: '## Hallazgos' });
    expect(created.statusCode, created.body).toBe(201);
    const id = (created.json() as { id: string }).id;
    const q = (await translator.get('/api/v1/translations/queue')).json() as { items: { kind: string; id: string; missing: string[] }[] };
    expect(q.items.find((i) => i.id === id)).toMatchObject({ kind: 'practice', missing: ['en', 'pt', 'fr'] });
    expect(((await foreignTranslator.get('/api/v1/translations/queue')).json() as { items: { id: string }[] }).items.map((i) => i.id)).not.toContain(id);
    const xml = (await translator.get(`/api/v1/translations/practice/${id}/xliff?target=en`)).body;
    const doc = new XMLParser({ ignoreAttributes: false, isArray: (n) => n === 'unit' }).parse(xml).xliff;
    // Evidence and outcome are empty: nothing to translate, no unit.
    expect(doc.file.unit.map((u: { '@_id': string }) => u['@_id'])).toEqual(['title', 'summary', 'body']);
    const translated = xml
      .replace('<source xml:space="preserve">Lecciones del ejercicio</source>', '<source xml:space="preserve">Lecciones del ejercicio</source><target xml:space="preserve">Lessons from the exercise</target>')
      .replace('<source xml:space="preserve">Qué aprendimos</source>', '<source xml:space="preserve">Qué aprendimos</source><target xml:space="preserve">What we learned</target>')
      .replace('<source xml:space="preserve">## Hallazgos</source>', '<source xml:space="preserve">## Hallazgos</source><target xml:space="preserve">## Findings</target>');
    expect((await putXliff(translator, `/api/v1/translations/practice/${id}/xliff`, translated)).json()).toMatchObject({ kind: 'practice', language: 'en', outdated: false });
    expect((await colleague.get(`/api/v1/knowledge/${id}?lang=en`)).json()).toMatchObject({ title: 'Lessons from the exercise', summary: 'What we learned', body: '## Findings', translation: { shown: 'en' } });
    // Someone who may not translate it: the colleague (a plain member); the other organisation's
    // translator and the secretariat do not even see a draft.
    expect((await colleague.get(`/api/v1/translations/practice/${id}/xliff?target=fr`)).statusCode).toBe(403);
    expect((await foreignTranslator.get(`/api/v1/translations/practice/${id}/xliff?target=fr`)).statusCode).toBe(404);
    expect((await secretariat.get(`/api/v1/translations/practice/${id}/xliff?target=fr`)).statusCode).toBe(404);
  });

  it('queues a country’s priorities for its focal points and the author organisation’s translators, and carries them through XLIFF', async () => {
    const org = await makeOrganisation(t.db, { country: 'PE' });
    const focal = await makePerson(t.db, org);
    await t.db.insertInto('country_focal_points').values({ country_code: 'PE', person_id: focal.id }).execute();
    const fp = await login(t.app, focal.email);
    const orgTranslator = await login(t.app, (await makePerson(t.db, org, { roles: ['member', 'translator'] })).email);
    const created = await fp.post('/api/v1/countries/PE/priorities', { title: 'Fortalecer el CSIRT nacional', body: 'Con apoyo de la cooperación triangular.', language: 'es', tlp: 'GREEN' });
    expect(created.statusCode, created.body).toBe(201);
    const id = (created.json() as { id: string }).id;
    for (const c of [fp, orgTranslator]) {
      const q = (await c.get('/api/v1/translations/queue')).json() as { items: { kind: string; id: string; country?: string; missing: string[] }[] };
      expect(q.items.find((i) => i.id === id)).toMatchObject({ kind: 'priority', country: 'PE', missing: ['en', 'pt', 'fr'] });
    }
    expect(((await foreignTranslator.get('/api/v1/translations/queue')).json() as { items: { id: string }[] }).items.map((i) => i.id)).not.toContain(id);
    expect((await foreignTranslator.get(`/api/v1/translations/priority/${id}/xliff?target=en`)).statusCode).toBe(403);
    const xml = (await orgTranslator.get(`/api/v1/translations/priority/${id}/xliff?target=en`)).body;
    const translated = xml
      .replace('<source xml:space="preserve">Fortalecer el CSIRT nacional</source>', '<source xml:space="preserve">Fortalecer el CSIRT nacional</source><target xml:space="preserve">Strengthen the national CSIRT</target>')
      .replace('<source xml:space="preserve">Con apoyo de la cooperación triangular.</source>', '<source xml:space="preserve">Con apoyo de la cooperación triangular.</source><target xml:space="preserve">With support from triangular cooperation.</target>');
    expect((await putXliff(orgTranslator, `/api/v1/translations/priority/${id}/xliff`, translated)).json()).toMatchObject({ kind: 'priority', language: 'en', outdated: false });
    const page = (await author.get('/api/v1/countries/PE?lang=en')).json() as { priorities: { id: string; title: string }[] };
    expect(page.priorities.find((x) => x.id === id)?.title).toBe('Strengthen the national CSIRT');
  });
});

describe('the translation queue (property)', () => {
  it('lists for each person exactly the library items they may see and translate, and lets them export exactly those', async () => {
    const hash = await testPasswordHash();
    let run = 0;
    const ROLE_SETS = [['member'], ['member', 'translator'], ['member', 'org_admin']] as const;
    const arb = fc
      .record({
        society: societyArb({ maxOrgs: 3, maxPeople: 5, maxCommunities: 2 }),
        roles: fc.array(fc.nat({ max: ROLE_SETS.length - 1 }), { minLength: 5, maxLength: 5 }),
        items: fc.array(fc.record({ author: fc.nat(), mark: markArb, status: fc.constantFrom('draft' as const, 'published' as const) }), { minLength: 1, maxLength: 5 }),
      })
      .map((w) => {
        const fit = fitTo(w.society);
        return { society: fit.society, roles: w.roles, items: w.items.map((i) => ({ ...i, author: fit.person(i.author), mark: fit.mark(i.mark) })) };
      });
    let listed = 0;
    await fc.assert(
      fc.asyncProperty(arb, async ({ society: w, roles, items }) => {
        run++;
        const ids = await insertSociety(t.db, w, { country: 'PA', label: `tq${run}`, passwordHash: hash });
        for (const [i, id] of ids.personIds.entries()) await t.db.updateTable('people').set({ roles: [...ROLE_SETS[roles[i]!]!] }).where('id', '=', id).execute();
        const made: { id: string; author: number; mark: Mark; status: string }[] = [];
        for (const [n, it] of items.entries()) {
          const id = newId();
          const m = it.mark;
          await t.db
            .insertInto('knowledge_items')
            .values({
              id,
              slug: `tq${run}-${n}-${id.slice(-8)}`,
              type: 'guide',
              title: `tq${run}-${n}`,
              language: 'es',
              translations: '{}',
              status: it.status,
              tlp: m.tlp,
              pap: 'GREEN',
              author_id: ids.personIds[it.author]!,
              author_org_id: ids.orgIds[w.people[it.author]!.org]!,
              audience_organisations: m.tlp === 'AMBER' || m.tlp === 'AMBER+STRICT' ? m.orgs.map((o) => ids.orgIds[o]!) : [],
              audience_communities: m.tlp === 'AMBER' ? m.comms.map((k) => ids.commIds[k]!) : [],
              audience_people: m.tlp === 'RED' ? m.people.map((x) => ids.personIds[x]!) : [],
            })
            .execute();
          made.push({ id, author: it.author, mark: { tlp: m.tlp, orgs: m.tlp === 'AMBER' || m.tlp === 'AMBER+STRICT' ? m.orgs : [], comms: m.tlp === 'AMBER' ? m.comms : [], people: m.tlp === 'RED' ? m.people : [] }, status: it.status });
        }
        for (const v of w.people.keys()) {
          const vetted = w.orgs[w.people[v]!.org]!.approved;
          const role = ROLE_SETS[roles[v]!]!;
          const sameOrg = (m: (typeof made)[number]) => w.people[v]!.org === w.people[m.author]!.org;
          // Independent of the code: may see (TLP table, then drafts to their organisation) and may translate
          // (its author, an admin or a translator of its organisation), a member in good standing.
          const may = (m: (typeof made)[number]) =>
            vetted && tlpOracle(w, v, m.author, m.mark) && (m.status === 'published' || sameOrg(m)) && sameOrg(m) && (v === m.author || role.includes('org_admin' as never) || role.includes('translator' as never));
          const s = await createSession(t.db, ids.personIds[v]!, t.deps.config.session, {});
          const client = clientFor(t.app, `puente_session=${s.id}`, s.csrfToken);
          const res = await client.get('/api/v1/translations/queue');
          const queue = res.statusCode === 200 ? ((res.json() as { items: { id: string }[] }).items.map((i) => i.id).filter((id) => made.some((m) => m.id === id)).sort()) : [];
          const want = made.filter(may).map((m) => m.id).sort();
          expect({ v, queue }).toEqual({ v, queue: want });
          listed += want.length;
          for (const m of made) {
            const x = await client.get(`/api/v1/translations/practice/${m.id}/xliff?target=en`);
            expect({ v, id: m.id, ok: x.statusCode === 200 }).toEqual({ v, id: m.id, ok: may(m) });
          }
        }
      }),
      { numRuns: 20 },
    );
    expect(listed).toBeGreaterThan(3);
  }, 300_000);
});
