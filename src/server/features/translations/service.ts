import { asActor, noteAbilities } from '../../platform/access/abilities.js';
import type { Actor } from '../../platform/actor.js';
import { requireVetted, type Principal } from '../../platform/auth/principal.js';
import type { Platform } from '../../platform/deps.js';
import { AppError, forbidden, notFound } from '../../platform/errors.js';
import { isOutdated, requireTag, sameLanguage, translationsOf } from '../../platform/translations.js';
import { approvedCommunities, findCommunity } from '../communities/repository.js';
import { mayManage, maySeeCommunity, translateCommunity } from '../communities/service.js';
import { visibleNotes } from '../notes/repository.js';
import { getNote, translateNote } from '../notes/service.js';
import { loadTranslatableCountryItem, translatableCountryItems, translateInstrument, translatePriority } from '../countries/service.js';
import { loadTranslatableKnowledge, TEXT_FIELDS, translatableKnowledge, translateKnowledge } from '../knowledge/service.js';
import { loadTranslatableEvent, TEXT_FIELDS as EVENT_TEXT_FIELDS, translatableEvents, translateEvent } from '../events/service.js';
import { loadTranslatableExpert, TEXT_FIELDS as EXPERT_TEXT_FIELDS, translatableExperts, translateExpert } from '../experts/service.js';
import { loadTranslatableOffer, TEXT_FIELDS as OFFER_TEXT_FIELDS, translatableOffers, translateOffer } from '../offers/service.js';
import { loadTranslatableRequest, TEXT_FIELDS as REQUEST_TEXT_FIELDS, translatableRequests, translateRequest } from '../requests/service.js';
import { loadTranslatableCrisis, translatableCrises, translateCrisis } from '../crises/service.js';
import { INCIDENT_TEXT_FIELDS, loadTranslatableIncident, translatableIncidents, translateIncident } from '../incidents/service.js';
import { readXliff, writeXliff } from './xliff.js';

/** The languages Puente keeps every text in; a record lacks a translation into those it is not written in. */
export const PLATFORM_LANGUAGES = ['en', 'es', 'pt', 'fr'] as const;
export type TranslatableKind = 'note' | 'community' | 'practice' | 'priority' | 'instrument' | 'request' | 'offer' | 'expert' | 'event' | 'crisis' | 'incident';
const FIELDS: Record<TranslatableKind, readonly string[]> = { note: ['title', 'body'], community: ['name', 'description'], practice: TEXT_FIELDS, priority: ['title', 'body'], instrument: ['title', 'summary'], request: REQUEST_TEXT_FIELDS, offer: OFFER_TEXT_FIELDS, expert: EXPERT_TEXT_FIELDS, event: EVENT_TEXT_FIELDS, crisis: ['title', 'description'], incident: INCIDENT_TEXT_FIELDS };

interface Translatable {
  kind: TranslatableKind;
  id: string;
  title: string;
  language: string;
  source_rev: number;
  translations: unknown;
  source: Record<string, string>;
  /** Where a country's priority or instrument is (its page: /countries/{country}). */
  country?: string;
}

/** Which platform languages a record is missing, and which of its translations are older than its source. */
function gaps(r: Pick<Translatable, 'language' | 'source_rev' | 'translations'>) {
  const all = translationsOf(r.translations);
  const missing: string[] = [];
  const outdated: string[] = [];
  for (const lang of PLATFORM_LANGUAGES) {
    if (sameLanguage(lang, r.language)) continue;
    const key = Object.keys(all).find((k) => sameLanguage(k, lang));
    if (!key) missing.push(lang);
    else if (isOutdated(all[key]!, r.source_rev)) outdated.push(lang);
  }
  return { missing, outdated };
}

