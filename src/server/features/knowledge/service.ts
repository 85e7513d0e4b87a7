import { diffWordsWithSpace } from 'diff';
import { ORGANISATION_TYPES } from '#shared/organisations';
import { asActor, knowledgeAbilities } from '../../platform/access/abilities.js';
import { checkAudienceExists } from '../../platform/access/audience.js';
import { ANONYMOUS, audienceColumns, canSee, normaliseAudience, type Audience, type Pap, type Tlp } from '../../platform/access/policy.js';
import type { Actor } from '../../platform/actor.js';
import { auditActor } from '../../platform/actor.js';
import { hasRole, loadPrincipalParts, requireVetted, type Principal } from '../../platform/auth/principal.js';
import { requireConcepts, type TaggedItem } from '../../platform/concepts.js';
import { change, type Platform } from '../../platform/deps.js';
import { AppError, forbidden, invalidState, notFound } from '../../platform/errors.js';
import { detectType } from '../../platform/filetypes.js';
import { newId } from '../../platform/ids.js';
import { slugOf, slugWords } from '../../platform/slug.js';
import { renderMarkdown } from '../../platform/markdown.js';
import { requireTag, sameLanguage, showFor, translationsOf, withoutTranslation, withTranslation, type TranslationInfo } from '../../platform/translations.js';
import {
  attachmentsOf,
  facets,
  headlines,
  insertItem,
  insertVersion,
  itemPage,
  searchPage,
  organisationNames,
  peopleNames,
  publicItems,
  readAttachmentRow,
  recommended,
  reviewsOf,
  sharingConcepts,
  taggedItems,
  versionsOf,
  visibleByIds,
  visibleItems,
  type ItemFilters,
  type ItemRow,
} from './repository.js';
import { recordsLinking } from '../records/repository.js';

export const KNOWLEDGE_TYPES = ['good_practice', 'guide', 'lesson_learned', 'awareness_campaign', 'training_material', 'exercise_scenario', 'standard', 'policy_paper', 'strategy'] as const;
export type KnowledgeType = (typeof KNOWLEDGE_TYPES)[number];
export const KNOWLEDGE_STATUSES = ['draft', 'in_review', 'published'] as const;
export type KnowledgeStatus = (typeof KNOWLEDGE_STATUSES)[number];
/** The fields every language version holds. */
export const TEXT_FIELDS = ['title', 'summary', 'body', 'evidence', 'outcome'] as const;
export type TextField = (typeof TEXT_FIELDS)[number];
export type Texts = Record<TextField, string>;

/** Limits, documented in docs/knowledge.md. */
export const LIMITS = { title: 300, summary: 3000, body: 200_000, evidence: 10_000, outcome: 10_000, reviewers: 10, related: 30, countries: 60, coAuthors: 20, attachments: 20 };

/**
 * SPDX licence ids an item may carry: the ones knowledge is published under. An unknown id is refused
 * rather than kept as free text, so the portal can link each to its SPDX page.
 */
export const LICENCES = ['CC-BY-4.0', 'CC-BY-SA-4.0', 'CC-BY-NC-4.0', 'CC-BY-NC-SA-4.0', 'CC-BY-ND-4.0', 'CC-BY-NC-ND-4.0', 'CC0-1.0', 'EUPL-1.2', 'MIT', 'Apache-2.0', 'OGL-UK-3.0', 'LicenseRef-All-rights-reserved'] as const;

/** The records linking an item shown on its page, newest first. */
const RECORDS_SHOWN = 100;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Private-use marks the snippets use for a match; never kept in stored text. */
const MARKS = /[\uE000\uE001]/g;
const viewerOf = (actor: Actor) => actor.principal?.viewer ?? ANONYMOUS;

export interface ItemInput {
  type: KnowledgeType;
  language: string;
  title: string;
  summary?: string;
  body?: string;
  evidence?: string;
  outcome?: string;
  countries?: string[];
  coAuthors?: string[];
  concepts?: string[];
  audiences?: string[];
  date?: string | null;
  sourceUrl?: string | null;
  licence?: string | null;
  attribution?: string;
  related?: string[];
  tlp: Tlp;
  pap?: Pap;
  audience?: Partial<Audience>;
}

const clean = (s: string | undefined) => (s ?? '').replace(MARKS, '');

function abilitiesOf(pr: Principal | null, r: ItemRow) {
  return knowledgeAbilities(asActor(pr), { authorId: r.author_id, authorOrgId: r.author_org_id, status: r.status, reviewers: r.reviewers });
}

