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
});
