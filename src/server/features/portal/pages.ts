import { isUiLanguage, regionNames, t, type UiLanguage } from '../../platform/i18n.js';
import type { Actor } from '../../platform/actor.js';
import { conceptLabels, type TaggedItem } from '../../platform/concepts.js';
import type { Platform } from '../../platform/deps.js';
import type { Feature } from '../../platform/feature.js';
import { AppError } from '../../platform/errors.js';
import { canonicalTag, sameLanguage } from '../../platform/translations.js';
import { EU_INSTRUMENTS } from '#shared/countries';
import { countryPage } from '../countries/service.js';
import { getKnowledge } from '../knowledge/service.js';
import { getRecord } from '../records/service.js';
import { listConcepts, listVocabularies } from '../vocabularies/service.js';
import { html, jsonLd, trusted, type SafeHtml } from './html.js';

/**
 * The public portal's pages as HTML from the server: what a visitor without an account opens from
 * a search engine, a feed or a link, readable at once on a slow phone — no script needed, a few
 * kilobytes. Only what anyone may read is rendered: the pages read through the same services
 * as the API, as an actor without a principal, so the policy decides. Signed-in people get the
 * web app at the same addresses (routes.ts).
 */

/** The language of the page's own words: the first of the reader's languages the platform speaks. */
export function chromeLanguage(actor: Actor, explicit?: string): UiLanguage {
  for (const tag of [explicit, ...actor.readerLanguages]) {
    const primary = canonicalTag(tag)?.split('-')[0];
    if (primary && isUiLanguage(primary)) return primary;
  }
  return 'en';
}