function sourceOf(r: ItemRow): Texts {
  return { title: r.title, summary: r.summary, body: r.body, evidence: r.evidence, outcome: r.outcome };
}

function shown(actor: Actor, r: ItemRow, lang?: string): { fields: Texts; info: TranslationInfo } {
  return showFor<TextField>({ language: r.language, source_rev: r.source_rev, translations: r.translations, source: sourceOf(r) }, actor.readerLanguages, lang);
}

/** What a list shows of an item. */
function summaryView(actor: Actor, r: ItemRow, lang?: string) {
  const s = shown(actor, r, lang);
  const can = abilitiesOf(actor.principal, r);
  return {
    id: r.id,
    slug: r.slug,
    type: r.type as KnowledgeType,
    title: s.fields.title,
    summary: s.fields.summary,
    translation: s.info,
    countries: r.countries,
    concepts: r.concepts,
    audiences: r.audiences,
    date: r.date,
    organisation: { id: r.author_org_id!, name: r.org_name, country: r.org_country },
    status: r.status as KnowledgeStatus,
    tlp: r.tlp as Tlp,
    updatedAt: r.updated_at.toISOString(),
    publishedAt: r.published_at ? r.published_at.toISOString() : null,
    can,
  };
}

async function loadOne(p: Platform, actor: Actor, id: string): Promise<ItemRow> {
  const r = await visibleItems(p.db, viewerOf(actor))
    .where((eb) => (UUID.test(id) ? eb('k.id', '=', id) : eb('k.slug', '=', id)))
    .executeTakeFirst();
  // Not visible and not there look the same.
  if (!r) throw notFound('Item');
  return r;
}

/** A snippet as text and marked matches, never HTML: the client shows it as it likes, safely. */
function segments(h: string): { text: string; match: boolean }[] {
  const out: { text: string; match: boolean }[] = [];
  for (const part of h.split(/(\uE000[^\uE001]*\uE001)/)) {
    if (!part) continue;
    if (part.startsWith('\uE000')) out.push({ text: part.slice(1, -1), match: true });
    else out.push({ text: part, match: false });
  }
  return out;
}