/** The records this person may translate: their organisation's notes (author, admins, translators) and the communities they manage. */
async function translatable(p: Platform, pr: Principal): Promise<Translatable[]> {
  const out: Translatable[] = [];
  const notes = await visibleNotes(p.db, pr.viewer).where('n.author_org_id', '=', pr.organisation.id).orderBy('n.updated_at', 'desc').limit(500).execute();
  for (const n of notes)
    if (noteAbilities(asActor(pr), { authorId: n.author_id, authorOrgId: n.author_org_id }).translate)
      out.push({ kind: 'note', id: n.id, title: n.title, language: n.language, source_rev: n.source_rev, translations: n.translations, source: { title: n.title, body: n.body } });
  for (const c of await approvedCommunities(p.db))
    if (await mayManage(p.db, pr, c.id)) out.push({ kind: 'community', id: c.id, title: c.name, language: c.language, source_rev: c.source_rev, translations: c.translations, source: { name: c.name, description: c.description } });
  for (const k of await translatableKnowledge(p, pr)) out.push({ kind: 'practice', ...k });
  for (const k of await translatableEvents(p, pr)) out.push({ kind: 'event', ...k });
  for (const k of await translatableOffers(p, pr)) out.push({ kind: 'offer', ...k });
  for (const k of await translatableRequests(p, pr)) out.push({ kind: 'request', ...k });
  for (const k of await translatableExperts(p, pr)) out.push({ kind: 'expert', ...k });
  for (const k of await translatableCountryItems(p, pr)) out.push({ ...k });
  for (const k of await translatableCrises(p, pr)) out.push({ kind: 'crisis', ...k });
  for (const k of await translatableIncidents(p, pr)) out.push({ kind: 'incident', ...k });
  return out;
}

/**
 * The translation queue: every record this person may translate that lacks a platform language
 * or has a translation older than its source. Only records they may see and translate appear,
 * and the counts are over those only.
 */
export async function translationQueue(p: Platform, actor: Actor) {
  const pr = requireVetted(actor);
  const items = (await translatable(p, pr))
    .map((r) => ({ kind: r.kind, id: r.id, title: r.title, language: r.language, revision: r.source_rev, ...(r.country ? { country: r.country } : {}), ...gaps(r) }))
    .filter((r) => r.missing.length + r.outdated.length > 0);
  const byLanguage = Object.fromEntries(
    PLATFORM_LANGUAGES.map((l) => [l, { missing: items.filter((i) => i.missing.includes(l)).length, outdated: items.filter((i) => i.outdated.includes(l)).length }]),
  );
  return { items, byLanguage };
}

/** One record this person may translate, read through its feature (the policy, then the right to translate). */
async function loadTranslatable(p: Platform, actor: Actor, kind: TranslatableKind, id: string): Promise<Translatable> {
  const pr = requireVetted(actor);
  if (kind === 'note') {
    const n = await getNote(p, pr.viewer, id);
    if (!noteAbilities(asActor(pr), { authorId: n.author_id, authorOrgId: n.author_org_id }).translate) throw forbidden('Only the author, their organisation admins and its translators translate a note');
    return { kind, id, title: n.title, language: n.language, source_rev: n.source_rev, translations: n.translations, source: { title: n.title, body: n.body } };
  }
  if (kind === 'practice') return { kind, ...(await loadTranslatableKnowledge(p, actor, id)) };
  if (kind === 'event') return { kind, ...(await loadTranslatableEvent(p, actor, id)) };
  if (kind === 'offer') return { kind, ...(await loadTranslatableOffer(p, actor, id)) };
  if (kind === 'request') return { kind, ...(await loadTranslatableRequest(p, actor, id)) };
  if (kind === 'expert') return { kind, ...(await loadTranslatableExpert(p, actor, id)) };
  if (kind === 'crisis') return { kind, ...(await loadTranslatableCrisis(p, actor, id)) };
  if (kind === 'incident') return { kind, ...(await loadTranslatableIncident(p, actor, id)) };
  if (kind === 'priority' || kind === 'instrument') return await loadTranslatableCountryItem(p, actor, kind, id);
  const c = await findCommunity(p.db, id);
  if (!c || !maySeeCommunity(pr, c)) throw notFound('Community');
  if (!(await mayManage(p.db, pr, c.id))) throw forbidden('Only the community admins and the secretariat translate a community');
  return { kind, id, title: c.name, language: c.language, source_rev: c.source_rev, translations: c.translations, source: { name: c.name, description: c.description } };
}

/** The fields a file carries: those with a source text (an empty field has nothing to translate). */
const unitsOf = (r: Translatable) => FIELDS[r.kind].filter((f) => (r.source[f] ?? '') !== '');

/** A record's texts as XLIFF 2.0 for a target language, with the translation there is (if any) as targets. */
export async function exportXliff(p: Platform, actor: Actor, kind: TranslatableKind, id: string, target: string) {
  const r = await loadTranslatable(p, actor, kind, id);
  const trgLang = requireTag(target, 'target');
  if (sameLanguage(trgLang, r.language)) throw new AppError('VALIDATION_FAILED', `The record is written in ${r.language}: choose another target language`, { field: 'target' });
  const all = translationsOf<string>(r.translations);
  const existing = all[Object.keys(all).find((k) => sameLanguage(k, trgLang)) ?? ''];
  return {
    fileName: `${kind}-${id}-${trgLang}.xlf`,
    xml: writeXliff({ record: `${kind}/${id}`, rev: r.source_rev, srcLang: r.language, trgLang, units: unitsOf(r).map((f) => ({ id: f, source: r.source[f]!, ...(existing ? { target: existing.fields[f] } : {}) })) }),
  };
}