export const languageName = (lang: string, tag: string) => {
  try {
    return new Intl.DisplayNames([lang], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
};
export const countryName = (lang: UiLanguage, code: string) => regionNames(lang)(code);
export const dateText = (lang: string, iso: string) => new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${iso.slice(0, 10)}T00:00:00Z`));

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1b1e;background:#fff;overflow-wrap:break-word}
a{color:#1c5fb8}
.skip{position:absolute;left:-9999px}.skip:focus{left:8px;top:8px;background:#fff;padding:4px 8px}
header{border-bottom:1px solid #dee2e6;padding:10px 16px}
header nav{display:flex;flex-wrap:wrap;gap:4px 16px;align-items:center;max-width:860px;margin:0 auto}
header .brand{font-weight:700;color:#1a1b1e;text-decoration:none;margin-right:auto}
header .links{display:flex;flex-wrap:wrap;gap:4px 16px}
header .menu{display:none}header .menu summary{cursor:pointer;padding:4px 8px;border:1px solid #ced4da;border-radius:4px}
header .menu span{display:flex;flex-direction:column;gap:8px;padding:8px 0}
@media (max-width:700px){header .links{display:none}header .menu{display:block}}
main{max-width:860px;margin:0 auto;padding:16px}
h1{font-size:1.7rem;line-height:1.25;margin:.3em 0 .4em}
h2{font-size:1.2rem;margin:1.6em 0 .4em}
.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:0 0 12px;font-size:.95rem}
.meta dt{color:#495057}.meta dd{margin:0;min-width:0;overflow-wrap:anywhere}
@media (max-width:520px){.meta{display:block}.meta dt{margin-top:6px}}
.tlp{display:inline-block;font:600 .8rem/1.6 monospace;background:#000;color:#fff;padding:0 6px;border-radius:3px}
.note{background:#f1f3f5;border-left:4px solid #868e96;padding:8px 12px;margin:8px 0}
.versions{font-size:.95rem}
.chips{display:flex;flex-wrap:wrap;gap:6px;padding:0;list-style:none;margin:0}
.chips li{border:1px solid #ced4da;border-radius:12px;padding:0 10px;font-size:.9rem}
article pre{overflow-x:auto}article table{display:block;overflow-x:auto}
footer{max-width:860px;margin:24px auto;padding:12px 16px;border-top:1px solid #dee2e6;font-size:.9rem;color:#495057}
`;

export interface Alternate {
  hreflang: string;
  href: string;
}

export function document(o: {
  lang: UiLanguage;
  contentLang: string;
  title: string;
  description: string;
  canonical: string;
  alternates: Alternate[];
  data: unknown;
  appPath: string;
  body: SafeHtml;
}): string {
  const nav = (path: string, key: string) => html`<a href="${path}">${t(o.lang, `portal.nav.${key}`)}</a>`;
  const links = html`${nav('/practices', 'library')} ${nav('/offers', 'offers')} ${nav('/records', 'records')} ${nav('/countries', 'countries')} ${nav('/roadmap', 'roadmap')} ${nav('/vocabularies', 'vocabularies')} ${nav(`/sign-in?next=${encodeURIComponent(o.appPath)}`, 'signIn')}`;
  return html`<!doctype html>
<html lang="${o.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<link rel="icon" href="data:,">
<title>${o.title} — Puente</title>
<meta name="description" content="${o.description.slice(0, 300)}">
<link rel="canonical" href="${o.canonical}">
${o.alternates.map((a) => html`<link rel="alternate" hreflang="${a.hreflang}" href="${a.href}">\n`)}<meta property="og:title" content="${o.title}">
<meta property="og:description" content="${o.description.slice(0, 300)}">
<meta property="og:url" content="${o.canonical}">
<meta property="og:type" content="article">
<meta property="og:site_name" content="Puente">
<style>${trusted(STYLE)}</style>
${jsonLd(o.data)}
</head>
<body>
<a class="skip" href="#content">${t(o.lang, 'portal.skip')}</a>
<header><nav aria-label="Puente">
<a class="brand" href="/">${t(o.lang, 'portal.siteName')}</a>
<span class="links">${links}</span>
<details class="menu"><summary>${t(o.lang, 'portal.nav.menu')}</summary><span>${links}</span></details>
</nav></header>
<main id="content">
${o.body}
</main>
<footer><p><span class="tlp">TLP:CLEAR</span> ${t(o.lang, 'portal.clear')}</p></footer>
</body>
</html>
`.value;
}

export function meta(rows: [string, SafeHtml | string | null | undefined][]) {
  const shown = rows.filter(([, v]) => v !== null && v !== undefined && v !== '');
  return html`<dl class="meta">${shown.map(([k, v]) => html`<dt>${k}</dt><dd>${v!}</dd>`)}</dl>`;
}

const notFound = (e: unknown) => e instanceof AppError && e.code === 'NOT_FOUND';

/** `/practices/{slug}`: a published CLEAR item of the library, in the reader's language or `lang`. */
export async function practicePage(p: Platform, actor: Actor, slug: string, lang?: string): Promise<string | null> {
  const wanted = lang && canonicalTag(lang) ? canonicalTag(lang)! : undefined;
  let item: Awaited<ReturnType<typeof getKnowledge>>;
  try {
    item = await getKnowledge(p, actor, slug, wanted);
  } catch (e) {
    if (notFound(e)) return null;
    throw e;
  }
  // Only what is published reaches the portal (an anonymous reader sees nothing else anyway).
  if (item.status !== 'published' || item.tlp !== 'CLEAR') return null;
  const ui = chromeLanguage(actor, wanted);
  const base = p.config.baseUrl;
  const path = `/practices/${item.slug}`;
  const info = item.translation;
  const labels = await conceptLabels(p.db, item.concepts);
  const label = (tag: string) => {
    const l = labels.get(tag) ?? {};
    return l[ui] ?? l.en ?? tag;
  };
  const alternates: Alternate[] = [
    ...info.versions.map((v) => ({ hreflang: v.language, href: `${base}${path}?lang=${encodeURIComponent(v.language)}` })),
    { hreflang: 'x-default', href: `${base}${path}` },
  ];
  const wantedName = languageName(ui, wanted ?? ui);
  const body = html`<article lang="${info.shown}">
<p><span class="tlp">TLP:CLEAR</span> ${t(ui, `portal.types.${item.type}`)}</p>
<h1>${item.title}</h1>
${info.fallback ? html`<p class="note" lang="${ui}">${t(ui, 'portal.notTranslated', { wanted: wantedName, shown: languageName(ui, info.shown) })}</p>` : ''}
${info.machine ? html`<p class="note" lang="${ui}">${t(ui, 'portal.machineNote')}</p>` : ''}
${info.outdated ? html`<p class="note" lang="${ui}">${t(ui, 'portal.outdatedNote')}</p>` : ''}
${
  info.versions.length > 1
    ? html`<p class="versions" lang="${ui}">${t(ui, 'portal.versions')} ${info.versions.map(
        (v, i) =>
          html`${i ? ' · ' : ''}${
            sameLanguage(v.language, info.shown) ? html`<strong lang="${v.language}">${languageName(v.language, v.language)}</strong>` : html`<a href="${path}?lang=${encodeURIComponent(v.language)}" hreflang="${v.language}" lang="${v.language}">${languageName(v.language, v.language)}</a>`
          }${v.source ? ` (${t(ui, 'portal.original')})` : v.machine ? ` (${t(ui, 'portal.machine')})` : v.outdated ? ` (${t(ui, 'portal.outdatedShort')})` : ''}`,
      )}</p>`
    : ''
}
<div lang="${ui}">${meta([
    [t(ui, 'portal.fields.organisation'), html`<a href="/organisations/${item.organisation.id}">${item.organisation.name}</a>`],
    [t(ui, 'portal.fields.coAuthors'), item.coAuthors.length ? item.coAuthors.map((o) => o.name).join(', ') : null],
    [t(ui, 'portal.fields.countries'), item.countries.length ? item.countries.map((c) => countryName(ui, c)).join(', ') : null],
    [t(ui, 'portal.fields.date'), item.date ? dateText(ui, item.date) : null],
    [t(ui, 'portal.fields.audiences'), item.audiences.length ? item.audiences.map((a) => t(ui, `portal.audiences.${a}`)).join(', ') : null],
    [t(ui, 'portal.fields.licence'), item.licence ? (item.licence.startsWith('LicenseRef-') ? item.licence : html`<a href="https://spdx.org/licenses/${item.licence}.html" rel="license">${item.licence}</a>`) : null],
    [t(ui, 'portal.fields.attribution'), item.attribution || null],
    [t(ui, 'portal.fields.source'), item.sourceUrl ? html`<a href="${item.sourceUrl}" rel="noopener noreferrer nofollow">${new URL(item.sourceUrl).host}</a>` : null],
    [t(ui, 'portal.fields.updated'), dateText(ui, item.updatedAt)],
  ])}
${item.concepts.length ? html`<h2>${t(ui, 'portal.fields.concepts')}</h2><ul class="chips">${item.concepts.map((c) => html`<li><a href="/vocabularies/${c}">${label(c)}</a></li>`)}</ul>` : ''}</div>
${item.summary ? html`<h2 lang="${ui}">${t(ui, 'portal.fields.summary')}</h2><p>${item.summary}</p>` : ''}
${trusted(item.bodyHtml)}
${item.evidence ? html`<h2 lang="${ui}">${t(ui, 'portal.fields.evidence')}</h2><p>${item.evidence}</p>` : ''}
${item.outcome ? html`<h2 lang="${ui}">${t(ui, 'portal.fields.outcome')}</h2><p>${item.outcome}</p>` : ''}
${
  item.attachments.length
    ? html`<h2 lang="${ui}">${t(ui, 'portal.fields.attachments')}</h2><ul>${item.attachments.map((a) => html`<li><a href="/api/v1/knowledge-attachments/${a.id}" download>${a.fileName}</a> (${Math.max(1, Math.round(a.size / 1024))} KB)</li>`)}</ul>`
    : ''
}
${
  item.related.length
    ? html`<h2 lang="${ui}">${t(ui, 'portal.fields.related')}</h2><ul>${item.related.map((r) => html`<li><a href="/practices/${r.slug}" lang="${r.translation.shown}">${r.title}</a> <span lang="${ui}">(${t(ui, `portal.types.${r.type}`)})</span></li>`)}</ul>`
    : ''
}
</article>`;
  const data = {
    '@context': 'https://schema.org',
    '@type': 'Article',
    '@id': `${base}${path}`,
    url: `${base}${path}`,
    headline: item.title,
    description: item.summary || undefined,
    inLanguage: info.shown,
    genre: t('en', `portal.types.${item.type}`),
    datePublished: item.publishedAt ?? undefined,
    dateModified: item.updatedAt,
    author: [{ '@type': 'Organization', name: item.organisation.name, url: `${base}/organisations/${item.organisation.id}` }, ...item.coAuthors.map((o) => ({ '@type': 'Organization', name: o.name }))],
    publisher: { '@type': 'Organization', name: 'EU-LAC Digital Alliance — Puente', url: base },
    license: item.licence && !item.licence.startsWith('LicenseRef-') ? `https://spdx.org/licenses/${item.licence}.html` : undefined,
    isBasedOn: item.sourceUrl ?? undefined,
    keywords: item.concepts.map((c) => label(c)).join(', ') || undefined,
    spatialCoverage: item.countries.map((c) => ({ '@type': 'Country', name: countryName('en', c), identifier: c })),
    workTranslation: info.versions.filter((v) => !sameLanguage(v.language, info.shown)).map((v) => ({ '@type': 'Article', inLanguage: v.language, url: `${base}${path}?lang=${encodeURIComponent(v.language)}` })),
  };
  return document({
    lang: ui,
    contentLang: info.shown,
    title: item.title,
    description: item.summary || t(ui, `portal.types.${item.type}`),
    canonical: `${base}${path}?lang=${encodeURIComponent(info.shown)}`,
    alternates,
    data,
    appPath: path,
    body,
  });
}

/** `/records/{slug}`: a published CLEAR activity record, in the shape the alliance publishes them. */
export async function recordPage(p: Platform, actor: Actor, slug: string, lang?: string): Promise<string | null> {
  let r: Awaited<ReturnType<typeof getRecord>>;
  try {
    r = await getRecord(p, actor, slug);
  } catch (e) {
    if (notFound(e)) return null;
    throw e;
  }
  if (r.status !== 'published' || r.tlp !== 'CLEAR') return null;
  const ui = chromeLanguage(actor, lang);
  const base = p.config.baseUrl;
  const path = `/records/${r.slug}`;
  const when = r.endDate ? `${dateText(ui, r.date)} – ${dateText(ui, r.endDate)}` : dateText(ui, r.date);
  const body = html`<article lang="${r.language}">
<p lang="${ui}"><span class="tlp">TLP:CLEAR</span> ${t(ui, 'portal.nav.records')}</p>
<h1>${r.title}</h1>
<div lang="${ui}">${meta([
    [t(ui, 'portal.fields.date'), when],
    [t(ui, 'portal.fields.location'), html`<span lang="${r.language}">${r.location}</span>`],
    [t(ui, 'portal.fields.organisation'), r.organisation.name],
  ])}</div>
<h2 lang="${ui}">${t(ui, 'portal.fields.summary')}</h2>
${r.summary.split(/\n{2,}/).map((para) => html`<p>${para}</p>`)}
${r.characteristics.length ? html`<h2 lang="${ui}">${t(ui, 'portal.fields.characteristics')}</h2><ul>${r.characteristics.map((c) => html`<li>${c}</li>`)}</ul>` : ''}
${r.actors.length ? html`<h2 lang="${ui}">${t(ui, 'portal.fields.actors')}</h2><dl class="meta">${r.actors.map((a) => html`<dt>${a.category}</dt><dd>${a.actors.join(', ')}</dd>`)}</dl>` : ''}
${r.themes.length ? html`<h2 lang="${ui}">${t(ui, 'portal.fields.themes')}</h2><dl class="meta">${r.themes.map((a) => html`<dt>${a.category}</dt><dd>${a.subcategory}</dd>`)}</dl>` : ''}
${r.applications.length ? html`<h2 lang="${ui}">${t(ui, 'portal.fields.applications')}</h2><ul>${r.applications.map((c) => html`<li>${c}</li>`)}</ul>` : ''}
<h2 lang="${ui}">${t(ui, 'portal.fields.commitments')}</h2>
${
  r.commitments.length
    ? html`<ul>${r.commitments.map(
        (c) =>
          html`<li>${c.text} <span lang="${ui}">(${[t(ui, `portal.statuses.${c.status}`), c.due ? t(ui, 'portal.fields.due', { date: dateText(ui, c.due) }) : '', t(ui, 'portal.fields.progress', { percent: String(c.progress) })].filter(Boolean).join(', ')})</span></li>`,
      )}</ul>`
    : html`<p lang="${ui}">${t(ui, 'portal.fields.noCommitments')}</p>`
}
<p lang="${ui}"><a href="/api/v1/records/${r.id}/markdown" type="text/markdown" download>${t(ui, 'portal.fields.markdown')}</a></p>
</article>`;
  const data = {
    '@context': 'https://schema.org',
    '@type': 'Event',
    '@id': `${base}${path}`,
    url: `${base}${path}`,
    name: r.title,
    description: r.summary,
    inLanguage: r.language,
    startDate: r.date,
    endDate: r.endDate ?? r.date,
    eventStatus: 'https://schema.org/EventScheduled',
    location: { '@type': 'Place', name: r.location },
    organizer: { '@type': 'Organization', name: r.organisation.name, url: `${base}/organisations/${r.organisation.id}` },
    keywords: r.themes.map((x) => x.subcategory).join(', ') || undefined,
  };
  return document({
    lang: ui,
    contentLang: r.language,
    title: r.title,
    description: r.summary,
    canonical: `${base}${path}`,
    alternates: [
      { hreflang: r.language, href: `${base}${path}` },
      { hreflang: 'x-default', href: `${base}${path}` },
    ],
    data,
    appPath: path,
    body,
  });
}

/**
 * `/countries/{iso2}`: a member state's public part — its national strategy, agency, CSIRT and
 * ministry as the directory lists them, and the priorities and instruments published for everyone
 * (CLEAR), each in the reader's language where it exists.
 */
export async function countryPortalPage(p: Platform, actor: Actor, iso2: string, lang?: string): Promise<string | null> {
  if (!/^[A-Za-z]{2}$/.test(iso2)) return null;
  let c: Awaited<ReturnType<typeof countryPage>>;
  try {
    c = await countryPage(p, actor, iso2.toUpperCase());
  } catch (e) {
    if (notFound(e)) return null;
    throw e;
  }
  const ui = chromeLanguage(actor, lang);
  const base = p.config.baseUrl;
  const path = `/countries/${c.code}`;
  const name = countryName(ui, c.code);
  const k = (key: string, vars?: Record<string, string>) => t(ui, `portal.country.${key}`, vars);
  const labels = await conceptLabels(p.db, [...new Set([...c.priorities.flatMap((x) => x.concepts), ...c.instruments.flatMap((x) => [...x.concepts, ...x.sectors.map((s) => `nis2-sectors/${s}`)])])]);
  const label = (tag: string) => {
    const l = labels.get(tag) ?? {};
    return l[ui] ?? l.en ?? tag;
  };
  const orgList = (orgs: { id: string; name: string }[]) =>
    orgs.length ? html`<ul>${orgs.map((o) => html`<li><a href="/organisations/${o.id}">${o.name}</a></li>`)}</ul>` : html`<p>${k('noneInDirectory')}</p>`;
  const clear = { priorities: c.priorities.filter((x) => x.tlp === 'CLEAR'), instruments: c.instruments.filter((x) => x.tlp === 'CLEAR') };
  const eu = (id: string) => EU_INSTRUMENTS.find((e) => e.id === id);
  const body = html`<article>
<h1>${name}</h1>
<p>${c.region === 'EU' ? 'EU' : 'LAC'} · ${c.subregion}</p>
<h2>${k('strategy')}</h2>
${c.strategy ? html`<p><span lang="${c.strategy.language}">${c.strategy.title}</span> (${String(c.strategy.year ?? '')}, ${k(`status.${c.strategy.status}`)})</p>` : html`<p>${k('noneInDirectory')}</p>`}
<h2>${k('mfa')}</h2>${orgList(c.directory.mfa)}
<h2>${k('agency')}</h2>${orgList(c.directory.agencies)}
<h2>${k('csirt')}</h2>${orgList(c.directory.csirts)}
<h2>${k('prioritiesTitle')}</h2>
${
  clear.priorities.length
    ? clear.priorities.map(
        (x) => html`<section lang="${x.language}"><h3>${x.title}</h3>${x.body.split(/\n{2,}/).map((para) => html`<p>${para}</p>`)}
<div lang="${ui}">${x.concepts.length ? html`<ul class="chips">${x.concepts.map((tag) => html`<li><a href="/vocabularies/${tag}">${label(tag)}</a></li>`)}</ul>` : ''}
${x.reviewDate ? html`<p>${k('reviewOn', { date: dateText(ui, x.reviewDate) })}</p>` : ''}</div></section>`,
      )
    : html`<p>${k('noPriorities')}</p>`
}
<h2>${k('instrumentsTitle')}</h2>
${
  clear.instruments.length
    ? clear.instruments.map(
        (x) => html`<section><h3 lang="${x.language}">${x.title}</h3>
${meta([
  [k('types.' + x.type), html`${k(`status.${x.status}`)}`],
  [k('eliLabel'), html`<code>${x.eli}</code>`],
  [k('authority'), x.authority || null],
  [k('sectors'), x.sectors.length ? x.sectors.map((s) => label(`nis2-sectors/${s}`)).join(', ') : null],
  [k('euLinks'), x.euLinks.length ? html`${x.euLinks.map((l, i) => html`${i ? '; ' : ''}${k(`relation.${l.relation}`)} <a href="${eu(l.instrument)?.url ?? '#'}">${eu(l.instrument)?.name ?? l.instrument}</a>`)}` : null],
  [k('timeline'), x.statusHistory.length ? x.statusHistory.map((s) => `${s.effectiveOn ? dateText(ui, s.effectiveOn) : '—'}: ${k(`status.${s.status}`)}`).join(' · ') : null],
])}
${x.summary ? html`<p lang="${x.language}">${x.summary}</p>` : ''}</section>`,
      )
    : html`<p>${k('noInstruments')}</p>`
}
<p class="note">${k('membersSeeMore')}</p>
</article>`;
  const data = {
    '@context': 'https://schema.org',
    '@type': 'WebPage',
    '@id': `${base}${path}`,
    url: `${base}${path}`,
    name: `${name} — Puente`,
    inLanguage: ui,
    about: { '@type': 'Country', name: countryName('en', c.code), identifier: c.code },
    hasPart: clear.instruments.map((x) => ({ '@type': 'Legislation', name: x.title, inLanguage: x.language, legislationIdentifier: x.eli, legislationJurisdiction: c.code, legislationLegalForce: x.status === 'in_force' ? 'InForce' : x.status === 'repealed' ? 'NotInForce' : undefined })),
  };
  return document({
    lang: ui,
    contentLang: ui,
    title: name,
    description: `${name}: ${k('strategy')}, ${k('prioritiesTitle')}, ${k('instrumentsTitle')}`,
    canonical: `${base}${path}?lang=${ui}`,
    alternates: [...(['en', 'es', 'pt', 'fr'] as const).map((l) => ({ hreflang: l, href: `${base}${path}?lang=${l}` })), { hreflang: 'x-default', href: `${base}${path}` }],
    data,
    appPath: path,
    body,
  });
}


// ---------- the vocabularies (and the charter, whose takeaways are one of them) ----------

const vocabAlternates = (base: string, path: string) => [...(['en', 'es', 'pt', 'fr'] as const).map((l) => ({ hreflang: l, href: `${base}${path}?lang=${l}` })), { hreflang: 'x-default', href: `${base}${path}` }];

/** `/vocabularies`: every concept scheme, labelled in the visitor's language. */
export async function vocabulariesPortalPage(p: Platform, actor: Actor, _slug: string, lang?: string): Promise<string | null> {
  const ui = chromeLanguage(actor, lang);
  const reader = { ...actor, readerLanguages: [ui] };
  const { items } = await listVocabularies(p, reader);
  const base = p.config.baseUrl;
  const v = (key: string, vars?: Record<string, string>) => t(ui, `portal.vocab.${key}`, vars);
  return document({
    lang: ui,
    contentLang: ui,
    title: t(ui, 'portal.nav.vocabularies'),
    description: v('intro'),
    canonical: `${base}/vocabularies?lang=${ui}`,
    alternates: vocabAlternates(base, '/vocabularies'),
    data: { '@context': 'https://schema.org', '@type': 'CollectionPage', url: `${base}/vocabularies`, name: t(ui, 'portal.nav.vocabularies'), inLanguage: ui, hasPart: items.map((s) => ({ '@type': 'DefinedTermSet', '@id': s.uri, name: s.label })) },
    appPath: '/vocabularies',
    body: html`<h1>${t(ui, 'portal.nav.vocabularies')}</h1><p>${v('intro')}</p>
<ul>${items.map((s) => html`<li><a href="/vocabularies/${s.id}" lang="${s.lang}">${s.label}</a> <small>(${v('concepts')}: ${String(s.concepts)})</small></li>`)}</ul>`,
  });
}

/** Everything a visitor may read that carries a concept, from every feature (Feature.tagged). */
async function publicTagged(p: Platform, actor: Actor, features: readonly Feature[], tag: string, limit: number): Promise<TaggedItem[]> {
  const out: TaggedItem[] = [];
  for (const f of features) if (f.tagged) out.push(...(await f.tagged(p, actor, tag, limit)));
  return out.filter((x) => x.tlp === 'CLEAR');
}

/**
 * `/vocabularies/{scheme}`: a scheme's concepts as a tree, in the visitor's language, each with how
 * many published, CLEAR things carry it — for the charter's takeaways, what exists under each.
 */
export async function schemePortalPage(p: Platform, actor: Actor, features: readonly Feature[], scheme: string, lang?: string): Promise<string | null> {
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(scheme)) return null;
  const ui = chromeLanguage(actor, lang);
  const reader = { ...actor, readerLanguages: [ui] };
  let data: Awaited<ReturnType<typeof listConcepts>>;
  try {
    data = await listConcepts(p, reader, scheme);
  } catch (e) {
    if (notFound(e)) return null;
    throw e;
  }
  const base = p.config.baseUrl;
  const v = (key: string, vars?: Record<string, string>) => t(ui, `portal.vocab.${key}`, vars);
  const counts = new Map<string, number>();
  for (const c of data.items) counts.set(c.id, (await publicTagged(p, actor, features, `${scheme}/${c.id}`, 200)).length);
  const children = (parent: string | null): SafeHtml => {
    const here = data.items.filter((c) => c.broader === parent);
    return here.length
      ? html`<ul>${here.map(
          (c) =>
            html`<li><a href="/vocabularies/${scheme}/${c.id}" lang="${c.lang}">${c.notation ? `${c.notation} — ` : ''}${c.prefLabel}</a>${counts.get(c.id) ? html` <small>(${v('taggedCount', { count: String(counts.get(c.id)) })})</small>` : ''}${children(c.id)}</li>`,
        )}</ul>`
      : html``;
  };
  const path = `/vocabularies/${scheme}`;
  return document({
    lang: ui,
    contentLang: ui,
    title: data.scheme.label,
    description: v('intro'),
    canonical: `${base}${path}?lang=${ui}`,
    alternates: vocabAlternates(base, path),
    data: {
      '@context': 'https://schema.org',
      '@type': 'DefinedTermSet',
      '@id': data.scheme.uri,
      url: `${base}${path}`,
      name: data.scheme.label,
      inLanguage: ui,
      hasDefinedTerm: data.items.map((c) => ({ '@type': 'DefinedTerm', '@id': c.uri, name: c.prefLabel, termCode: c.notation ?? c.id })),
    },
    appPath: path,
    body: html`<h1 lang="${data.scheme.lang}">${data.scheme.label}</h1>
<p>${v('source')}: ${data.scheme.source.url ? html`<a href="${data.scheme.source.url}" rel="noopener noreferrer">${data.scheme.source.title ?? data.scheme.source.url}</a>` : (data.scheme.source.title ?? '')}</p>
${children(null)}`,
  });
}

/** `/vocabularies/{scheme}/{concept}`: a concept, its definition and relations, and what is published for everyone under it. */
export async function conceptPortalPage(p: Platform, actor: Actor, features: readonly Feature[], scheme: string, concept: string, lang?: string): Promise<string | null> {
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(scheme) || !/^[a-z0-9][a-z0-9_-]{0,62}$/.test(concept)) return null;
  const ui = chromeLanguage(actor, lang);
  const reader = { ...actor, readerLanguages: [ui] };
  let data: Awaited<ReturnType<typeof listConcepts>>;
  try {
    data = await listConcepts(p, reader, scheme);
  } catch (e) {
    if (notFound(e)) return null;
    throw e;
  }
  const c = data.items.find((x) => x.id === concept);
  if (!c) return null;
  const base = p.config.baseUrl;
  const v = (key: string, vars?: Record<string, string>) => t(ui, `portal.vocab.${key}`, vars);
  const label = (id: string) => data.items.find((x) => x.id === id);
  const tagged = await publicTagged(p, actor, features, `${scheme}/${concept}`, 200);
  const path = `/vocabularies/${scheme}/${concept}`;
  const link = (id: string) => {
    const x = label(id);
    return x ? html`<a href="/vocabularies/${scheme}/${id}" lang="${x.lang}">${x.notation ? `${x.notation} — ` : ''}${x.prefLabel}</a>` : html``;
  };
  return document({
    lang: ui,
    contentLang: ui,
    title: c.prefLabel,
    description: c.definition?.text ?? data.scheme.label,
    canonical: `${base}${path}?lang=${ui}`,
    alternates: vocabAlternates(base, path),
    data: { '@context': 'https://schema.org', '@type': 'DefinedTerm', '@id': c.uri, url: `${base}${path}`, name: c.prefLabel, termCode: c.notation ?? c.id, description: c.definition?.text, inDefinedTermSet: data.scheme.uri },
    appPath: path,
    body: html`<h1 lang="${c.lang}">${c.notation ? `${c.notation} — ` : ''}${c.prefLabel}</h1>
<p>${v('inScheme')} <a href="/vocabularies/${scheme}" lang="${data.scheme.lang}">${data.scheme.label}</a></p>
${c.definition ? html`<p lang="${c.definition.lang}">${c.definition.text}${c.definition.lang.split('-')[0] !== ui ? html` <small lang="${ui}">${v('definitionLang', { language: languageName(ui, c.definition.lang) })}</small>` : ''}</p>` : ''}
${meta([
  [v('broader'), c.broader ? link(c.broader) : null],
  [v('narrower'), c.narrower.length ? html`${c.narrower.map((n, i) => html`${i ? ', ' : ''}${link(n)}`)}` : null],
])}
<h2>${v('tagged')}</h2>
${
  tagged.length
    ? html`<ul>${tagged.map((x) => html`<li><a href="${x.path}" lang="${x.lang}">${x.title}</a> <small>(${v(`kinds.${x.kind}`)}${x.date ? `, ${dateText(ui, x.date)}` : ''})</small></li>`)}</ul>`
    : html`<p>${v('noneTagged')}</p>`
}`,
  });
}
