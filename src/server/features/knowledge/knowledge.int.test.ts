import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../demo/load.js';
import { createSession } from '../../platform/auth/sessions.js';
import { newId } from '../../platform/ids.js';
import { clientFor, createTestApp, login, makeOrganisation, makePerson, testPasswordHash, TEST_PASSWORD, type Client, type TestApp } from '../../test/harness.js';
import { fitTo, insertSociety, markArb, societyArb, tlpOracle, type Mark } from '../../test/worlds.js';

let t: TestApp;
let author: Client;
let colleague: Client;
let reviewer: Client;
let outsider: Client;
let secretariat: Client;
let reviewerId: string;
let outsiderId: string;
let orgA: string;
let orgB: string;
beforeAll(async () => {
  t = await createTestApp();
  orgA = await makeOrganisation(t.db, { country: 'CR', type: 'mfa' });
  orgB = await makeOrganisation(t.db, { country: 'ES' });
  const orgC = await makeOrganisation(t.db, { country: 'FR' });
  const orgS = await makeOrganisation(t.db, { country: 'BE' });
  const a = await makePerson(t.db, orgA);
  const c = await makePerson(t.db, orgA);
  const r = await makePerson(t.db, orgB);
  const o = await makePerson(t.db, orgC);
  const s = await makePerson(t.db, orgS, { roles: ['member', 'secretariat'] });
  reviewerId = r.id;
  outsiderId = o.id;
  [author, colleague, reviewer, outsider, secretariat] = await Promise.all([a, c, r, o, s].map((x) => login(t.app, x.email)));
});
afterAll(async () => t?.close());

const anonymous = (url: string) => t.app.inject({ method: 'GET', url });
const count = async (table: 'knowledge_items' | 'knowledge_versions' | 'knowledge_attachments') =>
  Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