/**
 * An XLIFF file brought back becomes the record's translation into its target language, as made
 * from the source revision the file names (older: shown as outdated at once). A file for another
 * record, another source language or other fields, or without every target, changes nothing.
 */
export async function importXliff(p: Platform, actor: Actor, kind: TranslatableKind, id: string, xml: string) {
  const r = await loadTranslatable(p, actor, kind, id);
  const read = readXliff(xml);
  const refuse = (problem: string) => new AppError('VALIDATION_FAILED', `The XLIFF file does not fit this record: ${problem}`, { field: 'body', problem });
  if (!read.ok) throw refuse(read.problem);
  const d = read.doc;
  if (d.record !== `${kind}/${id}`) throw refuse(`it is for ${d.record}, not ${kind}/${id}`);
  if (!sameLanguage(d.srcLang, r.language)) throw refuse(`its source language is ${d.srcLang}; the record is written in ${r.language}`);
  if (d.rev > r.source_rev) throw refuse(`it names revision ${d.rev}; the record is at revision ${r.source_rev}`);
  const ids = d.units.map((u) => u.id).sort();
  // A file made from the current revision carries every filled field; one made from an older
  // revision may lack a field filled since (it is taken, and shown as outdated).
  const known = FIELDS[kind];
  const expected = d.rev === r.source_rev ? unitsOf(r) : [known[0]!];
  if (new Set(ids).size !== ids.length || ids.some((u) => !known.includes(u)) || expected.some((f) => !ids.includes(f)))
    throw refuse(`its units are ${ids.join(', ') || 'none'}; this ${kind} has ${unitsOf(r).join(', ')}`);
  const missing = d.units.filter((u) => !u.target?.trim()).map((u) => u.id);
  if (missing.length) throw refuse(`no target for ${missing.join(', ')}`);
  const f = Object.fromEntries(d.units.map((u) => [u.id, u.target!]));
  if (kind === 'note') await translateNote(p, actor, id, d.trgLang, { title: f.title!, body: f.body ?? '', basedOn: d.rev });
  else if (kind === 'priority' || kind === 'instrument') {
    const item = await loadTranslatableCountryItem(p, actor, kind, id);
    if (kind === 'priority') await translatePriority(p, actor, item.country, id, d.trgLang, { title: f.title!, body: f.body ?? '', basedOn: d.rev });
    else await translateInstrument(p, actor, item.country, id, d.trgLang, { title: f.title!, summary: f.summary ?? '', basedOn: d.rev });
  } else if (kind === 'request') await translateRequest(p, actor, id, d.trgLang, { title: f.title!, description: f.description, wanted: f.wanted, constraints: f.constraints, basedOn: d.rev });
  else if (kind === 'expert') await translateExpert(p, actor, id, d.trgLang, { headline: f.headline!, biography: f.biography, basedOn: d.rev });
  else if (kind === 'offer')
    await translateOffer(p, actor, id, d.trgLang, { title: f.title!, summary: f.summary, description: f.description, eligibility: f.eligibility, cost: f.cost, funding: f.funding, howToApply: f.howToApply, selectionCriteria: f.selectionCriteria, basedOn: d.rev });
  else if (kind === 'event') await translateEvent(p, actor, id, d.trgLang, { title: f.title!, description: f.description, agenda: f.agenda, basedOn: d.rev });
  else if (kind === 'crisis') await translateCrisis(p, actor, id, d.trgLang, { title: f.title!, description: f.description, basedOn: d.rev });
  else if (kind === 'incident') await translateIncident(p, actor, id, d.trgLang, { title: f.title!, description: f.description, basedOn: d.rev });
  else if (kind === 'practice') await translateKnowledge(p, actor, id, d.trgLang, { title: f.title!, summary: f.summary, body: f.body, evidence: f.evidence, outcome: f.outcome, basedOn: d.rev });
  else await translateCommunity(p, actor, id, d.trgLang, { name: f.name!, description: f.description ?? '', basedOn: d.rev });
  return { kind, id, language: d.trgLang, basedOn: d.rev, outdated: d.rev < r.source_rev };
}
