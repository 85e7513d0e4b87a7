import { systemActor, type Actor } from '../../platform/actor.js';
import type { Platform } from '../../platform/deps.js';
import { xmlAttr, xmlText } from '../../platform/xml.js';
import { listKnowledge } from '../knowledge/service.js';
import { publicOffers } from '../offers/service.js';
import { findOrganisations } from '../organisations/repository.js';
import { listRecords } from '../records/service.js';
import { listVocabularies } from '../vocabularies/service.js';

/**
 * The public portal's machine-readable parts. Everything here is read as the public reads it
 * (an actor without a principal): the policy decides what appears, so an entry exists only for
 * what anyone may open.
 */
const PUBLIC: Actor = systemActor(null);

/** The public pages of the web app that always exist. */
const STATIC_PAGES = ['/', '/practices', '/offers', '/records', '/commitments', '/countries', '/roadmap', '/organisations', '/vocabularies'];

/** Every record a visitor may read (the feed and the sitemap page through them all). */
async function publicRecords(p: Platform) {
  const out: Awaited<ReturnType<typeof listRecords>>['items'] = [];
  let cursor: string | undefined;
  do {
    const page = await listRecords(p, PUBLIC, { status: 'published', limit: 200, cursor });
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

/** Every library item a visitor may read, published, in the language it was written in. */
async function publicPractices(p: Platform) {
  const out: Awaited<ReturnType<typeof listKnowledge>>['items'] = [];
  let cursor: string | undefined;
  do {
    const page = await listKnowledge(p, PUBLIC, { status: 'published', limit: 100, cursor });
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

/** sitemaps.org 0.9: the public pages, each published record, vocabulary and member organisation. */
export async function sitemap(p: Platform): Promise<string> {
  const base = p.config.baseUrl;
  const urls: { loc: string; lastmod?: string }[] = STATIC_PAGES.map((path) => ({ loc: `${base}${path}` }));
  for (const r of await publicRecords(p)) urls.push({ loc: `${base}/records/${r.slug}`, lastmod: r.updatedAt.slice(0, 10) });
  for (const k of await publicPractices(p)) urls.push({ loc: `${base}/practices/${k.slug}`, lastmod: k.updatedAt.slice(0, 10) });
  for (const o of await publicOffers(p)) urls.push({ loc: `${base}/offers/${o.slug}`, lastmod: o.updatedAt.slice(0, 10) });
  for (const c of await p.db.selectFrom('countries').select('code').where('kind', '=', 'state').orderBy('code').execute()) urls.push({ loc: `${base}/countries/${c.code}` });
  for (const v of (await listVocabularies(p, PUBLIC)).items) urls.push({ loc: `${base}/vocabularies/${v.id}` });
  for (const o of await findOrganisations(p.db, { anyStatus: false })) urls.push({ loc: `${base}/organisations/${o.id}` });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ...urls.map((u) => `  <url><loc>${xmlText(u.loc)}</loc>${u.lastmod ? `<lastmod>${u.lastmod}</lastmod>` : ''}</url>`),
    '</urlset>',
    '',
  ].join('\n');
}

/** Atom (RFC 4287): the published records a visitor may read, newest activity first. */
export async function recordsFeed(p: Platform): Promise<string> {
  const base = p.config.baseUrl;
  const records = await publicRecords(p);
  const updated = records.reduce((max, r) => (r.updatedAt > max ? r.updatedAt : max), '1970-01-01T00:00:00.000Z');
  const entry = (r: (typeof records)[number]) =>
    [
      '  <entry>',
      `    <id>urn:uuid:${r.id}</id>`,
      `    <title xml:lang="${xmlAttr(r.language)}">${xmlText(r.title)}</title>`,
      `    <link rel="alternate" type="text/html" href="${xmlAttr(`${base}/records/${r.slug}`)}"/>`,
      `    <link rel="alternate" type="text/markdown" href="${xmlAttr(`${base}/api/v1/records/${r.id}/markdown`)}"/>`,
      `    <published>${r.publishedAt ?? r.updatedAt}</published>`,
      `    <updated>${r.updatedAt}</updated>`,
      `    <author><name>${xmlText(r.organisation.name)}</name></author>`,
      `    <summary type="text" xml:lang="${xmlAttr(r.language)}">${xmlText(r.summary)}</summary>`,
      '  </entry>',
    ].join('\n');
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${xmlText(`${base}/feeds/records.atom`)}</id>`,
    '  <title>Puente — EU-LAC Digital Alliance activity records</title>',
    `  <updated>${updated}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${xmlAttr(`${base}/feeds/records.atom`)}"/>`,
    `  <link rel="alternate" type="text/html" href="${xmlAttr(`${base}/records`)}"/>`,
    ...records.map(entry),
    '</feed>',
    '',
  ].join('\n');
}

/**
 * Atom (RFC 4287): the published library items a visitor may read, newest first, each in the
 * language it was written in, with a link to every other language version (hreflang).
 */
export async function practicesFeed(p: Platform): Promise<string> {
  const base = p.config.baseUrl;
  const items = await publicPractices(p);
  const updated = items.reduce((max, r) => (r.updatedAt > max ? r.updatedAt : max), '1970-01-01T00:00:00.000Z');
  const entry = (r: (typeof items)[number]) =>
    [
      '  <entry>',
      `    <id>urn:uuid:${r.id}</id>`,
      `    <title xml:lang="${xmlAttr(r.translation.shown)}">${xmlText(r.title)}</title>`,
      `    <link rel="alternate" type="text/html" href="${xmlAttr(`${base}/practices/${r.slug}`)}"/>`,
      ...r.translation.versions.map((v) => `    <link rel="alternate" type="text/html" hreflang="${xmlAttr(v.language)}" href="${xmlAttr(`${base}/practices/${r.slug}?lang=${encodeURIComponent(v.language)}`)}"/>`),
      `    <category term="${xmlAttr(r.type)}"/>`,
      ...r.concepts.map((c) => `    <category term="${xmlAttr(c)}" scheme="${xmlAttr(`${base}/vocabularies/${c.split('/')[0]}`)}"/>`),
      `    <published>${r.publishedAt ?? r.updatedAt}</published>`,
      `    <updated>${r.updatedAt}</updated>`,
      `    <author><name>${xmlText(r.organisation.name)}</name></author>`,
      r.summary ? `    <summary type="text" xml:lang="${xmlAttr(r.translation.shown)}">${xmlText(r.summary)}</summary>` : null,
      '  </entry>',
    ]
      .filter((x) => x !== null)
      .join('\n');
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${xmlText(`${base}/feeds/practices.atom`)}</id>`,
    '  <title>Puente — EU-LAC Digital Alliance good practices</title>',
    `  <updated>${updated}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${xmlAttr(`${base}/feeds/practices.atom`)}"/>`,
    `  <link rel="alternate" type="text/html" href="${xmlAttr(`${base}/practices`)}"/>`,
    ...items.map(entry),
    '</feed>',
    '',
  ].join('\n');
}