interface Item {
  id: string;
  slug: string;
  status: string;
  title: string;
  bodyHtml: string;
  revision: number;
  translation: { shown: string; source: string; fallback: boolean; outdated: boolean; machine: boolean };
  versions: { version: number }[];
  can: { edit: boolean; translate: boolean; review: boolean };
}
const base = { type: 'good_practice', tlp: 'CLEAR' };
const create = async (c: Client, body: Record<string, unknown>) => {
  const res = await c.post('/api/v1/knowledge', { ...base, ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as Item;
};
const publish = async (id: string) => {
  expect((await author.post(`/api/v1/knowledge/${id}/review-request`, { reviewers: [reviewerId] })).statusCode).toBe(200);
  expect((await reviewer.post(`/api/v1/knowledge/${id}/reviews`, { decision: 'approved' })).statusCode).toBe(200);
  const res = await author.post(`/api/v1/knowledge/${id}/publish`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Item;
};
const search = async (c: Client | null, q: string, extra = '') => {
  const url = `/api/v1/knowledge?q=${encodeURIComponent(q)}${extra}`;
  const res = c ? await c.get(url) : await anonymous(url);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { items: { id: string; snippet: { text: string; match: boolean }[] }[]; counts: { byType: Record<string, number> } };
};

describe('the good-practice library', () => {
  it('stems and folds every language version: plural and singular, accents or none', async () => {
    const es = await create(author, { language: 'es', title: 'Respuesta coordinada a un ciberataque', body: 'Cómo gestionar una vulnerabilidad crítica en la administración pública.' });
    const pt = await create(author, { language: 'pt-BR', title: 'Guia de seguranca para ministerios', body: 'Uma estratégia nacional.' });
    const fr = await create(author, { language: 'fr', type: 'strategy', title: 'La stratégie nationale de cybersécurité', body: 'Des exercices de crise.' });
    for (const x of [es, pt, fr]) await publish(x.id);
    expect((await search(null, 'ciberataques')).items.map((i) => i.id)).toContain(es.id);
    expect((await search(null, 'vulnerabilidades')).items.map((i) => i.id)).toContain(es.id);
    expect((await search(null, 'segurança')).items.map((i) => i.id)).toContain(pt.id);
    expect((await search(null, 'stratégies')).items.map((i) => i.id)).toContain(fr.id);
    // The snippet marks the words found, in the text as written (accents kept).
    const hit = (await search(null, 'vulnerabilidades')).items.find((i) => i.id === es.id)!;
    expect(hit.snippet.filter((s) => s.match).map((s) => s.text)).toContain('vulnerabilidad');
    // A translation is searched in its own language and ranks first for its readers.
    const tr = await author.put(`/api/v1/knowledge/${es.id}/translations/en`, { title: 'Coordinated response to a cyberattack', body: 'Handling critical vulnerabilities in public administration.' });
    expect(tr.statusCode, tr.body).toBe(200);
    expect((await search(null, 'cyberattacks')).items.map((i) => i.id)).toContain(es.id);
    // Filters: type, and counts by type over what is listed.
    const strategies = await search(null, 'stratégie', '&type=strategy');
    expect(strategies.items.map((i) => i.id)).toEqual([fr.id]);
    expect(strategies.counts.byType).toEqual({ strategy: 1 });
  });

  it('goes draft → in review → published, only through its organisation and named reviewers who may read it', async () => {
    const it0 = await create(author, { language: 'en', title: 'Tabletop exercise for MFA crisis cells', tlp: 'AMBER', audience: { organisations: [orgB] }, concepts: ['takeaways/7d', 'un-norms-2015/c'] });
    expect(it0).toMatchObject({ status: 'draft', can: { edit: true, translate: true, review: false } });
    // A draft: its organisation only.
    expect((await colleague.get(`/api/v1/knowledge/${it0.id}`)).statusCode).toBe(200);
    for (const c of [reviewer, outsider, secretariat]) expect((await c.get(`/api/v1/knowledge/${it0.id}`)).statusCode).toBe(404);
    // A reviewer must be able to read it under its marking.
    const refused = await author.post(`/api/v1/knowledge/${it0.id}/review-request`, { reviewers: [outsiderId] });
    expect(refused.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: { refused: [outsiderId] } } });
    expect((await author.post(`/api/v1/knowledge/${it0.id}/publish`)).json()).toMatchObject({ error: { code: 'INVALID_STATE' } });
    expect((await author.post(`/api/v1/knowledge/${it0.id}/review-request`, { reviewers: [reviewerId] })).json()).toMatchObject({ status: 'in_review' });
    // The reviewer now sees it and may review; the colleague may not review; nobody publishes before approval.
    expect((await reviewer.get(`/api/v1/knowledge/${it0.id}`)).json()).toMatchObject({ can: { review: true, edit: false } });
    expect((await colleague.post(`/api/v1/knowledge/${it0.id}/reviews`, { decision: 'approved' })).statusCode).toBe(403);
    expect((await author.post(`/api/v1/knowledge/${it0.id}/publish`)).json()).toMatchObject({ error: { code: 'INVALID_STATE' } });
    // Changes asked: back to draft, gone from the reviewer's sight.
    expect((await reviewer.post(`/api/v1/knowledge/${it0.id}/reviews`, { decision: 'changes_requested' })).json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    expect((await reviewer.post(`/api/v1/knowledge/${it0.id}/reviews`, { decision: 'changes_requested', comment: 'Add the injects.' })).json()).toEqual({ id: it0.id, status: 'draft' });
    expect((await reviewer.get(`/api/v1/knowledge/${it0.id}`)).statusCode).toBe(404);
    const edited = await author.patch(`/api/v1/knowledge/${it0.id}`, { body: 'Injects: 1. ransomware at the embassy.', note: 'injects added' });
    expect(edited.json()).toMatchObject({ revision: 2, versions: [{ version: 2 }, { version: 1 }] });
    const published = await publish(it0.id);
    expect(published.status).toBe('published');
    // Published AMBER: the audience organisation reads it; others and the secretariat do not.
    expect((await reviewer.get(`/api/v1/knowledge/${it0.id}`)).statusCode).toBe(200);
    expect((await outsider.get(`/api/v1/knowledge/${it0.id}`)).statusCode).toBe(404);
    expect((await secretariat.get(`/api/v1/knowledge/${it0.id}`)).statusCode).toBe(404);
    expect((await anonymous(`/api/v1/knowledge/${it0.id}`)).statusCode).toBe(404);
    // The history shows what changed, word by word.
    const diff = (await author.get(`/api/v1/knowledge/${it0.id}/diff?from=1&to=2`)).json() as { fields: { field: string; parts: { text: string; change: string }[] }[] };
    expect(diff.fields.map((f) => f.field)).toEqual(['body']);
    expect(diff.fields[0]!.parts.filter((x) => x.change === 'added').map((x) => x.text).join('')).toContain('ransomware');
    // A reader of the published item does not read what was taken out of it.
    expect((await reviewer.get(`/api/v1/knowledge/${it0.id}/diff?from=1&to=2`)).statusCode).toBe(403);
    // The audit log carries identifiers, not the item's words.
    const audit = await secretariat.get('/api/v1/audit?action=knowledge.');
    expect(audit.body).not.toContain('Tabletop');
    expect(audit.body).not.toContain('injects');
  });

  it('shows the reader’s language, else the source with a note, and marks translations outdated when the source changes', async () => {
    const x = await create(author, { language: 'es', title: 'Guía de respuesta', summary: 'Resumen', body: 'Texto' });
    await publish(x.id);
    const pt = (await anonymous(`/api/v1/knowledge/${x.id}?lang=pt`)).json() as Item;
    expect(pt.translation).toMatchObject({ shown: 'es', source: 'es', fallback: true });
    await author.put(`/api/v1/knowledge/${x.id}/translations/pt-BR`, { title: 'Guia de resposta', summary: 'Resumo', body: 'Texto', machine: true });
    expect(((await anonymous(`/api/v1/knowledge/${x.id}?lang=pt`)).json() as Item).translation).toMatchObject({ shown: 'pt-BR', fallback: false, machine: true, outdated: false });
    await author.patch(`/api/v1/knowledge/${x.id}`, { body: 'Texto nuevo' });
    const after = (await anonymous(`/api/v1/knowledge/${x.id}?lang=pt`)).json() as Item;
    expect(after).toMatchObject({ title: 'Guia de resposta', translation: { outdated: true } });
    // Outsiders neither edit nor translate.
    expect((await outsider.put(`/api/v1/knowledge/${x.id}/translations/fr`, { title: 'Guide' })).statusCode).toBe(403);
    expect((await outsider.patch(`/api/v1/knowledge/${x.id}`, { title: 'Mine' })).statusCode).toBe(403);
  });

  it('refuses bad input whole: unknown concepts, language tags, licences, script in Markdown, disguised or oversized files', async () => {
    const before = await count('knowledge_items');
    const bad = async (body: Record<string, unknown>, code: string) => {
      const res = await author.post('/api/v1/knowledge', { ...base, language: 'en', title: 'X', ...body });
      expect({ status: res.statusCode, code: (res.json() as { error?: { code: string } }).error?.code }).toEqual({ status: 400, code });
    };
    await bad({ concepts: ['un-norms-2015/zz'] }, 'UNKNOWN_CONCEPT');
    await bad({ concepts: ['nothing-here/a'] }, 'UNKNOWN_CONCEPT');
    await bad({ concepts: ['Not a tag'] }, 'VALIDATION_FAILED');
    await bad({ language: 'english!' }, 'VALIDATION_FAILED');
    await bad({ language: 'x-private' }, 'VALIDATION_FAILED');
    await bad({ licence: 'WTFPL-9' }, 'VALIDATION_FAILED');
    await bad({ countries: ['ZZ'] }, 'VALIDATION_FAILED');
    await bad({ related: [newId()] }, 'VALIDATION_FAILED');
    await bad({ tlp: 'RED', audience: { organisations: [orgB] } }, 'INVALID_MARKING');
    expect(await count('knowledge_items')).toBe(before);

    const x = await create(author, { language: 'en', title: 'Script', body: 'Hello <script>alert(1)</script> [x](javascript:alert(1))', concepts: ['un-norms-2015/c'] });
    expect(x.bodyHtml).not.toMatch(/<script|href="javascript:/i);
    const upload = (name: string, bytes: Buffer) =>
      t.app.inject({ method: 'POST', url: `/api/v1/knowledge/${x.id}/attachments?name=${encodeURIComponent(name)}`, headers: { cookie: author.cookie, 'x-csrf-token': author.csrf, 'content-type': 'application/octet-stream' }, payload: bytes });
    const files = await count('knowledge_attachments');
    expect((await upload('report.pdf', Buffer.from('MZ\x90\x00 this is an executable'))).json()).toMatchObject({ error: { code: 'ATTACHMENT_TYPE_REFUSED' } });
    expect((await upload('photo.png', Buffer.from('%PDF-1.4\n%%EOF'))).json()).toMatchObject({ error: { code: 'ATTACHMENT_TYPE_REFUSED' } });
    expect((await upload('page.html', Buffer.from('<html><script>alert(1)</script></html>'))).json()).toMatchObject({ error: { code: 'ATTACHMENT_TYPE_REFUSED' } });
    expect((await upload('big.pdf', Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(t.deps.config.attachmentMaxBytes)]))).statusCode).toBe(413);
    expect(await count('knowledge_attachments')).toBe(files);
    const ok = await upload('guide.pdf', Buffer.from('%PDF-1.4\n%%EOF\n'));
    expect(ok.statusCode, ok.body).toBe(201);
    const fileId = (ok.json() as { id: string }).id;
    // A draft's file: its organisation only.
    expect((await colleague.get(`/api/v1/knowledge-attachments/${fileId}`)).headers['content-type']).toBe('application/pdf');
    expect((await outsider.get(`/api/v1/knowledge-attachments/${fileId}`)).statusCode).toBe(404);
    expect((await anonymous(`/api/v1/knowledge-attachments/${fileId}`)).statusCode).toBe(404);
    // Two writers at once: the second is told, nothing overwritten.
    const [a, b] = await Promise.all([author.patch(`/api/v1/knowledge/${x.id}`, { body: 'one' }), colleague.patch(`/api/v1/knowledge/${x.id}`, { body: 'two' })]);
    expect([a.statusCode, b.statusCode].sort()).toEqual(expect.arrayContaining([200]));
  });

  it('lists items by concept and recommends published items for the reader’s kind of organisation and country', async () => {
    const x = await create(author, { language: 'en', title: 'Norm c explained', concepts: ['un-norms-2015/c'], audiences: ['national_csirt'], countries: ['ES'] });
    await publish(x.id);
    const byConcept = (await anonymous('/api/v1/knowledge?concept=un-norms-2015/c')).json() as { items: { id: string }[] };
    expect(byConcept.items.map((i) => i.id)).toContain(x.id);
    // The reviewer's organisation is a national CSIRT in Spain.
    const rec = (await reviewer.get('/api/v1/knowledge/recommended')).json() as { items: { id: string }[] };
    expect(rec.items.map((i) => i.id)).toContain(x.id);
    // Its own organisation is not recommended its own items.
    expect(((await author.get('/api/v1/knowledge/recommended')).json() as { items: { id: string }[] }).items.map((i) => i.id)).not.toContain(x.id);
  });

  it('lists the activity records that link an item, only those the reader may see', async () => {
    const seed = fs.readFileSync(path.join(path.dirname(new URL(import.meta.url).pathname), '../records/data/santo-domingo-2024.md'), 'utf8');
    const x = await create(author, { language: 'en', title: 'A practice records concern' });
    await publish(x.id);
    const record = async (title: string, query: string, publishIt: boolean) => {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/v1/records/import${query}`,
        headers: { cookie: author.cookie, 'x-csrf-token': author.csrf, 'content-type': 'text/markdown' },
        payload: seed.replace('# EU-LAC', `# ${title} EU-LAC`),
      });
      expect(res.statusCode, res.body).toBe(201);
      const id = res.json().id as string;
      expect((await author.put(`/api/v1/records/${id}/practices`, { practices: [x.id] })).statusCode).toBe(200);
      if (publishIt) {
        await author.post(`/api/v1/records/${id}/propose`);
        expect((await secretariat.post(`/api/v1/records/${id}/publish`)).statusCode).toBe(200);
      }
      return id;
    };
    const clear = await record('Clear', '?tlp=CLEAR', true);
    const green = await record('Green', '?tlp=GREEN', true);
    const draft = await record('Draft', `?tlp=AMBER&organisations=${orgA}`, false);
    const recordsFor = async (c: Client | null) => {
      const res = c ? await c.get(`/api/v1/knowledge/${x.id}`) : await anonymous(`/api/v1/knowledge/${x.id}`);
      expect(res.statusCode, res.body).toBe(200);
      return { ids: (res.json() as { records: { id: string; title: string; date: string }[] }).records.map((r) => r.id).sort(), body: res.body };
    };
    expect((await recordsFor(author)).ids).toEqual([clear, green, draft].sort());
    expect((await recordsFor(colleague)).ids).toEqual([clear, green, draft].sort());
    for (const c of [outsider, reviewer, secretariat]) expect((await recordsFor(c)).ids).toEqual([clear, green].sort());
    const pub = await recordsFor(null);
    expect(pub.ids).toEqual([clear]);
    expect(pub.body).not.toContain('Green EU-LAC');
    expect(pub.body).not.toContain(draft);
    const one = (await anonymous(`/api/v1/knowledge/${x.id}`)).json() as { records: { id: string; slug: string; title: string; date: string }[] };
    expect(one.records[0]).toMatchObject({ id: clear, title: expect.stringMatching(/^Clear EU-LAC/), date: '2024-02-14' });
  });
});