/** Strip Markdown marks so a snippet reads as text. */
const plain = (md: string) =>
  md
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[#>*_`|~]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/**
 * The library as the reader may see it: filters, words in any language (stemmed per language,
 * accents folded), the reader's language first, snippets with the matches marked, and counts per
 * type — every one of them over the visible items only.
 */
export async function listKnowledge(
  p: Platform,
  actor: Actor,
  q: { q?: string; lang?: string; type?: string; concept?: string; country?: string; tlp?: string; status?: string; organisation?: string; limit?: number; cursor?: string },
) {
  const limit = q.limit ?? 30;
  const words = q.q?.replace(MARKS, '').trim() || undefined;
  if (q.lang) requireTag(q.lang, 'lang');
  const readerLang = (q.lang ?? actor.readerLanguages[0] ?? 'en').split('-')[0]!.toLowerCase();
  let offset = 0;
  let before: string | undefined;
  if (q.cursor) {
    const m = /^(?:o(\d{1,6})|b([0-9a-f-]{36}))$/.exec(q.cursor);
    if (!m || (words ? !m[1] : !m[2])) throw new AppError('VALIDATION_FAILED', 'This cursor was not given by the server for this query', { field: 'cursor' });
    if (m[1]) offset = Number(m[1]);
    else before = m[2];
  }
  const f: ItemFilters = { q: words, type: q.type, concept: q.concept, country: q.country, tlp: q.tlp, status: q.status, organisation: q.organisation };
  const viewer = viewerOf(actor);
  let rows: ItemRow[];
  let byType: Record<string, number>;
  if (words) ({ rows, counts: byType } = await searchPage(p.db, viewer, { ...f, q: words }, { lang: readerLang, limit, offset }));
  else [rows, byType] = await Promise.all([itemPage(p.db, viewer, f, { limit, before }), facets(p.db, viewer, f)]);
  const page = rows.slice(0, limit);
  const items = page.map((r) => summaryView(actor, r, q.lang));
  let snippets: { text: string; match: boolean }[][] = page.map(() => []);
  if (words && page.length) {
    const texts = page.map((r, i) => {
      const s = shown(actor, r, q.lang);
      return { lang: items[i]!.translation.shown, text: plain(`${s.fields.summary}\n${s.fields.body}`).slice(0, 20_000) };
    });
    snippets = (await headlines(p.db, words, texts)).map(segments);
  }
  const last = page.at(-1);
  return {
    items: items.map((it, i) => ({ ...it, snippet: snippets[i]! })),
    counts: { byType },
    nextCursor: rows.length > limit && last ? (words ? `o${offset + limit}` : `b${last.id}`) : null,
  };
}

/** One item in full: its text in the reader's language (or `lang`), rendered, with its history, reviews, files and related items. */
export async function getKnowledge(p: Platform, actor: Actor, id: string, lang?: string) {
  if (lang) requireTag(lang, 'lang');
  const r = await loadOne(p, actor, id);
  const viewer = viewerOf(actor);
  const s = shown(actor, r, lang);
  const can = abilitiesOf(actor.principal, r);
  const [versions, reviews, files, linked, similar, orgs, reviewerNames, records] = await Promise.all([
    versionsOf(p.db, r.id),
    reviewsOf(p.db, r.id),
    attachmentsOf(p.db, r.id),
    visibleByIds(p.db, viewer, r.related),
    sharingConcepts(p.db, viewer, r.id, r.concepts, 6),
    organisationNames(p.db, r.co_authors),
    peopleNames(p.db, r.reviewers),
    // The activity records that link it, read through the records' own policy and workflow.
    recordsLinking(p.db, viewer, !!actor.principal && hasRole(actor.principal, 'secretariat'), r.id, RECORDS_SHOWN),
  ]);
  const own = can.edit || can.review;
  const related = [...linked.filter((x) => x.status === 'published' || x.author_org_id === viewer.organisationId), ...similar.filter((x) => !r.related.includes(x.id))]
    .slice(0, 12)
    .map((x) => ({ ...summaryView(actor, x, lang), linked: r.related.includes(x.id) }));
  return {
    ...summaryView(actor, r, lang),
    evidence: s.fields.evidence,
    outcome: s.fields.outcome,
    body: s.fields.body,
    // Under the item's title (h1): the body's `#` is an h2.
    bodyHtml: renderMarkdown(s.fields.body, { topHeading: 2 }),
    revision: r.source_rev,
    coAuthors: r.co_authors.map((o) => ({ id: o, name: orgs.get(o) ?? '' })),
    sourceUrl: r.source_url,
    licence: r.licence,
    attribution: r.attribution,
    pap: r.pap as Pap,
    audience: { organisations: r.audience_organisations, communities: r.audience_communities, people: r.audience_people },
    related,
    relatedIds: r.related,
    records: records.map((x) => ({ id: x.id, slug: x.slug, title: x.title, date: x.date, language: x.language })),
    attachments: files.map((a) => ({ id: a.id, fileName: a.file_name, contentType: a.content_type, size: a.size_bytes, at: a.created_at.toISOString() })),
    versions: versions.map((v) => ({ version: v.version, language: v.language, note: v.note, at: v.at.toISOString(), author: v.author_name })),
    // Who reviews and what they said is the organisation's and the reviewers' business.
    reviewers: own ? r.reviewers.map((x) => ({ id: x, name: reviewerNames.get(x) ?? '' })) : [],
    reviews: own
      ? reviews.map((v) => ({ id: v.id, reviewer: { id: v.reviewer_id, name: v.reviewer_name }, version: v.version, decision: v.decision as 'approved' | 'changes_requested', comment: v.comment, at: v.at.toISOString() }))
      : [],
    sourceTexts: can.translate ? sourceOf(r) : null,
  };
}

// ---------- writing ----------

function checkInput(i: Partial<ItemInput>) {
  if (i.countries && i.countries.length > LIMITS.countries) throw new AppError('VALIDATION_FAILED', `At most ${LIMITS.countries} countries`, { field: 'countries' });
  for (const a of i.audiences ?? []) if (!(ORGANISATION_TYPES as readonly string[]).includes(a)) throw new AppError('VALIDATION_FAILED', `"${a}" is not a kind of organisation`, { field: 'audiences' });
  if (i.licence && !(LICENCES as readonly string[]).includes(i.licence)) throw new AppError('VALIDATION_FAILED', `"${i.licence}" is not one of the SPDX licence ids taken: ${LICENCES.join(', ')}`, { field: 'licence' });
  if (i.sourceUrl) {
    let u: URL | null = null;
    try {
      u = new URL(i.sourceUrl);
    } catch {
      u = null;
    }
    if (!u || !/^https?:$/.test(u.protocol)) throw new AppError('VALIDATION_FAILED', 'The source must be an http(s) address', { field: 'sourceUrl' });
  }
}

async function checkCountries(p: Platform, codes: readonly string[]) {
  if (!codes.length) return;
  const known = new Set((await p.db.selectFrom('countries').select('code').where('kind', '=', 'state').execute()).map((c) => c.code));
  const bad = codes.filter((c) => !known.has(c));
  if (bad.length) throw new AppError('VALIDATION_FAILED', `Not a member country: ${bad.join(', ')}`, { field: 'countries', unknown: bad });
}

async function checkOrganisations(p: Platform, ids: readonly string[]) {
  if (!ids.length) return;
  const found = await organisationNames(p.db, ids);
  const bad = ids.filter((x) => !found.has(x));
  if (bad.length) throw new AppError('VALIDATION_FAILED', 'Unknown co-author organisations', { field: 'coAuthors', unknown: bad });
}

/** Related items must be items the writer may see; otherwise a link would confirm they exist. */
async function checkRelated(p: Platform, actor: Actor, ids: readonly string[], self?: string) {
  const wanted = [...new Set(ids)].filter((x) => x !== self);
  if (wanted.length > LIMITS.related) throw new AppError('VALIDATION_FAILED', `At most ${LIMITS.related} related items`, { field: 'related' });
  const seen = new Set((await visibleByIds(p.db, viewerOf(actor), wanted)).map((r) => r.id));
  const bad = wanted.filter((x) => !seen.has(x));
  if (bad.length) throw new AppError('VALIDATION_FAILED', 'Related items must be items you can see', { field: 'related', unknown: bad });
  return wanted;
}

/** `words-of-the-title-9c3f1a2b` (platform/slug.ts). */
export const itemSlug = (id: string, title: string) => slugOf(id, slugWords(title) || 'item', 100);

/** A new item, a draft of the writer's organisation, with its first version. */
export async function createKnowledge(p: Platform, actor: Actor, i: ItemInput) {
  const pr = requireVetted(actor);
  checkInput(i);
  const language = requireTag(i.language);
  const audience = normaliseAudience(i.tlp, i.audience);
  await checkAudienceExists(p.db, audience);
  const concepts = await requireConcepts(p.db, i.concepts);
  const countries = [...new Set(i.countries ?? [])];
  await checkCountries(p, countries);
  const coAuthors = [...new Set(i.coAuthors ?? [])].filter((o) => o !== pr.organisation.id);
  await checkOrganisations(p, coAuthors);
  const related = await checkRelated(p, actor, i.related ?? []);
  const texts: Texts = { title: clean(i.title).trim(), summary: clean(i.summary), body: clean(i.body), evidence: clean(i.evidence), outcome: clean(i.outcome) };
  if (!texts.title) throw new AppError('VALIDATION_FAILED', 'A title is needed', { field: 'title' });
  const id = newId();
  await change(p, async (c) => {
    await insertItem(c.trx, {
      id,
      slug: itemSlug(id, texts.title),
      type: i.type,
      ...texts,
      language,
      countries,
      co_authors: coAuthors,
      concepts,
      audiences: [...new Set(i.audiences ?? [])],
      date: i.date ?? null,
      source_url: i.sourceUrl ?? null,
      licence: i.licence ?? null,
      attribution: clean(i.attribution),
      related,
      tlp: i.tlp,
      pap: i.pap ?? 'GREEN',
      author_id: pr.person.id,
      author_org_id: pr.organisation.id,
      ...audienceColumns(audience),
    });
    await insertVersion(c.trx, { itemId: id, version: 1, language, fields: texts, authorId: pr.person.id });
    // Identifiers only: the audit log never carries a marked item's content.
    await c.audit({ action: 'knowledge.created', ...auditActor(actor), organisationId: pr.organisation.id, targetType: 'knowledge', targetId: id, details: { tlp: i.tlp, type: i.type } });
  });
  return getKnowledge(p, actor, id);
}

/**
 * Change an item: any of its fields and its marking. A change of its text (in its source language)
 * is a new revision, kept in the history; its translations then show as outdated. A change while
 * in review sends it back to draft: the reviewers approved another text.
 */
export async function updateKnowledge(p: Platform, actor: Actor, id: string, i: Partial<ItemInput> & { note?: string }) {
  const pr = requireVetted(actor);
  const r = await loadOne(p, actor, id);
  if (!abilitiesOf(pr, r).edit) throw forbidden('Only the author and their organisation admins change an item');
  checkInput(i);
  const tlp = i.tlp ?? (r.tlp as Tlp);
  const audience = i.tlp || i.audience ? normaliseAudience(tlp, i.audience ?? { organisations: r.audience_organisations, communities: r.audience_communities, people: r.audience_people }) : null;
  if (audience) await checkAudienceExists(p.db, audience);
  const concepts = i.concepts ? await requireConcepts(p.db, i.concepts, r.concepts) : undefined;
  if (i.countries) await checkCountries(p, i.countries);
  if (i.coAuthors) await checkOrganisations(p, i.coAuthors);
  const related = i.related ? await checkRelated(p, actor, i.related, r.id) : undefined;
  const language = i.language ? requireTag(i.language) : r.language;
  if (!sameLanguage(language, r.language) && Object.keys(translationsOf(r.translations)).some((l) => sameLanguage(l, language)))
    throw new AppError('VALIDATION_FAILED', `There is a translation into ${language}: remove it before writing the item in that language`, { field: 'language' });
  const before = sourceOf(r);
  const after: Texts = {
    title: i.title !== undefined ? clean(i.title).trim() : before.title,
    summary: i.summary !== undefined ? clean(i.summary) : before.summary,
    body: i.body !== undefined ? clean(i.body) : before.body,
    evidence: i.evidence !== undefined ? clean(i.evidence) : before.evidence,
    outcome: i.outcome !== undefined ? clean(i.outcome) : before.outcome,
  };
  if (!after.title) throw new AppError('VALIDATION_FAILED', 'A title is needed', { field: 'title' });
  const textChanged = TEXT_FIELDS.some((f) => after[f] !== before[f]) || language !== r.language;
  const rev = textChanged ? r.source_rev + 1 : r.source_rev;
  await change(p, async (c) => {
    const res = await c.trx
      .updateTable('knowledge_items')
      .set({
        ...after,
        language,
        source_rev: rev,
        ...(i.type ? { type: i.type } : {}),
        ...(i.countries ? { countries: [...new Set(i.countries)] } : {}),
        ...(i.coAuthors ? { co_authors: [...new Set(i.coAuthors)].filter((o) => o !== r.author_org_id) } : {}),
        ...(concepts ? { concepts } : {}),
        ...(i.audiences ? { audiences: [...new Set(i.audiences)] } : {}),
        ...(i.date !== undefined ? { date: i.date } : {}),
        ...(i.sourceUrl !== undefined ? { source_url: i.sourceUrl } : {}),
        ...(i.licence !== undefined ? { licence: i.licence } : {}),
        ...(i.attribution !== undefined ? { attribution: clean(i.attribution) } : {}),
        ...(related ? { related } : {}),
        ...(i.tlp ? { tlp: i.tlp } : {}),
        ...(i.pap ? { pap: i.pap } : {}),
        ...(audience ? audienceColumns(audience) : {}),
        ...(textChanged && r.status === 'in_review' ? { status: 'draft' } : {}),
        updated_at: new Date(),
      })
      .where('id', '=', r.id)
      // Two writers at once: the second fails rather than overwrite the first's revision.
      .where('source_rev', '=', r.source_rev)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw invalidState('The item changed meanwhile: reload it and make your change again');
    if (textChanged) await insertVersion(c.trx, { itemId: r.id, version: rev, language, fields: after, authorId: pr.person.id, note: clean(i.note).slice(0, 500) });
    await c.audit({
      action: i.tlp && i.tlp !== r.tlp ? 'knowledge.marking_changed' : 'knowledge.updated',
      ...auditActor(actor),
      organisationId: r.author_org_id,
      targetType: 'knowledge',
      targetId: r.id,
      details: { revision: rev, ...(i.tlp && i.tlp !== r.tlp ? { from: r.tlp, to: i.tlp } : {}) },
    });
  });
  return getKnowledge(p, actor, r.id);
}

/** Add or replace a translation (a person's, or a machine's when `machine`), made from the source revision `basedOn` (default: the current one). */
export async function translateKnowledge(p: Platform, actor: Actor, id: string, lang: string, t: Partial<Texts> & { title: string; machine?: boolean; basedOn?: number }) {
  const pr = requireVetted(actor);
  const r = await loadOne(p, actor, id);
  if (!abilitiesOf(pr, r).translate) throw forbidden('Only the author, their organisation admins and its translators translate an item');
  const fields: Texts = { title: clean(t.title).trim(), summary: clean(t.summary), body: clean(t.body), evidence: clean(t.evidence), outcome: clean(t.outcome) };
  if (!fields.title) throw new AppError('VALIDATION_FAILED', 'A title is needed', { field: 'title' });
  const translations = withTranslation<TextField>(r.translations, r, lang, fields, { by: pr.person.id, machine: t.machine, basedOn: t.basedOn });
  await change(p, async (c) => {
    await c.trx.updateTable('knowledge_items').set({ translations: JSON.stringify(translations), updated_at: new Date() }).where('id', '=', r.id).execute();
    await c.audit({ action: 'knowledge.translated', ...auditActor(actor), organisationId: r.author_org_id, targetType: 'knowledge', targetId: r.id, details: { language: requireTag(lang), machine: !!t.machine } });
  });
  return getKnowledge(p, actor, r.id, lang);
}

export async function removeKnowledgeTranslation(p: Platform, actor: Actor, id: string, lang: string) {
  const pr = requireVetted(actor);
  const r = await loadOne(p, actor, id);
  if (!abilitiesOf(pr, r).translate) throw forbidden('Only the author, their organisation admins and its translators translate an item');
  const translations = withoutTranslation<TextField>(r.translations, requireTag(lang));
  await change(p, async (c) => {
    await c.trx.updateTable('knowledge_items').set({ translations: JSON.stringify(translations), updated_at: new Date() }).where('id', '=', r.id).execute();
    await c.audit({ action: 'knowledge.translation_removed', ...auditActor(actor), organisationId: r.author_org_id, targetType: 'knowledge', targetId: r.id, details: { language: lang } });
  });
  return getKnowledge(p, actor, r.id);
}

// ---------- review and publication ----------

/**
 * Send a draft to review by named people. Each must be a member in good standing who may read the
 * item under its marking — asking someone to review what they may not see would show it to them.
 */
export async function submitForReview(p: Platform, actor: Actor, id: string, reviewers: string[]) {
  const pr = requireVetted(actor);
  const r = await loadOne(p, actor, id);
  if (!abilitiesOf(pr, r).edit) throw forbidden('Only the author and their organisation admins send an item to review');
  if (r.status !== 'draft') throw invalidState('Only a draft is sent to review');
  const named = [...new Set(reviewers)];
  if (!named.length || named.length > LIMITS.reviewers) throw new AppError('VALIDATION_FAILED', `Name 1 to ${LIMITS.reviewers} reviewers`, { field: 'reviewers' });
  if (named.includes(pr.person.id)) throw new AppError('VALIDATION_FAILED', 'Someone else reviews what you wrote', { field: 'reviewers' });
  const marking = { tlp: r.tlp as Tlp, authorId: r.author_id, authorOrgId: r.author_org_id, audience: { organisations: r.audience_organisations, communities: r.audience_communities, people: r.audience_people } };
  const refused: string[] = [];
  for (const person of named) {
    const parts = await loadPrincipalParts(p.db, person);
    if (!parts || !parts.viewer.vetted || !canSee(parts.viewer, marking)) refused.push(person);
  }
  if (refused.length) throw new AppError('VALIDATION_FAILED', 'Each reviewer must be a member who may read the item under its marking', { field: 'reviewers', refused });
  await change(p, async (c) => {
    await c.trx.updateTable('knowledge_items').set({ status: 'in_review', reviewers: named, updated_at: new Date() }).where('id', '=', r.id).where('status', '=', 'draft').execute();
    await c.audit({ action: 'knowledge.review_requested', ...auditActor(actor), organisationId: r.author_org_id, targetType: 'knowledge', targetId: r.id, details: { reviewers: named.length, revision: r.source_rev } });
  });
  return getKnowledge(p, actor, r.id);
}

/** A named reviewer approves the current revision or asks for changes (which returns the item to draft). */
export async function reviewKnowledge(p: Platform, actor: Actor, id: string, decision: 'approved' | 'changes_requested', comment = '') {
  const pr = requireVetted(actor);
  const r = await loadOne(p, actor, id);
  if (!abilitiesOf(pr, r).review) throw r.status !== 'in_review' ? invalidState('Only an item in review is reviewed') : forbidden('Only the reviewers named on it review an item');
  if (decision === 'changes_requested' && !comment.trim()) throw new AppError('VALIDATION_FAILED', 'Say what should change', { field: 'comment' });
  await change(p, async (c) => {
    await c.trx
      .insertInto('knowledge_reviews')
      .values({ id: newId(), item_id: r.id, reviewer_id: pr.person.id, version: r.source_rev, decision, comment: clean(comment).slice(0, 5000) })
      .execute();
    if (decision === 'changes_requested') await c.trx.updateTable('knowledge_items').set({ status: 'draft', updated_at: new Date() }).where('id', '=', r.id).execute();
    await c.audit({ action: 'knowledge.reviewed', ...auditActor(actor), organisationId: r.author_org_id, targetType: 'knowledge', targetId: r.id, details: { decision, revision: r.source_rev } });
  });
  // A reviewer who asked for changes no longer sees a draft of another organisation.
  return decision === 'approved' ? getKnowledge(p, actor, r.id) : { id: r.id, status: 'draft' as const };
}

/** Publish an item every named reviewer approved in its current revision. */
export async function publishKnowledge(p: Platform, actor: Actor, id: string) {
  const pr = requireVetted(actor);
  const r = await loadOne(p, actor, id);
  if (!abilitiesOf(pr, r).edit) throw forbidden('Only the author and their organisation admins publish an item');
  if (r.status !== 'in_review') throw invalidState('An item is published after review');
  const reviews = await reviewsOf(p.db, r.id);
  const waiting = r.reviewers.filter((x) => !reviews.some((v) => v.reviewer_id === x && v.version === r.source_rev && v.decision === 'approved'));
  if (waiting.length) throw invalidState('Every reviewer must approve the current text first', { waiting });
  await change(p, async (c) => {
    await c.trx.updateTable('knowledge_items').set({ status: 'published', published_at: new Date(), updated_at: new Date() }).where('id', '=', r.id).where('status', '=', 'in_review').execute();
    await c.audit({ action: 'knowledge.published', ...auditActor(actor), organisationId: r.author_org_id, targetType: 'knowledge', targetId: r.id, details: { revision: r.source_rev, tlp: r.tlp } });
  });
  return getKnowledge(p, actor, r.id);
}

export async function deleteKnowledge(p: Platform, actor: Actor, id: string) {
  const pr = requireVetted(actor);
  const r = await loadOne(p, actor, id);
  if (!abilitiesOf(pr, r).edit) throw forbidden('Only the author and their organisation admins delete an item');
  await change(p, async (c) => {
    await c.trx.deleteFrom('knowledge_items').where('id', '=', r.id).execute();
    await c.audit({ action: 'knowledge.deleted', ...auditActor(actor), organisationId: r.author_org_id, targetType: 'knowledge', targetId: r.id, details: {} });
  });
}

// ---------- history ----------

/** What changed between two revisions, field by field, word by word (jsdiff). */
export async function knowledgeDiff(p: Platform, actor: Actor, id: string, from: number, to: number) {
  const r = await loadOne(p, actor, id);
  // Earlier texts are the organisation's and its reviewers' to compare: a passage taken out of
  // an item (said too much, named someone) must not stay readable to every reader of it.
  const can = abilitiesOf(actor.principal, r);
  if (!can.edit && !can.translate && !can.review) throw forbidden('Earlier versions are shown to the item’s organisation and its reviewers');
  const versions = await versionsOf(p.db, r.id);
  const a = versions.find((v) => v.version === from);
  const b = versions.find((v) => v.version === to);
  if (!a || !b) throw notFound('Version');
  const fa = a.fields as Texts;
  const fb = b.fields as Texts;
  return {
    from: { version: a.version, language: a.language, at: a.at.toISOString(), author: a.author_name, note: a.note },
    to: { version: b.version, language: b.language, at: b.at.toISOString(), author: b.author_name, note: b.note },
    fields: TEXT_FIELDS.filter((f) => (fa[f] ?? '') !== (fb[f] ?? '')).map((f) => ({
      field: f,
      parts: diffWordsWithSpace(fa[f] ?? '', fb[f] ?? '').map((d) => ({ text: d.value, change: d.added ? ('added' as const) : d.removed ? ('removed' as const) : ('same' as const) })),
    })),
  };
}

// ---------- attachments ----------

/** Attach a file: its type decided from its bytes (PDF, office documents, images) and agreeing with its name. */
export async function attachToKnowledge(p: Platform, actor: Actor, id: string, fileName: string, content: Buffer) {
  const pr = requireVetted(actor);
  const r = await loadOne(p, actor, id);
  if (!abilitiesOf(pr, r).edit) throw forbidden('Only the author and their organisation admins attach files to an item');
  if (!content.length) throw new AppError('VALIDATION_FAILED', 'The file is empty', { field: 'body' });
  const t = detectType(content, fileName);
  if (!t || t.contentType.startsWith('text/') || t.contentType.includes('json'))
    throw new AppError('ATTACHMENT_TYPE_REFUSED', 'Attach PDF, Word, Excel, PowerPoint, OpenDocument text, PNG, JPEG, GIF or WebP files whose name matches their content', { fileName });
  const existing = await attachmentsOf(p.db, r.id);
  if (existing.length >= LIMITS.attachments) throw new AppError('VALIDATION_FAILED', `At most ${LIMITS.attachments} files per item`, { field: 'body' });
  const attachmentId = newId();
  await change(p, async (c) => {
    await c.trx
      .insertInto('knowledge_attachments')
      .values({ id: attachmentId, item_id: r.id, file_name: fileName, content_type: t.contentType, size_bytes: content.length, content, uploaded_by: pr.person.id })
      .execute();
    await c.audit({ action: 'knowledge.attachment_added', ...auditActor(actor), organisationId: r.author_org_id, targetType: 'knowledge', targetId: r.id, details: { attachmentId, bytes: content.length } });
  });
  return { id: attachmentId, fileName, contentType: t.contentType, size: content.length };
}

export async function readKnowledgeAttachment(p: Platform, actor: Actor, attachmentId: string) {
  const a = await readAttachmentRow(p.db, viewerOf(actor), attachmentId);
  if (!a) throw notFound('Attachment');
  return a;
}

export async function removeKnowledgeAttachment(p: Platform, actor: Actor, id: string, attachmentId: string) {
  const pr = requireVetted(actor);
  const r = await loadOne(p, actor, id);
  if (!abilitiesOf(pr, r).edit) throw forbidden('Only the author and their organisation admins remove files of an item');
  await change(p, async (c) => {
    const res = await c.trx.deleteFrom('knowledge_attachments').where('id', '=', attachmentId).where('item_id', '=', r.id).executeTakeFirst();
    if (Number(res.numDeletedRows) !== 1) throw notFound('Attachment');
    await c.audit({ action: 'knowledge.attachment_removed', ...auditActor(actor), organisationId: r.author_org_id, targetType: 'knowledge', targetId: r.id, details: { attachmentId } });
  });
}

// ---------- for the reader ----------

/** Published items picked for the reader: written for their kind of organisation, about their country, from or for their communities. */
export async function recommendedKnowledge(p: Platform, actor: Actor, limit = 6) {
  const pr = requireVetted(actor);
  const rows = await recommended(p.db, pr.viewer, { audience: pr.organisation.type, country: pr.organisation.country, communityIds: pr.viewer.communityIds }, limit);
  return { items: rows.map((r) => summaryView(actor, r)) };
}

/** The items carrying a concept, for the concept's page (Feature.tagged). */
export async function knowledgeTagged(p: Platform, actor: Actor, tag: string, limit: number): Promise<TaggedItem[]> {
  const rows = await taggedItems(p.db, viewerOf(actor), tag, limit);
  return rows.map((r) => {
    const s = shown(actor, r);
    return { kind: 'practice', id: r.id, title: s.fields.title, lang: s.info.shown, path: `/practices/${r.slug}`, tlp: r.tlp, date: r.date };
  });
}

/** Published items an anonymous reader may see (CLEAR), newest first: the portal, its sitemap and feed. */
export async function publicKnowledge(p: Platform, limit: number) {
  return publicItems(p.db, ANONYMOUS, limit);
}

// ---------- for the translation queue (features/translations) ----------

export interface TranslatableItem {
  id: string;
  title: string;
  language: string;
  source_rev: number;
  translations: unknown;
  source: Texts;
}

const asTranslatable = (r: ItemRow): TranslatableItem => ({ id: r.id, title: r.title, language: r.language, source_rev: r.source_rev, translations: r.translations, source: sourceOf(r) });

/** The items of this person's organisation they may translate (author, admins, translators). */
export async function translatableKnowledge(p: Platform, pr: Principal): Promise<TranslatableItem[]> {
  const rows = await visibleItems(p.db, pr.viewer).where('k.author_org_id', '=', pr.organisation.id).orderBy('k.updated_at', 'desc').limit(500).execute();
  return rows.filter((r) => abilitiesOf(pr, r).translate).map(asTranslatable);
}

/** One item this person may translate, or 404 (not visible) / 403 (visible, not theirs to translate). */
export async function loadTranslatableKnowledge(p: Platform, actor: Actor, id: string): Promise<TranslatableItem> {
  const pr = requireVetted(actor);
  const r = await loadOne(p, actor, id);
  if (!abilitiesOf(pr, r).translate) throw forbidden('Only the author, their organisation admins and its translators translate an item');
  return asTranslatable(r);
}

/**
 * Library items by id, as lists show them, in the order given — only those the reader may see:
 * what another feature lists (a reading list) without ever naming a hidden item.
 */
export async function knowledgeSummaries(p: Platform, actor: Actor, ids: readonly string[]) {
  const rows = await visibleByIds(p.db, viewerOf(actor), ids);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    return r ? [summaryView(actor, r)] : [];
  });
}
