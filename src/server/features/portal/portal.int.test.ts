import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, makeOrganisation, makePerson, type Client, type TestApp } from '../../test/harness.js';

const seed = fs.readFileSync(path.join(path.dirname(new URL(import.meta.url).pathname), '../records/data/santo-domingo-2024.md'), 'utf8');
const xmllint = spawnSync('sh', ['-c', 'command -v xmllint']).stdout.toString().trim();

let t: TestApp;
let member: Client;
let secretariat: Client;
beforeAll(async () => {
  t = await createTestApp();
  const org = await makeOrganisation(t.db, { country: 'DO' });
  const sec = await makeOrganisation(t.db, { country: 'BE' });
  member = await login(t.app, (await makePerson(t.db, org)).email);
  secretariat = await login(t.app, (await makePerson(t.db, sec, { roles: ['member', 'secretariat'] })).email);
});
afterAll(async () => t?.close());

async function record(title: string, tlp: string, steps: ('propose' | 'publish')[]) {
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/v1/records/import?tlp=${encodeURIComponent(tlp)}`,
    headers: { cookie: member.cookie, 'x-csrf-token': member.csrf, 'content-type': 'text/markdown' },
    payload: seed.replace('EU-LAC Digital Alliance Enhances Cybersecurity Cooperation', title),
  });
  expect(res.statusCode, res.body).toBe(201);
  const { id, slug } = res.json() as { id: string; slug: string };
  if (steps.includes('propose')) await member.post(`/api/v1/records/${id}/propose`);
  if (steps.includes('publish')) await secretariat.post(`/api/v1/records/${id}/publish`);
  return { id, slug };
}

/** Well-formed by an independent parser, and by libxml2 when it is installed. */
function wellFormed(xml: string) {
  expect(XMLValidator.validate(xml)).toBe(true);
  if (!xmllint) return;
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'xml-')), 'doc.xml');
  fs.writeFileSync(file, xml);
  const r = spawnSync(xmllint, ['--noout', file]);
  expect(r.stderr.toString()).toBe('');
  expect(r.status).toBe(0);
}

describe('the public portal’s sitemap and feed', () => {
  it('list exactly the published records anyone may read, as well-formed XML that keeps every character of their text', async () => {
    const open = await record('Open <dialogue> & "minutes" \u0001 — día', 'CLEAR', ['propose', 'publish']);
    const green = await record('Members only record', 'GREEN', ['propose', 'publish']);
    const draft = await record('Draft record', 'CLEAR', []);
    const proposed = await record('Proposed record', 'CLEAR', ['propose']);

    const feedRes = await t.app.inject({ method: 'GET', url: '/feeds/records.atom' });
    expect(feedRes.headers['content-type']).toMatch(/^application\/atom\+xml/);
    wellFormed(feedRes.body);
    const feed = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'entry' || name === 'link' }).parse(feedRes.body).feed as {
      entry?: { id: string; title: { '#text': string }; link: { '@_href': string }[] }[];
    };
    const ids = (feed.entry ?? []).map((e) => e.id);
    expect(ids).toContain(`urn:uuid:${open.id}`);
    for (const hidden of [green, draft, proposed]) expect(ids).not.toContain(`urn:uuid:${hidden.id}`);
    const entry = feed.entry!.find((e) => e.id === `urn:uuid:${open.id}`)!;
    expect(entry.title['#text']).toBe('Open <dialogue> & "minutes"  — día');
    expect(entry.link.map((l) => l['@_href'])).toContain(`${t.deps.config.baseUrl}/records/${open.slug}`);
    // The same set as the public list, which is property-tested against the oracle.
    const publicList = (await t.app.inject({ method: 'GET', url: '/api/v1/records?status=published&limit=200' })).json() as { items: { id: string }[] };
    expect([...ids].sort()).toEqual(publicList.items.map((i) => `urn:uuid:${i.id}`).sort());

    const mapRes = await t.app.inject({ method: 'GET', url: '/sitemap.xml' });
    wellFormed(mapRes.body);
    const locs = (new XMLParser({ isArray: (name) => name === 'url' }).parse(mapRes.body).urlset.url as { loc: string }[]).map((u) => u.loc);
    expect(locs).toContain(`${t.deps.config.baseUrl}/records/${open.slug}`);
    for (const hidden of [green, draft, proposed]) expect(locs).not.toContain(`${t.deps.config.baseUrl}/records/${hidden.slug}`);
    expect(locs).toContain(`${t.deps.config.baseUrl}/vocabularies/un-norms-2015`);
    expect(locs).toContain(`${t.deps.config.baseUrl}/records`);
  });

  it('serves a published CLEAR good practice as HTML to a visitor: its language or the source with a note, hreflang and canonical links, schema.org JSON-LD, every value escaped', async () => {
    const reviewer = await login(t.app, (await makePerson(t.db, await makeOrganisation(t.db, { country: 'ES' }))).email);
    const reviewerId = ((await reviewer.get('/api/v1/me')).json() as { id: string }).id;
    const created = await member.post('/api/v1/knowledge', {
      type: 'guide',
      language: 'es',
      tlp: 'CLEAR',
      title: 'Guía <script>alert(1)</script> & "CSIRT"',
      summary: 'Cómo preparar </script><script>alert(2)</script> un ejercicio',
      body: '## Pasos\n\n1. Planificar\n\n<img src=x onerror=alert(3)>',
      concepts: ['un-norms-2015/c'],
      countries: ['DO'],
      licence: 'CC-BY-4.0',
    });
    expect(created.statusCode, created.body).toBe(201);
    const item = created.json() as { id: string; slug: string };
    await member.put(`/api/v1/knowledge/${item.id}/translations/en`, { title: 'Exercise guide', summary: 'How to prepare an exercise', body: '## Steps', machine: true });
    const page = (url: string, lang?: string) => t.app.inject({ method: 'GET', url, headers: lang ? { 'accept-language': lang } : {} });
    // Not published: no page (the web app answers instead).
    expect((await page(`/practices/${item.slug}`)).statusCode).toBe(404);
    await member.post(`/api/v1/knowledge/${item.id}/review-request`, { reviewers: [reviewerId] });
    await reviewer.post(`/api/v1/knowledge/${item.id}/reviews`, { decision: 'approved' });
    expect((await member.post(`/api/v1/knowledge/${item.id}/publish`)).statusCode).toBe(200);

    const es = await page(`/practices/${item.slug}`, 'es-ES,es;q=0.9');
    expect(es.statusCode).toBe(200);
    expect(es.headers['content-type']).toMatch(/^text\/html/);
    expect(es.headers.vary).toMatch(/accept-language/);
    const base = t.deps.config.baseUrl;
    expect(es.body).toContain('<html lang="es">');
    expect(es.body).toContain('<article lang="es">');
    expect(es.body).toContain(`<link rel="canonical" href="${base}/practices/${item.slug}?lang=es">`);
    expect(es.body).toContain(`<link rel="alternate" hreflang="en" href="${base}/practices/${item.slug}?lang=en">`);
    expect(es.body).toContain(`<link rel="alternate" hreflang="x-default" href="${base}/practices/${item.slug}">`);
    // Nothing the writer typed becomes markup.
    expect(es.body).not.toMatch(/<script>alert|<img|<[^>]*onerror=/);
    expect(es.body).toContain('Guía &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;CSIRT&quot;');
    const ld = [...es.body.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)];
    expect(ld).toHaveLength(1);
    const data = JSON.parse(ld[0]![1]!) as Record<string, unknown>;
    expect(data).toMatchObject({ '@context': 'https://schema.org', '@type': 'Article', inLanguage: 'es', license: 'https://spdx.org/licenses/CC-BY-4.0.html', headline: 'Guía <script>alert(1)</script> & "CSIRT"' });
    expect(data.workTranslation).toEqual([{ '@type': 'Article', inLanguage: 'en', url: `${base}/practices/${item.slug}?lang=en` }]);
    // The English version, labelled as a machine's; a French reader gets the source with a note, in French.
    const en = await page(`/practices/${item.slug}?lang=en`);
    expect(en.body).toContain('<article lang="en">');
    expect(en.body).toContain('This version was translated by a machine.');
    const fr = await page(`/practices/${item.slug}`, 'fr');
    expect(fr.body).toContain('<html lang="fr">');
    expect(fr.body).toMatch(/Pas encore traduit en français — affiché en (espagnol|anglais)/);
    // Compressed for a slow line when the client takes it.
    expect((await t.app.inject({ method: 'GET', url: `/practices/${item.slug}`, headers: { 'accept-encoding': 'br' } })).headers['content-encoding']).toBe('br');
    // A member gets the web app at the same address (here, without a built app: the not-found answer).
    expect((await member.get(`/practices/${item.slug}`)).body).not.toContain('<article');
    // In the feed with its language versions, and in the sitemap.
    const feed = (await page('/feeds/practices.atom')).body;
    wellFormed(feed);
    expect(feed).toContain(`hreflang="en" href="${base}/practices/${item.slug}?lang=en"`);
    expect((await page('/sitemap.xml')).body).toContain(`${base}/practices/${item.slug}`);
  });

  it('serves a published CLEAR activity record as HTML, with its commitments, and nothing that is not', async () => {
    const open = await record('Dialogue on norms', 'CLEAR', ['propose', 'publish']);
    const green = await record('Members-only dialogue', 'GREEN', ['propose', 'publish']);
    const res = await t.app.inject({ method: 'GET', url: `/records/${open.slug}` });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h1>Dialogue on norms</h1>');
    const data = JSON.parse(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(res.body)![1]!) as Record<string, unknown>;
    expect(data).toMatchObject({ '@type': 'Event', name: 'Dialogue on norms', startDate: '2024-02-14' });
    expect((await t.app.inject({ method: 'GET', url: `/records/${green.slug}` })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/records/import' })).statusCode).toBe(404);
  });

  it('serves a country page as HTML with only what is published for everyone, and lists every country in the sitemap', async () => {
    const org = await makeOrganisation(t.db, { country: 'UY' });
    const fpPerson = await makePerson(t.db, org);
    await t.db.insertInto('country_focal_points').values({ country_code: 'UY', person_id: fpPerson.id, added_by: null }).execute();
    const fp = await login(t.app, fpPerson.email);
    const open = await fp.post('/api/v1/countries/UY/priorities', { title: 'Ratificar el Convenio de Budapest <pronto>', body: 'Párrafo uno.\n\nPárrafo dos.', language: 'es', tlp: 'CLEAR', concepts: ['gfce-themes/c'] });
    expect(open.statusCode, open.body).toBe(201);
    const hidden = await fp.post('/api/v1/countries/UY/priorities', { title: 'Prioridad reservada', body: 'Solo para miembros.', language: 'es', tlp: 'GREEN' });
    expect(hidden.statusCode, hidden.body).toBe(201);
    const res = await t.app.inject({ method: 'GET', url: '/countries/UY', headers: { 'accept-language': 'es' } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h1>Uruguay</h1>');
    expect(res.body).toContain('Ratificar el Convenio de Budapest &lt;pronto&gt;');
    expect(res.body).not.toContain('Prioridad reservada');
    expect(JSON.parse(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(res.body)![1]!)).toMatchObject({ '@type': 'WebPage', about: { '@type': 'Country', identifier: 'UY' } });
    expect((await t.app.inject({ method: 'GET', url: '/countries/ZZ' })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/countries/compare' })).statusCode).toBe(404);
    const locs = (await t.app.inject({ method: 'GET', url: '/sitemap.xml' })).body;
    expect((locs.match(/\/countries\/[A-Z]{2}</g) ?? []).length).toBe(60);
  });

  it('serves the vocabularies as HTML — the schemes, a scheme as a tree with what is published under each concept, a concept with what carries it — and nothing that is not CLEAR', async () => {
    const reviewer = await login(t.app, (await makePerson(t.db, await makeOrganisation(t.db, { country: 'FR' }))).email);
    const reviewerId = ((await reviewer.get('/api/v1/me')).json() as { id: string }).id;
    const publish = async (title: string, tlp: string) => {
      const made = (await member.post('/api/v1/knowledge', { type: 'guide', language: 'en', tlp, title, concepts: ['un-norms-2015/k'] })).json() as { id: string };
      await member.post(`/api/v1/knowledge/${made.id}/review-request`, { reviewers: [reviewerId] });
      await reviewer.post(`/api/v1/knowledge/${made.id}/reviews`, { decision: 'approved' });
      expect((await member.post(`/api/v1/knowledge/${made.id}/publish`)).statusCode).toBe(200);
    };
    await publish('Protecting emergency response teams', 'CLEAR');
    await publish('Members-only note on CERT protection', 'GREEN');
    const get = (url: string) => t.app.inject({ method: 'GET', url, headers: { 'accept-language': 'fr' } });
    const list = await get('/vocabularies');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('<html lang="fr">');
    expect(list.body).toContain('href="/vocabularies/un-norms-2015"');
    const scheme = await get('/vocabularies/un-norms-2015');
    expect(scheme.body).toMatch(/13\(k\) — [^<]+<\/a> <small>\(publié : 1\)<\/small>/);
    const concept = await get('/vocabularies/un-norms-2015/k');
    expect(concept.body).toContain('Protecting emergency response teams');
    expect(concept.body).not.toContain('Members-only note');
    expect(JSON.parse(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(concept.body)![1]!)).toMatchObject({ '@type': 'DefinedTerm', termCode: '13(k)' });
    expect((await get('/vocabularies/no-such-scheme')).statusCode).toBe(404);
    expect((await get('/vocabularies/un-norms-2015/zz')).statusCode).toBe(404);
  });
});