describe('the library in the demo community', () => {
  it('holds items across types and levels in two languages or more, with translations missing, outdated and machine-made, one in review for a named reviewer, and a translator with a queue', async () => {
    const d = await createTestApp();
    try {
      await loadDemo(d.db, TEST_PASSWORD);
      const pub = (await d.app.inject({ method: 'GET', url: '/api/v1/knowledge?limit=100' })).json() as { items: { id: string; type: string; status: string; tlp: string; translation: { versions: { outdated: boolean; machine: boolean }[] } }[] };
      // The public: CLEAR and published only.
      expect(pub.items.length).toBeGreaterThanOrEqual(6);
      const diplomat = await login(d.app, 'diplomat.es@demo.puente.test');
      const all = (await diplomat.get('/api/v1/knowledge?limit=100')).json() as typeof pub;
      expect(new Set(all.items.map((i) => i.type)).size).toBeGreaterThanOrEqual(7);
      expect(new Set(all.items.map((i) => i.tlp))).toEqual(new Set(['CLEAR', 'GREEN', 'AMBER']));
      expect(all.items.every((i) => i.translation.versions.length >= 2)).toBe(true);
      expect(all.items.some((i) => i.translation.versions.some((v) => v.outdated))).toBe(true);
      expect(all.items.some((i) => i.translation.versions.some((v) => v.machine))).toBe(true);
      // A Spanish search finds the Spanish texts by a plural.
      const found = (await diplomat.get('/api/v1/knowledge?q=lecciones%20dialogos&lang=es')).json() as { items: { title: string }[] };
      expect(found.items[0]?.title).toMatch(/Santo Domingo/);
      const reviewer = await login(d.app, 'diplomat.do@demo.puente.test');
      const inReview = (await reviewer.get('/api/v1/knowledge?status=in_review')).json() as { items: { can: { review: boolean } }[] };
      expect(inReview.items.some((i) => i.can.review)).toBe(true);
      const translator = await login(d.app, 'translator.es@demo.puente.test');
      const queue = (await translator.get('/api/v1/translations/queue')).json() as { items: { kind: string }[] };
      expect(queue.items.filter((i) => i.kind === 'practice').length).toBeGreaterThanOrEqual(2);
    } finally {
      await d.close();
    }
  }, 120_000);
});

interface ItemSpec {
  author: number;
  mark: Mark;
  status: 'draft' | 'in_review' | 'published';
  reviewer: number | null;
}

describe('the good-practice library (property)', () => {
  it('every reader gets exactly what the oracle and the workflow allow: search, counts, snippets, the item, its files, its concept, recommendations', async () => {
    const hash = await testPasswordHash();
    let run = 0;
    const worldArb = fc
      .record({
        society: societyArb({ maxOrgs: 3, maxPeople: 4, maxCommunities: 2 }),
        items: fc.array(fc.record({ author: fc.nat(), mark: markArb, status: fc.constantFrom('draft' as const, 'in_review' as const, 'published' as const), reviewer: fc.option(fc.nat(), { nil: null }) }), {
          minLength: 1,
          maxLength: 6,
        }),
      })
      .map((w) => {
        const fit = fitTo(w.society);
        return { society: fit.society, items: w.items.map((r): ItemSpec => ({ ...r, author: fit.person(r.author), mark: fit.mark(r.mark), reviewer: r.reviewer === null ? null : fit.person(r.reviewer) })) };
      });
    let seen = 0;
    await fc.assert(
      fc.asyncProperty(worldArb, async ({ society: w, items }) => {
        run++;
        const word = `zircon${run}x`;
        const ids = await insertSociety(t.db, w, { country: 'PA', label: `kn${run}`, passwordHash: hash });
        const made: { id: string; file: string; spec: ItemSpec }[] = [];
        for (const [n, r] of items.entries()) {
          const id = newId();
          const tlp = r.mark.tlp;
          await t.db
            .insertInto('knowledge_items')
            .values({
              id,
              slug: `kn${run}-${n}-${id.slice(-8)}`,
              type: n % 2 ? 'guide' : 'good_practice',
              title: `Item ${run}-${n}`,
              body: `The ${word} practice alpha${n}beta.`,
              language: 'en',
              translations: JSON.stringify({ es: { fields: { title: `Elemento ${run}-${n}`, body: `La práctica ${word}s alpha${n}beta` }, basedOn: 1, machine: false, at: new Date().toISOString(), by: null } }),
              concepts: ['gfce-themes/e'],
              countries: ['PA'],
              audiences: ['national_csirt'],
              status: r.status,
              reviewers: r.reviewer === null ? [] : [ids.personIds[r.reviewer]!],
              tlp,
              pap: 'GREEN',
              author_id: ids.personIds[r.author]!,
              author_org_id: ids.orgIds[w.people[r.author]!.org]!,
              audience_organisations: tlp === 'AMBER' || tlp === 'AMBER+STRICT' ? r.mark.orgs.map((o) => ids.orgIds[o]!) : [],
              audience_communities: tlp === 'AMBER' ? r.mark.comms.map((k) => ids.commIds[k]!) : [],
              audience_people: tlp === 'RED' ? r.mark.people.map((p) => ids.personIds[p]!) : [],
            })
            .execute();
          const file = newId();
          await t.db.insertInto('knowledge_attachments').values({ id: file, item_id: id, file_name: 'a.pdf', content_type: 'application/pdf', size_bytes: 9, content: Buffer.from('%PDF-1.4\n') }).execute();
          const stored: Mark = { tlp, orgs: tlp === 'AMBER' || tlp === 'AMBER+STRICT' ? r.mark.orgs : [], comms: tlp === 'AMBER' ? r.mark.comms : [], people: tlp === 'RED' ? r.mark.people : [] };
          made.push({ id, file, spec: { ...r, mark: stored } });
        }
        // Independent of the code under test: the TLP table, then the workflow in words.
        const oracle = (v: number | null, m: (typeof made)[number]) =>
          tlpOracle(w, v, m.spec.author, m.spec.mark) &&
          (m.spec.status === 'published' || (v !== null && w.people[v]!.org === w.people[m.spec.author]!.org) || (m.spec.status === 'in_review' && v !== null && v === m.spec.reviewer));
        for (const v of [null, ...w.people.keys()]) {
          let get: (url: string) => Promise<{ statusCode: number; body: string; json: () => unknown }>;
          if (v === null) get = anonymous;
          else {
            const s = await createSession(t.db, ids.personIds[v]!, t.deps.config.session, {});
            const client = clientFor(t.app, `puente_session=${s.id}`, s.csrfToken);
            get = (url) => client.get(url);
          }
          const allowed = made.filter((m) => oracle(v, m)).map((m) => m.id).sort();
          seen += allowed.length;
          for (const lang of ['en', 'es']) {
            const res = (await get(`/api/v1/knowledge?q=${word}&lang=${lang}&limit=100`)).json() as { items: { id: string; snippet: { text: string }[] }[]; counts: { byType: Record<string, number> } };
            expect({ v, lang, listed: res.items.map((i) => i.id).sort() }).toEqual({ v, lang, listed: allowed });
            const counted = Object.values(res.counts.byType).reduce((a, b) => a + b, 0);
            expect({ v, counted }).toEqual({ v, counted: allowed.length });
            // Snippets come from the items listed only: their numbers are theirs.
            for (const i of res.items) expect(i.snippet.map((s) => s.text).join('')).toContain(`alpha${made.findIndex((m) => m.id === i.id)}beta`);
          }
          const byConcept = (await get(`/api/v1/knowledge?concept=gfce-themes/e&country=PA&limit=100`)).json() as { items: { id: string }[] };
          expect({ v, concept: byConcept.items.map((i) => i.id).filter((x) => made.some((m) => m.id === x)).sort() }).toEqual({ v, concept: allowed });
          const tagged = (await get('/api/v1/vocabularies/gfce-themes/concepts/e/tagged?limit=200')).json() as { items: { id: string }[] };
          expect({ v, tagged: tagged.items.map((i) => i.id).filter((x) => made.some((m) => m.id === x)).sort() }).toEqual({ v, tagged: allowed });
          if (v !== null && w.orgs[w.people[v]!.org]!.approved && w.people[v]!.active !== false) {
            const rec = (await get('/api/v1/knowledge/recommended')).json() as { items: { id: string }[] };
            for (const x of rec.items.map((i) => i.id).filter((x) => made.some((m) => m.id === x))) expect({ v, rec: allowed.includes(x) }).toEqual({ v, rec: true });
          }
          if (v === null) {
            // The portal: its feed, its sitemap and its pages carry exactly what the public may read.
            const feed = (await anonymous('/feeds/practices.atom')).body;
            expect({ feed: made.filter((m) => feed.includes(`urn:uuid:${m.id}`)).map((m) => m.id).sort() }).toEqual({ feed: allowed });
            const map = (await anonymous('/sitemap.xml')).body;
            expect({ map: made.filter((m) => map.includes(`/practices/kn${run}-${made.indexOf(m)}-`)).map((m) => m.id).sort() }).toEqual({ map: allowed });
            for (const m of made) {
              const page = await anonymous(`/practices/kn${run}-${made.indexOf(m)}-${m.id.slice(-8)}`);
              expect({ id: m.id, page: page.statusCode, html: page.headers['content-type']?.toString().startsWith('text/html') ?? false }).toEqual({ id: m.id, page: oracle(null, m) ? 200 : 404, html: oracle(null, m) });
            }
          }
          for (const m of made) {
            const want = oracle(v, m) ? 200 : 404;
            expect({ v, id: m.id, one: (await get(`/api/v1/knowledge/${m.id}`)).statusCode }).toEqual({ v, id: m.id, one: want });
            expect({ v, id: m.id, file: (await get(`/api/v1/knowledge-attachments/${m.file}`)).statusCode }).toEqual({ v, id: m.id, file: want });
          }
        }
      }),
      { numRuns: 20 },
    );
    expect(seen).toBeGreaterThan(10);
  }, 400_000);
});
